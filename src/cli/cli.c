/* cli.c — workspace discovery and shared option parsing. */
#include "cli.h"

#include "arena.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *cli_find_workspace(const char *start)
{
    char path[PATH_MAX], cwd[PATH_MAX];
    struct stat st;
    if (!realpath(start, path))
        return xstrdup(".");
    char *dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? path : dirname(path);
    for (;; dir = dirname(dir)) {
        char ini[PATH_MAX + 16];
        snprintf(ini, sizeof ini, "%s/missive.ini", dir);
        /* The current folder is named "." so that messages stay short. */
        if (stat(ini, &st) == 0)
            return xstrdup(getcwd(cwd, sizeof cwd) && strcmp(cwd, dir) == 0 ? "." : dir);
        if (strcmp(dir, "/") == 0 || strcmp(dir, ".") == 0)
            return xstrdup(".");
    }
}

int cli_parse_jobs(const char *text, unsigned *jobs)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (*end || end == text || v < 1 || v > 1024) {
        fprintf(stderr,
                "missive: error: --jobs takes a number of threads from 1 to 1024, not '%s'\n",
                text);
        return -1;
    }
    *jobs = (unsigned)v;
    return 0;
}
