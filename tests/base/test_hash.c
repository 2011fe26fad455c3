/* test_hash.c — hash.h's tail loader against the memcpy it replaces, and
 * hash_bytes against that reference, over random bytes of every length. */
#include "hash.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t reference_tail(const char *p, size_t n)
{
    uint64_t tail = 0;
    memcpy(&tail, p, n);
    return tail;
}

static uint64_t reference_hash(const void *data, size_t len)
{
    const char *bytes = data;
    uint64_t h = 0x9E3779B97F4A7C15u ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, bytes + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    h = (h ^ reference_tail(bytes + i, len - i)) * 0xC4CEB9FE1A85EC53u;
    return h ^ (h >> 29);
}

int main(void)
{
    int failed = 0;
    char buf[64];
    srand(17);
    for (int round = 0; round < 200000 && !failed; round++) {
        for (size_t k = 0; k < sizeof buf; k++)
            buf[k] = (char)(rand() & 0xFF);
        size_t n = (size_t)round % 8, len = (size_t)rand() % sizeof buf;
        size_t at = (size_t)rand() % (sizeof buf - 8);
        if (hash_tail(buf + at, n) != reference_tail(buf + at, n)) {
            fprintf(stderr, "hash_tail differs at length %zu\n", n);
            failed = 1;
        }
        if (hash_bytes(buf, len) != reference_hash(buf, len)) {
            fprintf(stderr, "hash_bytes differs at length %zu\n", len);
            failed = 1;
        }
    }
    if (!failed)
        printf("hash: tail and hash as memcpy gives them\n");
    return failed;
}
