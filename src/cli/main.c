/* main.c — the missive program: sets up what the process shares, runs the
 * command the command line names (command.c) and makes sure every byte it
 * printed reached standard output and standard error. */
#include "cli.h"
#include "command.h"

#include <errno.h>
#include <libxml/parser.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* A full disk or a closed pipe must not look like success: output is
 * buffered, so the failure shows when it is flushed at the latest. */
static int close_streams(int status)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno)
            fprintf(stderr, "missive: error: cannot write to standard output: %s\n",
                    strerror(errno));
        else
            fputs("missive: error: cannot write to standard output\n", stderr);
        fflush(stderr);
        return status == APP_OK ? APP_OUTPUT : status;
    }
    if (fflush(stderr) != 0 || ferror(stderr))
        return status == APP_OK ? APP_OUTPUT : status;
    return status;
}

int main(int argc, char **argv)
{
    /* libxml2 2.9 wants its globals set up on the main thread before any
     * other thread may parse. */
    xmlInitParser();
    cli_find_datadir();
    /* A closed pipe is a write error to report, not a silent death. */
    signal(SIGPIPE, SIG_IGN);
    return close_streams(command_main(argc, argv));
}
