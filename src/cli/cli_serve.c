/* cli_serve.c — `missive serve [--port N] [-w WORKSPACE]`: parses its
 * options and hands over to the web server (src/web). */
#include "cli.h"
#include "cli_serve.h"
#include "web.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char serve_usage[] =
    "usage: missive serve [--port N] [-w WORKSPACE]\n"
    "\n"
    "Serves the workspace on http://127.0.0.1:N/ (any free port by default) until\n"
    "Ctrl-C. Open the address printed: it holds a new access token each start.\n"
    "  -p, --port N           the port (1-65535; 0 or none: any free port)\n"
    "  -w, --workspace DIR    the workspace folder (default: .)\n";

int cli_serve(int argc, char **argv)
{
    static const struct option longs[] = {{"port", required_argument, NULL, 'p'},
                                          {"workspace", required_argument, NULL, 'w'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    struct web_options o = {.root = ".", .out = stdout};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "p:w:h", longs, NULL)) != -1) {
        char *end = NULL;
        long port;
        switch (c) {
        case 'p':
            port = strtol(optarg, &end, 10);
            if (*end || end == optarg || port < 0 || port > 65535) {
                fprintf(stderr, "missive: error: --port takes a number from 0 to 65535, not '%s'\n",
                        optarg);
                return APP_USAGE;
            }
            o.port = (int)port;
            break;
        case 'w':
            o.root = optarg;
            break;
        case 'h':
            fputs(serve_usage, stdout);
            return APP_OK;
        default:
            fputs(serve_usage, stderr);
            return APP_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "missive: error: serve takes no operands ('%s')\n", argv[optind]);
        return APP_USAGE;
    }
    struct errors errors = {0};
    int status = web_serve(&o, &errors) == 0 ? APP_OK : APP_INPUT;
    errors_print(&errors, stderr);
    errors_clear(&errors);
    return status;
}
