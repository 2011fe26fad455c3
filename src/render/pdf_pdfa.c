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
 * of MD5 against 113.1 M for 1,000 letters). A file is kept as steps of
 * 1 KB, each with MD5's state after it, that files sharing the step hold
 * together: a file following another takes its steps without a copy. The
 * lock is held to look up and to put a file in, never while hashing. */

enum {
    PREFIX_STEP = 1024, /* a state kept at every step (a multiple of MD5's 64-byte block) */
    PREFIX_MAX = 32768, /* of a file's bytes kept: the shared part is before it */
    PREFIX_STEPS = PREFIX_MAX / PREFIX_STEP,
    PREFIX_FILES = 4, /* files kept: a campaign's variants */
};

struct prefix_step {
    uint8_t bytes[PREFIX_STEP];
    struct md5_ctx after; /* the state after the file's steps up to this one */
    unsigned holders;     /* files holding it; 0 on the free list */
    struct prefix_step *next_free;
};

struct prefix_file {
    struct prefix_step *steps[PREFIX_STEPS];
    size_t count;       /* steps held */
    unsigned long used; /* last use, for replacing */
};

static struct {
    pthread_mutex_t lock;
    struct prefix_file *files[PREFIX_FILES];
    struct prefix_step *free_steps;
    unsigned long clock;
} prefixes = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Steps data and f agree in from the start, up to len bytes. */
static size_t common_steps(const struct prefix_file *f, const uint8_t *data, size_t len)
{
    size_t k = 0;
    while (k < f->count && (k + 1) * PREFIX_STEP <= len &&
           memcmp(f->steps[k]->bytes, data + k * PREFIX_STEP, PREFIX_STEP) == 0)
        k++;
    return k;
}

/* Under the lock: a step for a new file, from the free list or made (a
 * one-letter process makes only its own). */
static struct prefix_step *take_step(void)
{
    struct prefix_step *step = prefixes.free_steps;
    if (step)
        prefixes.free_steps = step->next_free;
    else
        step = xmalloc(sizeof *step);
    step->holders = 1;
    return step;
}

/* Under the lock: a file's steps let go, and the file. */
static void drop_file(struct prefix_file *f)
{
    for (size_t k = 0; f && k < f->count; k++)
        if (--f->steps[k]->holders == 0) {
            f->steps[k]->next_free = prefixes.free_steps;
            prefixes.free_steps = f->steps[k];
        }
    free(f);
}

/* A new file being filled: the kept file data follows (its slot, or
 * PREFIX_FILES for none) and how many steps they share. */
struct prefix_claim {
    struct prefix_file *file;
    const struct prefix_file *follows;
    size_t slot;
    size_t shared;
};

/* Under the lock: the kept file sharing most of data, its shared steps
 * held by a new file, and the steps data needs beyond them taken. */
static struct prefix_claim claim_prefix(const uint8_t *data, size_t len, size_t kept)
{
    struct prefix_claim c = {.slot = PREFIX_FILES};
    for (size_t i = 0; i < PREFIX_FILES; i++) {
        const struct prefix_file *f = prefixes.files[i];
        size_t shared = f ? common_steps(f, data, len) : 0;
        if (f && (!c.follows || shared > c.shared)) {
            c.follows = f;
            c.slot = i;
            c.shared = shared;
        }
    }
    c.file = xmalloc(sizeof *c.file);
    c.file->count = kept / PREFIX_STEP;
    for (size_t k = 0; k < c.shared; k++) {
        c.file->steps[k] = c.follows->steps[k];
        c.file->steps[k]->holders++;
    }
    for (size_t k = c.shared; k < c.file->count; k++)
        c.file->steps[k] = take_step();
    return c;
}

/* Under the lock: the filled file takes the place of the one it follows
 * (a variant's next letter) if that is still kept; one that shares no
 * step takes a place not yet used, else replaces the oldest. */
static void put_prefix(const struct prefix_claim *c)
{
    size_t into = PREFIX_FILES;
    if (c->shared && prefixes.files[c->slot] == c->follows)
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
    drop_file(prefixes.files[into]);
    prefixes.files[into] = c->file;
    c->file->used = ++prefixes.clock;
}

/* MD5 of data as md5_update over all of it would give, through the kept
 * files. */
static void kept_digest(const uint8_t *data, size_t len, uint8_t digest[MD5_DIGEST_SIZE])
{
    size_t kept = len < PREFIX_MAX ? len / PREFIX_STEP * PREFIX_STEP : PREFIX_MAX;
    pthread_mutex_lock(&prefixes.lock);
    struct prefix_claim c = claim_prefix(data, len, kept);
    pthread_mutex_unlock(&prefixes.lock);
    struct md5_ctx ctx;
    if (c.shared)
        ctx = c.file->steps[c.shared - 1]->after;
    else
        md5_init(&ctx);
    /* The steps past the shared ones are this thread's until put in. */
    size_t at = c.shared * PREFIX_STEP;
    for (size_t k = c.shared; k < c.file->count; k++, at += PREFIX_STEP) {
        struct prefix_step *step = c.file->steps[k];
        memcpy(step->bytes, data + at, PREFIX_STEP);
        md5_update(&ctx, PREFIX_STEP, step->bytes);
        step->after = ctx;
    }
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
