/* support.h — helpers the unit tests share: the exact printed form of an
 * error list (what the CLI would print), and writing a fixture file. */
#ifndef MISSIVE_TEST_SUPPORT_H
#define MISSIVE_TEST_SUPPORT_H

#include "error.h"

#include <stdio.h>
#include <stdlib.h>

/* errors as errors_print writes them; the caller frees. */
static inline char *errors_text(const struct errors *errors)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) {
        perror("open_memstream");
        exit(2);
    }
    errors_print(errors, out);
    fclose(out);
    return text;
}

/* Writes text to path, or ends the test run when it cannot. */
static inline void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

#endif
