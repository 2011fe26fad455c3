/* cli_init.c — `missive init [DIR] --organisation PREFIX [--force]`. */
#include "cli_init.h"

#include "cli.h"
#include "init.h"

#include <stdio.h>
#include <time.h>

int cli_init(const struct cli_args *args)
{
    char date[16];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    struct init_options o = {.dir = args->operand_count ? args->operands[0] : ".",
                             .organisation = args->organisation,
                             .date = date,
                             .force = args->force};
    struct errors errors = {0};
    struct init_result r;
    int made = init_workspace(&o, &r, &errors);
    if (made != 0) {
        errors_print(&errors, stderr);
        errors_clear(&errors);
        return made == INIT_REFUSED ? APP_INPUT : APP_OUTPUT;
    }
    if (!args->quiet) {
        for (size_t i = 0; i < r.kept_count; i++)
            printf("kept %s/%s (already there)\n", o.dir, r.kept[i]);
        printf("a missive workspace for %s is in %s (%zu files); try:\n"
               "  cd %s && missive render letters/example.xml\n",
               o.organisation, o.dir, r.written_count, o.dir);
    }
    init_result_clear(&r);
    return APP_OK;
}
