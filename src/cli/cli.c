/* cli.c — finding the installed data folder. */
#include "cli.h"

#include "arena.h"
#include "datadir.h"

#include <libgen.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MISSIVE_DATADIR_FROM_BIN
#define MISSIVE_DATADIR_FROM_BIN "../share/missive"
#endif

static bool has_templates(const char *dir)
{
    char path[3 * PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/templates", dir);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void cli_find_datadir(void)
{
    char exe[PATH_MAX], dir[2 * PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* Beside the binary first, so that a copy installed under any
         * prefix or --destdir finds its own data. */
        const char *bin = dirname(exe);
        snprintf(dir, sizeof dir, "%s/%s", bin, MISSIVE_DATADIR_FROM_BIN);
        if (has_templates(dir)) {
            datadir_set(dir);
            return;
        }
#if defined(MISSIVE_BUILD_DIR) && defined(MISSIVE_SOURCE_ROOT)
        /* The binary in the build tree uses the source tree's data. */
        char build[PATH_MAX];
        if (realpath(MISSIVE_BUILD_DIR, build) && strcmp(build, bin) == 0) {
            datadir_set(MISSIVE_SOURCE_ROOT);
            return;
        }
#endif
    }
#ifdef MISSIVE_DATADIR
    if (has_templates(MISSIVE_DATADIR))
        datadir_set(MISSIVE_DATADIR);
#endif
}
