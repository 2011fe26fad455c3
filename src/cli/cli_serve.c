/* cli_serve.c — `missive serve [--port N] [-w WORKSPACE]`: hands the
 * parsed options over to the web server (src/web). */
#include "cli_serve.h"

#include "cli.h"
#include "web.h"

#include <stdio.h>

int cli_serve(const struct cli_args *args)
{
    struct web_options o = {
        .root = args->workspace ? args->workspace : ".", .port = args->port, .out = stdout};
    struct errors errors = {0};
    int status = web_serve(&o, &errors) == 0 ? APP_OK : APP_INPUT;
    errors_print(&errors, stderr);
    errors_clear(&errors);
    return status;
}
