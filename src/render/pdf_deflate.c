/* pdf_deflate.c — owns compressing a document's streams: libdeflate
 * compressors lent from a process-wide pool, and the rewrite of each
 * stream libharu would deflate into its deflated bytes before saving. */
#include "pdf_deflate.h"

#include <hpdf_doc.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <libdeflate.h>

#include "caches.h"

#include "arena.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A compressor holds about 1 MB of tables and clearing them is most of a
 * small stream's cost: a few are kept for the threads of a batch. */
#define SPARE_COMPRESSORS 8
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    struct libdeflate_compressor *c;
    int level;
} spare[SPARE_COMPRESSORS];

static struct libdeflate_compressor *take(int level)
{
    struct libdeflate_compressor *c = NULL;
    pthread_mutex_lock(&spare_lock);
    for (size_t i = 0; !c && caches_on() && i < SPARE_COMPRESSORS; i++)
        if (spare[i].c && spare[i].level == level) {
            c = spare[i].c;
            spare[i].c = NULL;
        }
    pthread_mutex_unlock(&spare_lock);
    if (!c)
        c = libdeflate_alloc_compressor(level);
    if (!c)
        abort(); /* out of memory, as xmalloc does */
    return c;
}

static void give(struct libdeflate_compressor *c, int level)
{
    pthread_mutex_lock(&spare_lock);
    for (size_t i = 0; c && caches_on() && i < SPARE_COMPRESSORS; i++)
        if (!spare[i].c) {
            spare[i].c = c;
            spare[i].level = level;
            c = NULL;
        }
    pthread_mutex_unlock(&spare_lock);
    if (c)
        libdeflate_free_compressor(c);
}

static void deflate_with(struct libdeflate_compressor *c, const void *data, size_t len,
                         struct buffer *out)
{
    size_t bound = libdeflate_zlib_compress_bound(c, len);
    buffer_reserve(out, bound);
    size_t n = libdeflate_zlib_compress(c, data, len, out->data + out->len, bound);
    if (n == 0)
        abort(); /* cannot happen within the bound */
    out->len += n;
    out->data[out->len] = '\0';
}

void pdf_deflate(int level, const void *data, size_t len, struct buffer *out)
{
    struct libdeflate_compressor *c = take(level);
    deflate_with(c, data, len, out);
    give(c, level);
}

/* libharu drops a /Filter it did not apply itself (HPDF_Dict_Write); the
 * write hook it calls inside the dictionary names the one we did. */
static HPDF_STATUS name_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

void pdf_deflate_write(HPDF_Dict stream, const void *deflated, size_t len)
{
    stream->filter = HPDF_STREAM_FILTER_NONE;
    stream->write_fn = name_flate_filter;
    HPDF_Stream_Write(stream->stream, deflated, (HPDF_UINT)len);
}

void pdf_stream_bytes(HPDF_Stream s, struct buffer *plain)
{
    HPDF_UINT count = HPDF_MemStream_GetBufCount(s);
    for (HPDF_UINT i = 0; i < count; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, i, &len);
        if (p && len)
            buffer_append(plain, (const char *)p, len);
    }
}

/* A stream libharu would deflate when saving, which we deflate instead. */
static bool deflates(HPDF_Dict d)
{
    return d->stream && d->stream->type == HPDF_STREAM_MEMORY && !d->write_fn &&
           d->filter == HPDF_STREAM_FILTER_FLATE_DECODE;
}

void pdf_deflate_page(HPDF_Page page, struct buffer *content, struct pdf_spool *spool)
{
    HPDF_PageAttr attr = page->attr;
    HPDF_Dict d = attr->contents;
    if (!deflates(d) || HPDF_Stream_Size(attr->stream) > 0) {
        if (content->len)
            HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)content->data,
                              (HPDF_UINT)content->len);
        buffer_reset(content);
        if (!deflates(d))
            return;
        pdf_stream_bytes(attr->stream, content);
    }
    /* What pdf_deflate_streams would make of the same bytes. */
    struct buffer packed = {0};
    pdf_deflate(PDF_DEFLATE_LEVEL, content->data ? content->data : "", content->len, &packed);
    HPDF_MemStream_FreeData(attr->stream);
    if (spool) {
        d->filter = HPDF_STREAM_FILTER_NONE;
        d->write_fn = name_flate_filter;
        pdf_spool_page(spool, d, packed.data ? packed.data : "", packed.len);
        attr->stream = d->stream;
    } else {
        pdf_deflate_write(d, packed.data, packed.len);
    }
    buffer_free(&packed);
    buffer_reset(content);
}

/* ---- small streams a thread has deflated before ----
 * A campaign's letters carry the same ToUnicode maps and structure
 * streams letter after letter: a stream of at most KEPT_MAX bytes equal
 * to one a thread deflated lately takes the bytes it got then (the same
 * compressor at the same level gives the same bytes for the same input). */

enum { KEPT_MAX = 16384, KEPT_STREAMS = 16, DEFLATE_PARTS = 4 };

struct kept_stream {
    char *plain, *packed;
    size_t plain_len, packed_len;
    unsigned long used;
};

struct deflate_part {
    pthread_mutex_t lock;
    struct kept_stream streams[KEPT_STREAMS];
    unsigned long clock;
};

static struct deflate_part deflate_parts[DEFLATE_PARTS] = {
    {.lock = PTHREAD_MUTEX_INITIALIZER},
    {.lock = PTHREAD_MUTEX_INITIALIZER},
    {.lock = PTHREAD_MUTEX_INITIALIZER},
    {.lock = PTHREAD_MUTEX_INITIALIZER},
};

/* The part for this thread: threads take parts in turn. */
static struct deflate_part *this_part(void)
{
    return &deflate_parts[caches_turn() % DEFLATE_PARTS];
}

/* Appends the level-PDF_DEFLATE_LEVEL deflate of plain to packed, through
 * the thread's kept streams; *c is taken on first need. */
static void deflate_kept(struct libdeflate_compressor **c, const struct buffer *plain,
                         struct buffer *packed)
{
    const char *data = plain->data ? plain->data : "";
    if (!caches_on() || plain->len > KEPT_MAX) {
        if (!*c)
            *c = take(PDF_DEFLATE_LEVEL);
        deflate_with(*c, data, plain->len, packed);
        return;
    }
    struct deflate_part *part = this_part();
    pthread_mutex_lock(&part->lock);
    struct kept_stream *oldest = &part->streams[0];
    for (size_t i = 0; i < KEPT_STREAMS; i++) {
        struct kept_stream *k = &part->streams[i];
        if (k->plain && k->plain_len == plain->len && memcmp(k->plain, data, plain->len) == 0) {
            k->used = ++part->clock;
            buffer_append(packed, k->packed, k->packed_len);
            pthread_mutex_unlock(&part->lock);
            return;
        }
        if (k->used < oldest->used)
            oldest = k;
    }
    if (!*c)
        *c = take(PDF_DEFLATE_LEVEL);
    size_t from = packed->len;
    deflate_with(*c, data, plain->len, packed);
    free(oldest->plain);
    free(oldest->packed);
    oldest->plain_len = plain->len;
    oldest->plain = xmalloc(plain->len ? plain->len : 1);
    memcpy(oldest->plain, data, plain->len);
    oldest->packed_len = packed->len - from;
    oldest->packed = xmalloc(oldest->packed_len);
    memcpy(oldest->packed, packed->data + from, oldest->packed_len);
    oldest->used = ++part->clock;
    pthread_mutex_unlock(&part->lock);
}

void pdf_deflate_streams(HPDF_Doc pdf)
{
    struct libdeflate_compressor *c = NULL;
    struct buffer plain = {0}, packed = {0};
    for (HPDF_Xref x = pdf->xref; x; x = x->prev) {
        for (HPDF_UINT i = 0; i < x->entries->count; i++) {
            HPDF_XrefEntry entry = HPDF_List_ItemAt(x->entries, i);
            HPDF_Obj_Header *h = entry ? entry->obj : NULL;
            if (!h || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT)
                continue;
            HPDF_Dict d = entry->obj;
            if (!deflates(d))
                continue;
            buffer_reset(&plain);
            buffer_reset(&packed);
            pdf_stream_bytes(d->stream, &plain);
            deflate_kept(&c, &plain, &packed);
            HPDF_MemStream_FreeData(d->stream);
            pdf_deflate_write(d, packed.data, packed.len);
        }
    }
    if (c)
        give(c, PDF_DEFLATE_LEVEL);
    buffer_free(&plain);
    buffer_free(&packed);
}
