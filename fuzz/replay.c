/* replay.c — a fuzz target as a plain program: each file named on the
 * command line is given to LLVMFuzzerTestOneInput once. The normal build
 * compiles every target this way, so that a target that no longer builds
 * or a finding that crashes again fails the test suite (tests/fuzz.sh). */
#include "fuzz.h"

#include <dirent.h>

/* Removes the inputs' folder (this process's, see fuzz.h): files and
 * links only, as the targets write them. */
static void remove_folder(const char *folder)
{
    DIR *dir = opendir(folder);
    if (!dir)
        return;
    char path[4096];
    for (const struct dirent *e; (e = readdir(dir));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
        unlink(path);
    }
    closedir(dir);
    rmdir(folder);
}

int main(int argc, char **argv)
{
    int replayed = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 2;
        }
        uint8_t *data = NULL;
        size_t size = 0, capacity = 0, got;
        do {
            if (size == capacity) {
                capacity = capacity ? capacity * 2 : 65536;
                data = realloc(data, capacity);
                if (!data)
                    abort();
            }
            got = fread(data + size, 1, capacity - size, f);
            size += got;
        } while (got > 0);
        fclose(f);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        replayed++;
    }
    remove_folder(fuzz_folder());
    printf("replayed %d inputs\n", replayed);
    return 0;
}
