/* web.h — owns `missive serve`: a local web server (libmicrohttpd) on
 * 127.0.0.1 where a campaigns officer sees the workspace, checks and
 * previews letters and reads the register. It calls the application layer
 * as the CLI does; every page is also a CLI command. */
#ifndef MISSIVE_WEB_H
#define MISSIVE_WEB_H

#include "error.h"

#include <stdio.h>

struct web_options {
    const char *root; /* the workspace folder ("." for the current one) */
    int port;         /* 0: any free port */
    FILE *out;        /* where the URL is printed once the server listens */
};

/* Serves the workspace until SIGINT or SIGTERM, then stops cleanly.
 * Returns 0, or -1 with errors when it cannot start (the workspace does
 * not load, the port is taken). */
int web_serve(const struct web_options *options, struct errors *errors);

#endif
