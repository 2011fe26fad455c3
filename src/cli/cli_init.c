/* cli_init.c — `missive init [DIR] --organisation PREFIX [--force]`. */
#include "cli_init.h"

#include "cli.h"
#include "init.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char usage_text[] = "usage: missive init [DIR] --organisation PREFIX [--force] [-q]\n";

int cli_init(int argc, char **argv)
{
    static const struct option longs[] = {{"organisation", required_argument, NULL, 'O'},
                                          {"force", no_argument, NULL, 'F'},
                                          {"quiet", no_argument, NULL, 'q'},
                                          {NULL, 0, NULL, 0}};
    struct init_options o = {0};
    bool quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", longs, NULL)) != -1) {
        if (c == 'O')
            o.organisation = optarg;
        else if (c == 'F')
            o.force = true;
        else if (c == 'q')
            quiet = true;
        else {
            fputs(usage_text, stderr);
            return APP_USAGE;
        }
    }
    if (argc - optind > 1 || !o.organisation) {
        fputs(usage_text, stderr);
        return APP_USAGE;
    }
    o.dir = optind < argc ? argv[optind] : ".";
    char date[16];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    o.date = date;
    struct errors errors = {0};
    struct init_result r;
    int made = init_workspace(&o, &r, &errors);
    if (made != 0) {
        errors_print(&errors, stderr);
        errors_clear(&errors);
        return made == INIT_REFUSED ? APP_INPUT : APP_OUTPUT;
    }
    if (!quiet) {
        for (size_t i = 0; i < r.kept_count; i++)
            printf("kept %s/%s (already there)\n", o.dir, r.kept[i]);
        printf("a missive workspace for %s is in %s (%zu files); try:\n"
               "  cd %s && missive render letters/example.xml\n",
               o.organisation, o.dir, r.written_count, o.dir);
    }
    init_result_clear(&r);
    return APP_OK;
}
