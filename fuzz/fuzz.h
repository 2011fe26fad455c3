/* fuzz.h — what the libFuzzer targets share: the input written to a file
 * (missive reads files, not memory), a workspace loaded once, and errors
 * dropped. Each target defines LLVMFuzzerTestOneInput. */
#ifndef MISSIVE_FUZZ_H
#define MISSIVE_FUZZ_H

#include "error.h"
#include "path.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private folder for this process's inputs, allowed by the policy. */
static inline const char *fuzz_folder(void)
{
    static char folder[64];
    if (!folder[0]) {
        snprintf(folder, sizeof folder, "/tmp/missive-fuzz-%ld", (long)getpid());
        if (mkdir(folder, 0700) != 0 && errno != EEXIST)
            abort();
    }
    return folder;
}

/* Writes data to folder/name and returns the path (static storage). */
static inline const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", fuzz_folder(), name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    return path;
}

#endif
