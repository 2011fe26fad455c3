/* cli_serve.c — `missive serve [--port N] [-w WORKSPACE]`: hands the
 * parsed options over to the web server (src/web). */
#include "cli_serve.h"

#include "cli.h"
#include "module.h"
#include "web.h"

#include <stdio.h>

/* The web server is missive-web.so's (module.h): only `serve` loads it and
 * its libraries. */
typedef int web_serve_fn(const struct web_options *options, struct errors *errors);

int cli_serve(const struct cli_args *args)
{
    struct web_options o = {
        .root = args->workspace ? args->workspace : ".", .port = args->port, .out = stdout};
    struct errors errors = {0};
    char reason[600];
    web_serve_fn *serve =
        (web_serve_fn *)module_function("web", "web_serve", reason, sizeof reason);
    if (!serve)
        errors_add_at(&errors, NULL, 0, 0, "the web server cannot start: %s", reason);
    int status = serve && serve(&o, &errors) == 0 ? APP_OK : APP_INPUT;
    errors_print(&errors, stderr);
    errors_clear(&errors);
    return status;
}
