/* signing.c — owns verify-pdf for the command line (signing.h). */
#include "signing.h"

#include "arena.h"
#include "buffer.h"
#include "workspace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The workspace's [signing] trust, when there is a workspace that names one. */
static char *workspace_trust(const char *root, struct errors *errors)
{
    struct stat st;
    char ini[4096];
    snprintf(ini, sizeof ini, "%s/missive.ini", root);
    if (stat(ini, &st) != 0)
        return NULL;
    struct workspace *ws = workspace_load(root, errors);
    char *trust = ws && ws->settings.signing.trust ? xstrdup(ws->settings.signing.trust) : NULL;
    workspace_free(ws);
    return trust;
}

int signing_verify_file(const struct signing_verify_options *o, struct sign_report *report,
                        struct errors *errors)
{
    *report = (struct sign_report){0};
    struct buffer pdf = {0};
    if (buffer_read_file(&pdf, o->file) != 0) {
        errors_add_at(errors, o->file, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    size_t before = errors->count;
    char *trust = o->trust       ? xstrdup(o->trust)
                  : o->workspace ? workspace_trust(o->workspace, errors)
                                 : NULL;
    int status = -1;
    if (errors->count == before)
        status = sign_verify(pdf.data, pdf.len, o->file, trust, report, errors);
    free(trust);
    buffer_free(&pdf);
    return status;
}
