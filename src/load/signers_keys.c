/* signers_keys.c — owns the keys duplicates are found by: a text's
 * NFKC_Casefold form (ICU's, or the same made from a table of ICU's own
 * per-character answers where that is exact) hashed to 128 bits. */
#include "signers_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

bool signers_icu_always;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDu;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53u;
    x ^= x >> 33;
    return x;
}

/* Two 64-bit hashes of len bytes, from two differently mixed lanes: keys
 * are only ever compared by these. */
static void hash128(const unsigned char *data, size_t len, uint64_t out[2])
{
    uint64_t a = 0x9E3779B97F4A7C15u ^ len, b = 0x2545F4914F6CDD1Du + len;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w = 0;
        if (len - i >= 8)
            memcpy(&w, data + i, 8); /* a fixed size: no call */
        else
            memcpy(&w, data + i, len - i);
        a = mix(a ^ w);
        b = (b ^ w) * 0x100000001B3u;
        b = ((b << 29) | (b >> 35)) + a;
    }
    out[0] = mix(a ^ ((b << 17) | (b >> 47)));
    out[1] = mix(b + 3 * a);
    if (!out[0] && !out[1])
        out[1] = 1; /* {0, 0} means no key */
}

static const uint64_t ONES = 0x0101010101010101u, HIGHS = 0x8080808080808080u;

/* Writes text's ASCII lower case to out (len bytes of room); false when
 * text is not all ASCII. Eight bytes at a time: with the high bits clear
 * no sum below carries out of its byte, so each byte is judged alone. */
static bool lower_ascii(const char *text, size_t len, char *out)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        if (w & HIGHS)
            return false;
        uint64_t from_a = w + ONES * (0x80 - 'A'), past_z = w + ONES * (0x80 - 'Z' - 1);
        w |= ((from_a ^ past_z) & HIGHS) >> 2; /* 'A'..'Z' get 0x20 */
        memcpy(out + i, &w, 8);
    }
    for (; i < len; i++) {
        if ((unsigned char)text[i] >= 0x80)
            return false;
        out[i] = text[i] >= 'A' && text[i] <= 'Z' ? (char)(text[i] - 'A' + 'a') : text[i];
    }
    return true;
}

/* How many bytes from text on are ASCII, eight tested at a time. */
static size_t ascii_run(const char *text, size_t len)
{
    size_t i = 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        if (w & HIGHS)
            return i + (size_t)(__builtin_ctzll(w & HIGHS) >> 3);
    }
#endif
    while (i < len && (unsigned char)text[i] < 0x80)
        i++;
    return i;
}

/* NFKC_Casefold of each code point below FOLD_END as ICU gives it, kept
 * only for those with a normalisation boundary before them whatever
 * precedes (unorm2_hasBoundaryBefore): a text made only of such code
 * points normalises piece by piece, so its form is their forms one after
 * the other. Latin, Greek and Cyrillic letters are such; combining marks
 * are not, and a text holding one goes to ICU whole. */
enum { FOLD_END = 0x800, FOLD_ROOM = 15, FOLD_ASK = 0xFF };

static struct {
    uint8_t len[FOLD_END]; /* FOLD_ASK: not known piece by piece */
    char bytes[FOLD_END][FOLD_ROOM];
} fold;

static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_init(void)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    for (UChar32 c = 0; c < FOLD_END; c++) {
        fold.len[c] = FOLD_ASK;
        if (U_FAILURE(status) || !unorm2_hasBoundaryBefore(nfkc_cf, c))
            continue;
        UChar one[2], folded[32];
        int32_t n = 0, bytes = 0;
        U16_APPEND_UNSAFE(one, n, c);
        UErrorCode st = U_ZERO_ERROR;
        n = unorm2_normalize(nfkc_cf, one, n, folded, 32, &st);
        char utf8[64];
        u_strToUTF8(utf8, sizeof utf8, &bytes, folded, n, &st);
        if (U_SUCCESS(st) && bytes <= FOLD_ROOM) {
            memcpy(fold.bytes[c], utf8, (size_t)bytes);
            fold.len[c] = (uint8_t)bytes;
        }
    }
}

/* Appends the NFKC_Casefold form of text (valid UTF-8) from the table;
 * false, scratch as it was, when some code point is not in it. */
static bool fold_by_table(const char *text, size_t len, struct buffer *scratch)
{
    if (signers_icu_always)
        return false;
    pthread_once(&fold_once, fold_init);
    size_t start = scratch->len;
    buffer_reserve(scratch, len * 2 + 16);
    for (int32_t i = 0; (size_t)i < len;) {
        if (scratch->len + FOLD_ROOM >= scratch->capacity)
            buffer_reserve(scratch, FOLD_ROOM + len);
        unsigned char b = (unsigned char)text[i];
        if (b < 0x80) {
            /* ASCII folds to its lower case, as in signers_key_hash: a
             * run of it at once. */
            size_t run = ascii_run(text + i, len - (size_t)i);
            if (scratch->len + run + FOLD_ROOM >= scratch->capacity)
                buffer_reserve(scratch, run + FOLD_ROOM);
            lower_ascii(text + i, run, scratch->data + scratch->len);
            scratch->len += run;
            i += (int32_t)run;
            continue;
        }
        UChar32 c;
        if (b >= 0xC2 && b <= 0xDF && (size_t)i + 1 < len &&
            ((unsigned char)text[i + 1] & 0xC0) == 0x80) {
            /* Two bytes, the table's own: U8_NEXT without its general case. */
            c = (UChar32)((b & 0x1F) << 6 | ((unsigned char)text[i + 1] & 0x3F));
            i += 2;
        } else {
            U8_NEXT(text, i, (int32_t)len, c);
        }
        if (c < 0 || c >= FOLD_END || fold.len[c] == FOLD_ASK) {
            scratch->len = start;
            return false;
        }
        memcpy(scratch->data + scratch->len, fold.bytes[c], FOLD_ROOM);
        scratch->len += fold.len[c];
    }
    scratch->data[scratch->len] = '\0';
    return true;
}

/* Appends ICU's NFKC_Casefold form of text. Sized without ICU's
 * preflights (half the work): UTF-8 is never shorter in UTF-16 units, a
 * UTF-16 unit never more than three bytes, and NFKC_Casefold seldom more
 * than triples a text (a longer result is measured and made again). */
static void fold_by_icu(const char *text, size_t len, struct buffer *scratch)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    int32_t room = 3 * (int32_t)len + 16, wide_len = 0;
    UChar *wide = xmalloc(((size_t)len + 1 + (size_t)room) * sizeof *wide);
    UChar *folded = wide + len + 1;
    u_strFromUTF8(wide, (int32_t)len + 1, &wide_len, text, (int32_t)len, &status);
    int32_t n = unorm2_normalize(nfkc_cf, wide, wide_len, folded, room, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        status = U_ZERO_ERROR;
        wide = xrealloc(wide, ((size_t)len + 1 + (size_t)n + 1) * sizeof *wide);
        folded = wide + len + 1;
        n = unorm2_normalize(nfkc_cf, wide, wide_len, folded, n + 1, &status);
    }
    int32_t bytes = 0;
    buffer_reserve(scratch, 3 * (size_t)n + 1);
    status = U_ZERO_ERROR;
    u_strToUTF8(scratch->data + scratch->len, 3 * n + 1, &bytes, folded, n, &status);
    scratch->len += (size_t)bytes;
    free(wide);
}

void signers_key_hash(enum signer_type type, const char *text, size_t len, struct buffer *scratch,
                      uint64_t out[2])
{
    out[0] = out[1] = 0;
    if (len == 0)
        return;
    buffer_reset(scratch);
    buffer_putc(scratch, type == SIGNER_ORGANISATION ? 'o' : 'i');
    buffer_reserve(scratch, len);
    if (!signers_icu_always && lower_ascii(text, len, scratch->data + 1)) {
        /* NFKC_Casefold of ASCII is its lower case. */
        scratch->len += len;
    } else if (!fold_by_table(text, len, scratch)) {
        fold_by_icu(text, len, scratch);
    }
    hash128((const unsigned char *)scratch->data, scratch->len, out);
}
