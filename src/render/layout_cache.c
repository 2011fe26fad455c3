/* layout_cache.c — owns the paragraphs laid out in this process: the key
 * of a paragraph (measure, width, rules, language, its runs' text, styles,
 * breaks and data flags) and its lines with every piece's text kept as a
 * run and offset, so that another letter's equal runs get the same lines
 * pointing into their own text. */
#include "layout.h"

#include "buffer.h"
#include "caches.h"
#include "hash.h"
#include "layout_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every paragraph is kept, short ones too: laying out a closing, a date
 * or a signatory's name costs about 12,000 instructions (line breaking,
 * hyphenation), most of a campaign letter's dozens of short texts are the
 * same in every letter, and a recipient's own (an address line) costs a
 * key and a copy more. Past LIMIT kept paragraphs or LIMIT_BYTES, a part
 * keeps only the paragraphs a later letter than the one that brought them
 * laid out again (compact): a campaign's own, not each recipient's. */
#define LIMIT 4096
#define LIMIT_BYTES (1u << 20)
#define BUCKETS 2048
/* The cache is in PARTS parts, each with its lock, and a thread uses one:
 * the threads of a batch do not pass one lock between the cores for each
 * of a letter's hundreds of paragraphs. */
#define PARTS 4

struct kept_piece {
    uint32_t run, offset; /* where the piece's text starts */
};

struct kept {
    struct kept *next; /* in its bucket */
    uint64_t hash;
    uint64_t id; /* the lines' kept value: a copy made by compact keeps it */
    char *key;
    size_t key_len;
    struct layout_lines lines;  /* pieces' text and loc unset */
    struct kept_piece **places; /* per line, per piece */
    unsigned long letter;       /* caches_letter() that brought it */
    bool shared;                /* laid out again for a later letter */
};

static struct part {
    pthread_mutex_t lock;
    struct arena *arena; /* NULL until the first paragraph kept */
    struct kept *buckets[BUCKETS];
    size_t count, bytes;
    char apart[64]; /* what two threads write is a cache line apart */
} parts[PARTS] = {{.lock = PTHREAD_MUTEX_INITIALIZER},
                  {.lock = PTHREAD_MUTEX_INITIALIZER},
                  {.lock = PTHREAD_MUTEX_INITIALIZER},
                  {.lock = PTHREAD_MUTEX_INITIALIZER}};
_Static_assert(PARTS == 4, "one initializer per part");

static void free_kept(void)
{
    for (size_t i = 0; i < PARTS; i++) {
        arena_free(parts[i].arena);
        parts[i].arena = NULL;
    }
}

static void register_free(void)
{
    atexit(free_kept);
}

/* This thread's part: threads take parts in turn. */
static struct part *this_part(void)
{
    return &parts[caches_turn() % PARTS];
}

static void put(struct buffer *b, const void *data, size_t len)
{
    buffer_append(b, data, len);
}

/* Everything the lines of runs depend on, as bytes. */
static void make_key(struct buffer *b, const struct doc_run *runs, size_t count, double width,
                     const void *key, size_t key_len, const char *language,
                     const struct layout_params *p)
{
    put(b, &key_len, sizeof key_len);
    put(b, key, key_len);
    put(b, &width, sizeof width);
    int mode = p->mode;
    put(b, &mode, sizeof mode);
    const double reals[] = {p->stretch,
                            p->shrink,
                            p->tolerance,
                            p->line_penalty,
                            p->hyphen_penalty,
                            p->explicit_penalty,
                            p->adj_demerits,
                            p->double_hyphen_demerits,
                            p->final_hyphen_demerits};
    put(b, reals, sizeof reals);
    const int ints[] = {p->looseness, p->hyphenate, p->max_hyphen_lines};
    put(b, ints, sizeof ints);
    buffer_puts(b, language ? language : "");
    put(b, "", 1);
    for (size_t i = 0; i < count; i++) {
        const uint64_t head[] = {runs[i].len, runs[i].style, runs[i].line_break,
                                 layout_run_from_data(&runs[i])};
        put(b, head, sizeof head);
        put(b, runs[i].text, runs[i].len);
    }
}

/* The run and offset of text in runs, or -1 when it is in none of them
 * (a piece that joined two runs lying side by side in memory). */
static int place_of(const struct doc_run *runs, size_t count, const struct layout_piece *piece,
                    struct kept_piece *out)
{
    for (size_t r = 0; r < count; r++)
        if (piece->text >= runs[r].text && piece->text + piece->len <= runs[r].text + runs[r].len &&
            runs[r].len > 0) {
            *out = (struct kept_piece){(uint32_t)r, (uint32_t)(piece->text - runs[r].text)};
            return 0;
        }
    return -1;
}

/* The memory a paragraph kept with its key takes. */
static size_t kept_bytes(size_t key_len, const struct layout_lines *lines)
{
    size_t n = sizeof(struct kept) + key_len;
    for (size_t i = 0; i < lines->count; i++)
        n += sizeof(struct layout_line) + sizeof(struct kept_piece *) +
             lines->lines[i].count * (sizeof(struct layout_piece) + sizeof(struct kept_piece));
    return n;
}

/* A copy of k in a, its lines and places as k's. */
static struct kept *copy_kept(struct arena *a, const struct kept *k)
{
    struct kept *copy = arena_alloc(a, sizeof *copy);
    *copy = *k;
    copy->key = arena_alloc(a, k->key_len ? k->key_len : 1);
    memcpy(copy->key, k->key, k->key_len);
    size_t n = k->lines.count ? k->lines.count : 1;
    copy->lines.lines = arena_alloc(a, n * sizeof *copy->lines.lines);
    copy->places = arena_alloc(a, n * sizeof *copy->places);
    for (size_t i = 0; i < k->lines.count; i++) {
        const struct layout_line *line = &k->lines.lines[i];
        size_t m = line->count ? line->count : 1;
        copy->lines.lines[i] = *line;
        copy->lines.lines[i].pieces = arena_alloc(a, m * sizeof *line->pieces);
        memcpy(copy->lines.lines[i].pieces, line->pieces, line->count * sizeof *line->pieces);
        copy->places[i] = arena_alloc(a, m * sizeof *copy->places[i]);
        memcpy(copy->places[i], k->places[i], line->count * sizeof *k->places[i]);
    }
    return copy;
}

/* part is full: only the paragraphs a later letter laid out again are kept;
 * when they alone fill half of it, it starts afresh. */
static void compact(struct part *part)
{
    struct arena *a = arena_new();
    struct kept **fresh = xcalloc(BUCKETS, sizeof *fresh);
    size_t count = 0, bytes = 0;
    for (size_t b = 0; part->arena && b < BUCKETS && 2 * bytes < LIMIT_BYTES; b++)
        for (const struct kept *k = part->buckets[b]; k; k = k->next) {
            if (!k->shared)
                continue;
            struct kept *copy = copy_kept(a, k);
            copy->letter = caches_letter();
            copy->shared = false;
            copy->next = fresh[b];
            fresh[b] = copy;
            count++;
            bytes += kept_bytes(copy->key_len, &copy->lines);
        }
    if (2 * bytes >= LIMIT_BYTES || 2 * count >= LIMIT) {
        memset(fresh, 0, BUCKETS * sizeof *fresh);
        arena_free(a);
        a = arena_new();
        count = bytes = 0;
    }
    arena_free(part->arena);
    part->arena = a;
    memcpy(part->buckets, fresh, sizeof part->buckets);
    free(fresh);
    part->count = count;
    part->bytes = bytes;
}

/* Keeps lines in part (the caller holds its lock); nothing when a piece
 * cannot be placed. */
static void keep(struct part *part, uint64_t hash, const struct buffer *key,
                 const struct doc_run *runs, size_t count, const struct layout_lines *lines)
{
    if (part->count >= LIMIT || part->bytes >= LIMIT_BYTES || !part->arena) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, register_free); /* so that leak checkers see every block freed */
        compact(part);
    }
    struct arena *a = part->arena;
    static _Atomic uint64_t ids;
    struct kept *k = arena_alloc(a, sizeof *k);
    *k = (struct kept){.hash = hash,
                       .id = atomic_fetch_add(&ids, 1) + 1,
                       .key_len = key->len,
                       .lines = *lines,
                       .letter = caches_letter()};
    k->key = arena_alloc(a, key->len);
    memcpy(k->key, key->data, key->len);
    size_t n = lines->count ? lines->count : 1;
    k->lines.lines = arena_alloc(a, n * sizeof *k->lines.lines);
    k->places = arena_alloc(a, n * sizeof *k->places);
    part->bytes += kept_bytes(key->len, lines);
    for (size_t i = 0; i < lines->count; i++) {
        const struct layout_line *line = &lines->lines[i];
        struct layout_line *copy = &k->lines.lines[i];
        *copy = *line;
        size_t m = line->count ? line->count : 1;
        copy->pieces = arena_alloc(a, m * sizeof *copy->pieces);
        k->places[i] = arena_alloc(a, m * sizeof *k->places[i]);
        for (size_t j = 0; j < line->count; j++) {
            if (place_of(runs, count, &line->pieces[j], &k->places[i][j]) != 0)
                return; /* left in the arena, not in a bucket */
            copy->pieces[j] = line->pieces[j];
            copy->pieces[j].text = NULL;
            copy->pieces[j].loc = (struct source_loc){0};
        }
    }
    struct kept **bucket = &part->buckets[hash % BUCKETS];
    k->next = *bucket;
    *bucket = k;
    part->count++;
}

/* Copies kept lines into arena, their pieces pointing into runs. */
static void give(struct arena *arena, const struct kept *k, const struct doc_run *runs,
                 struct layout_lines *out)
{
    *out = k->lines;
    out->kept = k->id;
    size_t n = k->lines.count ? k->lines.count : 1;
    out->lines = arena_alloc(arena, n * sizeof *out->lines);
    for (size_t i = 0; i < k->lines.count; i++) {
        const struct layout_line *line = &k->lines.lines[i];
        struct layout_line *copy = &out->lines[i];
        *copy = *line;
        size_t m = line->count ? line->count : 1;
        copy->pieces = arena_alloc(arena, m * sizeof *copy->pieces);
        for (size_t j = 0; j < line->count; j++) {
            const struct kept_piece *place = &k->places[i][j];
            copy->pieces[j] = line->pieces[j];
            copy->pieces[j].text = runs[place->run].text + place->offset;
            copy->pieces[j].loc = runs[place->run].loc;
        }
    }
}

void layout_paragraph_cached(struct arena *arena, const struct doc_run *runs, size_t count,
                             double width, layout_measure_fn measure, void *context,
                             const void *key, size_t key_len, const char *language,
                             const struct layout_params *params, struct layout_lines *out)
{
    if (!caches_on()) {
        layout_paragraph_with(arena, runs, count, width, measure, context, language, params, out);
        return;
    }
    struct buffer k = {0};
    make_key(&k, runs, count, width, key, key_len, language, params);
    uint64_t hash = hash_bytes(k.data, k.len);
    struct part *part = this_part();
    pthread_mutex_lock(&part->lock);
    for (struct kept *e = part->arena ? part->buckets[hash % BUCKETS] : NULL; e; e = e->next)
        if (e->hash == hash && e->key_len == k.len && memcmp(e->key, k.data, k.len) == 0) {
            if (e->letter != caches_letter())
                e->shared = true;
            give(arena, e, runs, out);
            pthread_mutex_unlock(&part->lock);
            buffer_free(&k);
            return;
        }
    pthread_mutex_unlock(&part->lock);
    /* Laid out outside the lock: another thread may lay out the same
     * paragraph meanwhile, and both get the same lines. */
    layout_paragraph_with(arena, runs, count, width, measure, context, language, params, out);
    pthread_mutex_lock(&part->lock);
    keep(part, hash, &k, runs, count, out);
    pthread_mutex_unlock(&part->lock);
    buffer_free(&k);
}
