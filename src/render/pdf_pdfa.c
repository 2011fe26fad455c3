/* pdf_pdfa.c — PDF/A-3 beyond the metadata: version, output intent, page
 * transparency groups and a content-derived /ID. */
#include "pdf_pdfa.h"

#include "arena.h"
#include "caches.h"

#include "pdf_deflate.h"
#include "pdf_icc.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <nettle/md5.h>
#include <pthread.h>
#include <stdlib.h>

#include <stdbool.h>
#include <string.h>

#define ID_BYTES 16

void pdf_pdfa_begin(HPDF_Doc pdf)
{
    pdf->pdf_version = HPDF_VER_17;
    HPDF_Dict profile = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict intent = HPDF_Dict_New(pdf->mmgr);
    HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
    if (!profile || !intent || !intents)
        return;
    /* Deflated when the program was built: written as it is, with the
     * filter named by hand (a libharu filter would deflate it again). */
    pdf_deflate_write(profile, pdf_icc_srgb_deflated, pdf_icc_srgb_deflated_size);
    HPDF_Dict_AddNumber(profile, "N", 3);
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                  HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "Info", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(pdf->mmgr, "http://www.color.org", NULL));
    HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);
}

/* Whether page's resources name an image with a soft mask. */
static bool draws_soft_mask(HPDF_Page page)
{
    HPDF_PageAttr attr = page->attr;
    HPDF_Dict xobjects = attr->xobjects;
    if (!xobjects)
        return false;
    for (HPDF_UINT i = 0; i < xobjects->list->count; i++) {
        HPDF_DictElement e = HPDF_List_ItemAt(xobjects->list, i);
        HPDF_Dict image = HPDF_Dict_GetItem(xobjects, e->key, HPDF_OCLASS_DICT);
        if (image && HPDF_Dict_GetItem(image, "SMask", HPDF_OCLASS_DICT))
            return true;
    }
    return false;
}

void pdf_pdfa_pages(HPDF_Doc pdf)
{
    for (HPDF_UINT i = 0; i < pdf->page_list->count; i++) {
        HPDF_Page page = HPDF_List_ItemAt(pdf->page_list, i);
        if (!draws_soft_mask(page))
            continue;
        HPDF_Dict group = HPDF_Dict_New(pdf->mmgr);
        if (!group)
            return;
        HPDF_Dict_AddName(group, "Type", "Group");
        HPDF_Dict_AddName(group, "S", "Transparency");
        HPDF_Dict_AddName(group, "CS", "DeviceRGB");
        HPDF_Dict_Add(page, "Group", group);
    }
}

void pdf_pdfa_reserve_id(HPDF_Doc pdf)
{
    static const HPDF_BYTE zeros[ID_BYTES] = {0};
    HPDF_Array id = HPDF_Array_New(pdf->mmgr);
    if (!id)
        return;
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)zeros, ID_BYTES));
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)zeros, ID_BYTES));
    HPDF_Dict_Add(pdf->trailer, "ID", id);
}

/* The last occurrence of needle in the last window bytes of b. */
static char *find_last(struct buffer *b, const char *needle, size_t window)
{
    size_t n = strlen(needle);
    size_t from = b->len > window ? b->len - window : 0;
    for (size_t i = b->len >= n ? b->len - n + 1 : 0; i-- > from;)
        if (memcmp(b->data + i, needle, n) == 0)
            return b->data + i;
    return NULL;
}

/* ---- the /ID's digest, the prefix recent files share taken from where
 * they left off ----
 * A campaign's letters agree in their first 5-16 KB (header, catalogue,
 * metadata, colour profile, font programs): MD5 runs through a file in
 * order, so its state after a prefix seen before is kept rather than
 * computed again. The digest is the same either way.
 *
 * One table for all threads: a letter shares most with the letters just
 * before it, which with two threads are the other thread's as often as
 * its own (a table per thread hashed 12% more bytes: 125.7 M instructions
 * of MD5 against 113.1 M for 1,000 letters). The lock is held to look up
 * and copy out a prefix and to put a file in, never while hashing. */

enum {
    PREFIX_STEP = 1024, /* a state kept at every step (a multiple of MD5's 64-byte block) */
    PREFIX_MAX = 32768, /* of a file's bytes kept: the shared part is before it */
    PREFIX_FILES = 4,   /* files kept: a campaign's variants */
    PREFIX_SPARES = 4,  /* files being filled by threads, or free for the next */
};

struct prefix_file {
    uint8_t bytes[PREFIX_MAX];
    size_t len;                                          /* of bytes kept */
    struct md5_ctx states[PREFIX_MAX / PREFIX_STEP + 1]; /* states[k]: after k steps */
    unsigned long used;                                  /* last use, for replacing */
};

static struct {
    pthread_mutex_t lock;
    struct prefix_file *files[PREFIX_FILES];
    struct prefix_file *spares[PREFIX_SPARES];
    size_t spare_count;
    unsigned long clock;
} prefixes = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Bytes data and f->bytes agree in from the start, up to len. */
static size_t common_prefix(const struct prefix_file *f, const uint8_t *data, size_t len)
{
    size_t n = len < f->len ? len : f->len, at = 0;
    while (at + PREFIX_STEP <= n && memcmp(f->bytes + at, data + at, PREFIX_STEP) == 0)
        at += PREFIX_STEP;
    return at;
}

/* Where a lookup left a file to fill: the kept file data follows (its
 * slot, or PREFIX_FILES for none) and how far they agree. */
struct prefix_claim {
    struct prefix_file *file; /* a spare, holding the shared prefix's bytes and states */
    struct prefix_file *follows;
    size_t slot;
    size_t at;
};

/* Under the lock: the kept file sharing most of data, its prefix copied
 * into a spare (made when first needed: a one-letter process uses one). */
static struct prefix_claim claim_prefix(const uint8_t *data, size_t len)
{
    struct prefix_claim c = {.slot = PREFIX_FILES};
    for (size_t i = 0; i < PREFIX_FILES; i++) {
        struct prefix_file *f = prefixes.files[i];
        size_t at = f ? common_prefix(f, data, len) : 0;
        if (f && (!c.follows || at > c.at)) {
            c.follows = f;
            c.slot = i;
            c.at = at;
        }
    }
    c.file =
        prefixes.spare_count ? prefixes.spares[--prefixes.spare_count] : xmalloc(sizeof *c.file);
    if (c.follows) {
        memcpy(c.file->bytes, c.follows->bytes, c.at);
        memcpy(c.file->states, c.follows->states,
               (c.at / PREFIX_STEP + 1) * sizeof *c.file->states);
    } else {
        md5_init(&c.file->states[0]);
    }
    return c;
}

/* Under the lock: the filled file takes the place of the one it follows
 * (a variant's next letter) if that is still kept; one that shares less
 * than a step takes a place not yet used, else replaces the oldest. */
static void put_prefix(const struct prefix_claim *c)
{
    size_t into = PREFIX_FILES;
    if (c->at >= PREFIX_STEP && prefixes.files[c->slot] == c->follows)
        into = c->slot;
    for (size_t i = 0; into == PREFIX_FILES && i < PREFIX_FILES; i++)
        if (!prefixes.files[i])
            into = i;
    if (into == PREFIX_FILES) {
        into = 0;
        for (size_t i = 1; i < PREFIX_FILES; i++)
            if (prefixes.files[i]->used < prefixes.files[into]->used)
                into = i;
    }
    struct prefix_file *gone = prefixes.files[into];
    prefixes.files[into] = c->file;
    c->file->used = ++prefixes.clock;
    if (gone && prefixes.spare_count < PREFIX_SPARES)
        prefixes.spares[prefixes.spare_count++] = gone;
    else
        free(gone);
}

/* MD5 of data as md5_update over all of it would give, through the kept
 * files. */
static void kept_digest(const uint8_t *data, size_t len, uint8_t digest[MD5_DIGEST_SIZE])
{
    pthread_mutex_lock(&prefixes.lock);
    struct prefix_claim c = claim_prefix(data, len);
    pthread_mutex_unlock(&prefixes.lock);
    struct prefix_file *into = c.file;
    struct md5_ctx ctx = into->states[c.at / PREFIX_STEP];
    size_t at = c.at;
    size_t kept = len < PREFIX_MAX ? len / PREFIX_STEP * PREFIX_STEP : PREFIX_MAX;
    for (; at < kept; at += PREFIX_STEP) {
        md5_update(&ctx, PREFIX_STEP, data + at);
        into->states[at / PREFIX_STEP + 1] = ctx;
    }
    if (kept > c.at)
        memcpy(into->bytes + c.at, data + c.at, kept - c.at);
    into->len = kept;
    md5_update(&ctx, len - at, data + at);
    md5_digest(&ctx, MD5_DIGEST_SIZE, digest);
    pthread_mutex_lock(&prefixes.lock);
    put_prefix(&c);
    pthread_mutex_unlock(&prefixes.lock);
}

static void id_digest(const uint8_t *data, size_t len, uint8_t digest[MD5_DIGEST_SIZE])
{
    if (!caches_on()) {
        struct md5_ctx ctx;
        md5_init(&ctx);
        md5_update(&ctx, len, data);
        md5_digest(&ctx, MD5_DIGEST_SIZE, digest);
        return;
    }
    kept_digest(data, len, digest);
}

/* The two placeholders of the /ID in the last 1024 bytes of b. */
static bool find_placeholders(struct buffer *b, char **first, char **second)
{
    /* The trailer is the file's last few hundred bytes; libharu writes a
     * binary string as upper-case hex between angle brackets. */
    char placeholder[2 * ID_BYTES + 3] = "<";
    memset(placeholder + 1, '0', 2 * ID_BYTES);
    strcpy(placeholder + 1 + 2 * ID_BYTES, ">");
    char *id = find_last(b, "/ID", 1024);
    *first = id ? strstr(id, placeholder) : NULL;
    *second = *first ? strstr(*first + 1, placeholder) : NULL;
    return *second != NULL;
}

static void fill_id(char *first, char *second, const uint8_t digest[MD5_DIGEST_SIZE])
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < ID_BYTES; i++) {
        first[1 + 2 * i] = second[1 + 2 * i] = hex[digest[i] >> 4];
        first[2 + 2 * i] = second[2 + 2 * i] = hex[digest[i] & 15];
    }
}

int pdf_pdfa_identify(struct buffer *out)
{
    char *first, *second;
    if (!find_placeholders(out, &first, &second))
        return -1;
    /* MD5, as ISO 32000-1 (14.4) suggests for /ID: an identifier, not a
     * seal (the register keeps the SHA-256), at a sixth of SHA-256's cost. */
    uint8_t digest[MD5_DIGEST_SIZE];
    id_digest((const uint8_t *)out->data, out->len, digest);
    fill_id(first, second, digest);
    return 0;
}

int pdf_pdfa_identify_tail(struct buffer *tail, const uint8_t digest[16])
{
    char *first, *second;
    if (!find_placeholders(tail, &first, &second))
        return -1;
    fill_id(first, second, digest);
    return 0;
}
