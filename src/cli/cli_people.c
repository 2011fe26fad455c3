/* cli_people.c — `missive import SOURCE`: prints the INI people file the
 * application layer makes from a [source.NAME] spreadsheet, all of it or,
 * on any error, nothing. */
#include "cli_people.h"

#include "app.h"
#include "cli.h"

#include <stdio.h>

int cli_import_people(const struct cli_args *args)
{
    struct app *app = app_open(&(struct app_options){.workspace = args->workspace, .start = "."});
    struct buffer ini = {0};
    struct errors errors = {0};
    int status = app_import_people(app, args->operands[0], &ini, &errors);
    if (status == APP_OK)
        fwrite(ini.data, 1, ini.len, stdout); /* checked when stdout is closed (main.c) */
    errors_print(&errors, stderr);
    errors_clear(&errors);
    buffer_free(&ini);
    app_close(app);
    return status;
}
