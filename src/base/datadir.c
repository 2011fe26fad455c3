/* datadir.c — the installed data folder, named once by the program. */
#include "datadir.h"

#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *data_dir;

void datadir_set(const char *dir)
{
    free(data_dir);
    data_dir = dir ? xstrdup(dir) : NULL;
}

const char *datadir_get(void)
{
    return data_dir;
}

char *datadir_find(const char *relative)
{
    if (!data_dir)
        return NULL;
    size_t n = strlen(data_dir) + strlen(relative) + 2;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", data_dir, relative);
    struct stat st;
    if (stat(path, &st) == 0)
        return path;
    free(path);
    return NULL;
}
