/* fuzz_png.c — an image as signatures and logos are checked: signature,
 * then full decoding with libpng's error reporting. */
#include "fuzz.h"
#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A fresh name each time: image.c remembers good files by path. */
    static unsigned long count;
    char name[32];
    snprintf(name, sizeof name, "image-%lu.png", count++);
    const char *path = fuzz_write(name, data, size);
    char reason[512];
    image_check_png(path, reason, sizeof reason);
    unlink(path);
    return 0;
}
