/* web_path.c — paths from requests, refused unless they stay inside the
 * workspace. Both the spelling (no "..", no absolute path) and the
 * resolved file (realpath, so a symbolic link cannot lead out) are
 * checked: either alone can be fooled. */
#include "web_path.h"

#include "arena.h"
#include "web_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* true when every '/'-separated part of s is a plain name. */
static bool plain_relative(const char *s)
{
    if (!*s || *s == '/' || strlen(s) > 1024 || strchr(s, '\\'))
        return false;
    for (const char *p = s; *p;) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20)
                return false;
        p += n + (end ? 1 : 0);
    }
    return true;
}

static char *resolve(const char *folder, const char *relative, char *why, size_t size)
{
    if (!plain_relative(relative)) {
        snprintf(why, size, "'%s' is not a path inside the workspace", relative);
        return NULL;
    }
    char real_folder[PATH_MAX], real[PATH_MAX];
    size_t n = strlen(folder) + strlen(relative) + 2;
    char *joined = xmalloc(n);
    if (strcmp(folder, ".") == 0)
        snprintf(joined, n, "%s", relative);
    else
        snprintf(joined, n, "%s%s%s", folder, folder[strlen(folder) - 1] == '/' ? "" : "/",
                 relative);
    struct stat st;
    if (!realpath(folder, real_folder) || !realpath(joined, real) || stat(real, &st) != 0 ||
        !S_ISREG(st.st_mode)) {
        snprintf(why, size, "'%s': no such file in the workspace", relative);
        free(joined);
        return NULL;
    }
    size_t len = strlen(real_folder);
    if (strncmp(real, real_folder, len) != 0 || real[len] != '/') {
        snprintf(why, size, "'%s' leads outside the workspace", relative);
        free(joined);
        return NULL;
    }
    return joined;
}

char *web_path_resolve(const struct web *web, const char *relative, char *why, size_t size)
{
    return resolve(web->root, relative, why, size);
}

char *web_path_below(const char *folder, const char *relative, char *why, size_t size)
{
    return resolve(folder, relative, why, size);
}
