/* hash.h — one 64-bit hash of bytes for missive's in-memory keys (the
 * layout cache, the page measure's kept widths, the check that a
 * recipient's section read again is the one loaded) and one of 32-bit
 * keys. Inline, as they run over every paragraph's text. */
#ifndef MISSIVE_HASH_H
#define MISSIVE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The last n < 8 bytes at p as memcpy into a zeroed uint64_t reads them.
 * memcpy of a length the compiler cannot see was a call into libc for
 * every hash (1.3 million words looked up in a petition of 100,000
 * signers); two loads that may overlap cover 4 to 7 bytes, three 1 to 3
 * (tests/base/test_hash.c compares it with memcpy). */
static inline uint64_t hash_tail(const char *p, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const unsigned char *b = (const unsigned char *)p;
    if (n >= 4) {
        uint32_t low, high;
        memcpy(&low, b, 4);
        memcpy(&high, b + n - 4, 4);
        return low | (uint64_t)high << (8 * (n - 4));
    }
    if (n == 0)
        return 0;
    return b[0] | (uint64_t)b[n / 2] << (8 * (n / 2)) | (uint64_t)b[n - 1] << (8 * (n - 1));
#else
    uint64_t tail = 0;
    memcpy(&tail, p, n);
    return tail;
    /* A 32-bit key (two glyph ids) spread over a power-of-two table's low
     * bits: the kerning pair tables of the shaping fast path. */
    static inline uint32_t hash_u32(uint32_t key)
    {
        return (key * 0x9E3779B1u) >> 7;
    }

#endif
}

/* Eight bytes a step, each word mixed in fully (a change of any bit
 * changes the result); a byte-wise FNV over every paragraph's text was 2%
 * of a campaign letter. */
static inline uint64_t hash_bytes(const void *data, size_t len)
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
    h = (h ^ hash_tail(bytes + i, len - i)) * 0xC4CEB9FE1A85EC53u;
    return h ^ (h >> 29);
}

/* A 32-bit key (two glyph ids) spread over a power-of-two table's low
 * bits: the kerning pair tables of the shaping fast path. */
static inline uint32_t hash_u32(uint32_t key)
{
    return (key * 0x9E3779B1u) >> 7;
}

#endif
