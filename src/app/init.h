/* init.h — owns making a new workspace (`missive init`): the skeleton
 * installed with missive (missive.ini with the organisation's prefix, the
 * three people files with one example each, an example letter) and a copy
 * of the default templates, written so that the example renders at once. */
#ifndef MISSIVE_INIT_H
#define MISSIVE_INIT_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

struct init_options {
    const char *dir;          /* the new workspace; created when missing */
    const char *organisation; /* the reference prefix, e.g. ICEM-IMF */
    const char *date;         /* the example letter's date, yyyy-mm-dd */
    bool force;               /* a folder that is not empty is fine: files already
                                 there are kept, never overwritten */
};

/* What init_workspace did: paths relative to the workspace, sorted. */
struct init_result {
    char **written, **kept;
    size_t written_count, kept_count;
};

/* init_workspace's failures: refused (a bad prefix, a folder not empty,
 * no installed data) or a file could not be written. */
enum { INIT_REFUSED = -1, INIT_WRITE_FAILED = -2 };

/* Makes the workspace from the data folder (datadir.h). Returns 0, or one
 * of the failures above with errors and nothing left behind. */
int init_workspace(const struct init_options *options, struct init_result *result,
                   struct errors *errors);
void init_result_clear(struct init_result *result);

#endif
