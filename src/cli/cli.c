/* cli.c — finding the installed data folder. */
#include "cli.h"

#include "arena.h"
#include "datadir.h"
#include "module.h"
#include "path.h"

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
#ifndef MISSIVE_MODULEDIR_FROM_BIN
#define MISSIVE_MODULEDIR_FROM_BIN "../lib/missive"
#endif

static bool has_templates(const char *dir)
{
    char path[3 * PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/templates", dir);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The modules (module.h): beside the binary first, as for the data; the
 * binary in the build tree has its modules in its own folder. */
static void find_moduledir(const char *bin, bool in_build_tree)
{
    char dir[2 * PATH_MAX];
    struct stat st;
    if (bin) {
        snprintf(dir, sizeof dir, "%s/%s/missive-web.so", bin, MISSIVE_MODULEDIR_FROM_BIN);
        if (stat(dir, &st) == 0) {
            dir[strlen(dir) - strlen("/missive-web.so")] = '\0';
            module_set_dir(dir);
            return;
        }
        if (in_build_tree) {
            module_set_dir(bin);
            return;
        }
    }
#ifdef MISSIVE_MODULEDIR
    module_set_dir(MISSIVE_MODULEDIR);
#endif
}

/* Whether bin is the build tree's folder of the binary. */
static bool in_build_tree(const char *bin)
{
#ifdef MISSIVE_BUILD_DIR
    char build[PATH_MAX];
    return path_real(MISSIVE_BUILD_DIR, build) && strcmp(build, bin) == 0;
#else
    (void)bin;
    return false;
#endif
}

void cli_find_datadir(void)
{
    char exe[PATH_MAX], dir[2 * PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *bin = NULL;
    bool built = false;
    if (n > 0) {
        exe[n] = '\0';
        bin = dirname(exe);
        built = in_build_tree(bin);
    }
    find_moduledir(bin, built);
    if (bin) {
        /* Beside the binary first, so that a copy installed under any
         * prefix or --destdir finds its own data. */
        snprintf(dir, sizeof dir, "%s/%s", bin, MISSIVE_DATADIR_FROM_BIN);
        if (has_templates(dir)) {
            datadir_set(dir);
            return;
        }
#ifdef MISSIVE_SOURCE_ROOT
        /* The binary in the build tree uses the source tree's data. */
        if (built) {
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
