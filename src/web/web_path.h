/* web_path.h — owns keeping every file a request names inside the
 * workspace: no "..", no absolute path, no symbolic link leading out. */
#ifndef MISSIVE_WEB_PATH_H
#define MISSIVE_WEB_PATH_H

#include <stddef.h>

struct web;

/* The file relative names (a path relative to the workspace, already
 * URL-decoded), joined to the workspace root as the CLI would name it,
 * when it is a plain relative path whose resolved form is an existing
 * regular file inside the workspace; else NULL and the reason in why.
 * Caller frees. */
char *web_path_resolve(const struct web *web, const char *relative, char *why, size_t size);

/* The same check for a path below folder (an absolute or root-relative
 * folder, e.g. the archive), for files the register names. */
char *web_path_below(const char *folder, const char *relative, char *why, size_t size);

#endif
