/* font_internal.h — the font set's state, shared by font.c and font_set.c. */
#ifndef MISSIVE_FONT_INTERNAL_H
#define MISSIVE_FONT_INTERNAL_H

#include "caches.h"
#include "font.h"
#include "hash.h"

#include <hb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The fast paths of shaping (font_fast.c) and of font subsets
 * (font_subset.c) follow HarfBuzz 6.0's own rules (its PairPos flags, its
 * cmap walk, its subset plan's quick path), read in its source and tested
 * against it; with another HarfBuzz at run time they stand aside. */
static inline bool font_harfbuzz_followed(void)
{
    return hb_version_atleast(6, 0, 0) && !hb_version_atleast(6, 1, 0);
}

#define STYLE_COUNT 4
/* The shaping cache: texts up to CACHE_TEXT bytes (words, short lines) are
 * kept; past CACHE_LIMIT entries or CACHE_BYTES it keeps only what a later
 * letter than the one that brought it shaped again (compact), which bounds
 * its memory in a long batch: every letter brings lines of its own (the
 * running header names the recipient), about 1.6 KB a letter, which a cache
 * bounded by entries alone grew by 16 MB over 10,000 letters, and which a
 * cache started afresh when full kept up to its bound, the campaign's own
 * words shaped again after each start. It is split in SHAPERS parts,
 * each with its own lock, and a thread uses one part only: the threads of a batch each warm a part
 * of their own instead of passing one lock between the cores a thousand times a letter. */
#define SHAPERS 4
#define CACHE_TEXT 256
#define CACHE_LIMIT 32768
#define CACHE_BYTES (512u << 10) /* per part */
#define CACHE_BUCKETS 8192
/* One letter that brought most of a full part itself is one large document
 * (a petition's annex: a hundred thousand entries, the same first names,
 * towns and countries again and again among names seen once): for that
 * letter the part doubles at each compaction up to CACHE_DOCUMENT_BYTES,
 * entries and buckets in proportion, and keeps what that letter found
 * again at least twice since it was kept (uses: an entry's word shaped
 * with its spaces and then measured alone when the entry wraps is found
 * once), not only what a later letter used.
 * With 512 KB it started empty every two thousand words (a fifth of a
 * petition's time was shaping them again). The next letter's first
 * compaction brings the part back to CACHE_BYTES. */
#define CACHE_DOCUMENT_BYTES (8u << 20)
#define BMP 0x10000
/* Font subsets kept per process: a campaign's letters use a handful of
 * glyph sets (a thousand letters, five); past these bounds new ones are
 * made for each letter and not kept. */
#define SUBSET_LIMIT 64
#define SUBSET_BYTES (8u << 20)
/* first_face values besides face + 1. */
#define FACE_UNKNOWN 0
#define FACE_NONE 255

/* A face's state: its file is read whole and checked when a chain first
 * reaches it (font_set_open checks the path and the table directory of
 * every file, and opens the regular font), so that a letter reads only
 * the fonts it uses: reading and checking all eight of the example's was
 * a fifth of a one-letter process (issue 17). */
enum { FACE_CLOSED, FACE_OPEN, FACE_BROKEN };

struct face {
    char *file;
    _Atomic int state;
    char *broken; /* why it cannot be used (FACE_BROKEN) */
    hb_face_t *face;
    hb_font_t *font;
    double upem;
    /* Where missive.ini names the file (file NULL when it does not). */
    struct source_loc origin;
    /* Per glyph: loaded by FreeType without error (font_set_check_glyphs);
     * atomic, since threads sharing the set check at once. */
    _Atomic unsigned char *loads;
    unsigned glyph_count;
    /* FreeType's face of the file, from its check, for the glyphs' checks
     * (font_set_check_glyphs), under the set's ft_lock. */
    struct font_file_ft *ft;
};

/* The shaping of one text in one style and language. */
struct shaping {
    struct shaping *next; /* in its hash bucket */
    uint64_t hash;
    unsigned style;
    const char *language; /* NULL for none */
    const char *text;
    size_t len;
    struct font_unit *glyphs;
    size_t count;
    unsigned long letter; /* caches_letter() that brought it */
    bool shared;          /* shaped again for a later letter */
    uint8_t uses;         /* found again for the letter that brought it (at most 255) */
};

/* One part of the shaping cache, and what shaping needs, under its lock. */
struct shaper {
    pthread_mutex_t lock;
    struct arena *arena; /* NULL until first used */
    struct shaping **buckets;
    size_t bucket_count; /* a power of two */
    size_t cached, cached_bytes;
    size_t bound;            /* bytes: CACHE_BYTES, or more for grown_for */
    unsigned long grown_for; /* the letter bound was grown for */
    size_t shaped;           /* texts shaped with HarfBuzz (font_set_cache_stats) */
    /* One HarfBuzz buffer for every run: creating and destroying one per
     * run was a tenth of a petition's time in malloc. */
    hb_buffer_t *buffer;
    /* What the fast path learnt (font_fast.c): most runs are shaped
     * without HarfBuzz. */
    struct font_fast *fast;
    unsigned fast_runs; /* runs shaped, up to FONT_FAST_START */
    bool forward;       /* the last run shaped was left to right */
    uint32_t *ends;     /* per glyph: where its cluster's text ends (scratch) */
    size_t ends_capacity;
    char apart[64]; /* what two threads write is a cache line apart */
};

struct font_set {
    struct face *faces;
    size_t count;
    /* Per style (DOC_STYLE_* bits as index): face indexes, own font first. */
    unsigned *chain[STYLE_COUNT];
    size_t chain_len[STYLE_COUNT];
    /* Per style, per BMP character: the first face of the chain that has
     * it (FACE_* or face + 1), filled in as characters are met. Atomic
     * bytes, so threads sharing the set may fill it at once. */
    _Atomic unsigned char *first_face[STYLE_COUNT];
    /* The shaping cache, shared by every letter of the process. */
    struct shaper shapers[SHAPERS];
    /* Subsets kept (font_set_subset_keep), under this lock; never moved,
     * since font_set_subset_find hands out pointers to them. */
    pthread_mutex_t lock;
    pthread_mutex_t open_lock;   /* opening a face */
    pthread_mutex_t ft_lock;     /* using a face's FreeType face (face.ft) */
    struct kept_subset *subsets; /* SUBSET_LIMIT of them */
    size_t subset_count, subset_bytes;
    struct subset_list *lists; /* font_set_subsets_id's, under lock */
    size_t list_count;
    bool caching;    /* caches_on() when opened */
    uint64_t serial; /* font_set_serial */
};

struct subset_list {
    const struct font_subset **subsets;
    size_t count;
    uint64_t id;
};

struct kept_subset {
    unsigned face;
    unsigned hash; /* of glyphs */
    hb_set_t *glyphs;
    struct font_subset subset;
};

/* Whether ligatures may be formed in language: Turkic languages dot the
 * i, and an fi ligature would eat the dot. Inline: asked for every run. */
static inline bool font_ligatures_allowed(const char *language)
{
    static const char *const no_fi[] = {"tr", "az", "crh", "tt", "ba"};
    if (!language)
        return true;
    for (size_t i = 0; i < sizeof no_fi / sizeof no_fi[0]; i++) {
        size_t n = strlen(no_fi[i]);
        if (strncmp(language, no_fi[i], n) == 0 &&
            (language[n] == '\0' || language[n] == '-' || language[n] == '_'))
            return false;
    }
    return true;
}
/* Whether face i can be used, opening it the first time it is asked (font_set.c). */
bool font_set_face_open(const struct font_set *set, unsigned i);
/* Notes that this thread's letter met a broken face. */
void font_set_note_broken(void);
/* face when it can be used, else the regular font (always open). */
unsigned font_set_usable_face(const struct font_set *fs, unsigned face);
/* Adds the error of broken face i unless errors already holds it. */
void font_set_report_broken(const struct font_set *fs, unsigned i, struct errors *errors);

/* ---- the shaping cache (font_cache.c) ---- */

/* Glyphs being collected for one text. */
struct unit_list {
    struct font_unit *glyphs;
    size_t count, capacity;
};

/* Every word of every letter is looked up: eight bytes a step (hash.h),
 * not byte by byte. */
static inline __attribute__((always_inline)) uint64_t
font_cache_hash(const char *language, unsigned style, const char *utf8, size_t len)
{
    uint64_t h = hash_bytes(utf8, len) ^ ((uint64_t)style * 0x9E3779B97F4A7C15u);
    if (!language)
        return h ^ 0xD6E8FEB86659FD93u;
    /* A language tag is a few bytes ("en"): counted here, not by strlen. */
    size_t n = 0;
    while (language[n])
        n++;
    return h ^ (hash_bytes(language, n) * 0xFF51AFD7ED558CCDu);
}

/* Compared here, not by strcmp: the cache's copy of the tag is never the
 * caller's pointer, and the tag is a few bytes. */
static inline bool font_cache_same_language(const char *a, const char *b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return false;
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* The cached shaping of utf8, or NULL (the caller holds sp's lock).
 * Inline: every word of every letter looks itself up here. */
static inline __attribute__((always_inline)) struct shaping *
font_cache_find(struct shaper *sp, uint64_t hash, const char *language, unsigned style,
                const char *utf8, size_t len)
{
    for (struct shaping *sh = sp->buckets[hash & (sp->bucket_count - 1)]; sh; sh = sh->next)
        if (sh->hash == hash && sh->style == style && sh->len == len &&
            memcmp(sh->text, utf8, len) == 0 && font_cache_same_language(sh->language, language))
            return sh;
    return NULL;
}

/* The part of fs's shaping cache for this thread: threads take parts in
 * turn, each keeps its own. */
static inline struct shaper *font_cache_part(struct font_set *fs)
{
    return &fs->shapers[caches_turn() % SHAPERS];
}

/* Makes sp's buffer and cache (the caller holds its lock). */
void font_cache_start(struct shaper *sp);

/* Makes sp's buffer and cache on first use (the caller holds its lock). */
static inline void font_cache_ready(struct shaper *sp)
{
    if (!sp->buffer)
        font_cache_start(sp);
}

/* Keeps a copy of the shaping of utf8, units its glyphs, compacting the
 * part first when it is full (the caller holds sp's lock). */
const struct shaping *font_cache_remember(struct shaper *sp, uint64_t hash, const char *language,
                                          unsigned style, const char *utf8, size_t len,
                                          const struct unit_list *units);

#endif
