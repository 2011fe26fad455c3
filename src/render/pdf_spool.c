/* pdf_spool.c — owns a large document's spool file: an unlinked
 * temporary file written through a buffer and read back through another,
 * and the libharu streams that read a page's content back from it. */
#define _GNU_SOURCE /* O_TMPFILE, fallocate */
#include "pdf_spool.h"

#include "arena.h"
#include "output.h"
#include "pdf_pdfa.h"

#include <hpdf_doc.h>
#include <hpdf_error.h>
#include <nettle/md5.h>
#include <hpdf_streams.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes and reads go through buffers of this size: a petition's annex
 * writes a few dozen bytes an entry, and libharu reads 4 KB at a time. */
#define SPOOL_BUFFER (1u << 20)

/* Bytes read for the last time are given back to the kernel (a hole
 * punched in the file) a buffer's worth at a time, in whole pages. */
#define PAGE_BYTES 4096u

struct pdf_spool {
    int fd;
    const char *dir;
    int error;              /* errno of the first failed write or read, else 0 */
    uint64_t size, flushed; /* bytes written; of which in the file */
    char *wbuf;             /* the bytes from flushed to size */
    char *rbuf;             /* the file's bytes from rstart, rlen of them */
    uint64_t rstart;
    size_t rlen;
    /* The file's bytes below gone have been read for the last time (a
     * read there fails); those below punched are no longer in the file. */
    uint64_t gone, punched;
    bool no_punch; /* the file system cannot punch holes */
    size_t step;   /* bytes written (at most), and punched (at least), at a time */
    struct arena *arena;
};

/* How many bytes the spool writes and punches at a time. */
static size_t spool_step(void)
{
#ifdef MISSIVE_TEST_FAULTS
    /* Test builds: a small petition's spool written and punched too. */
    const char *step = getenv("MISSIVE_TEST_SPOOL_STEP");
    if (step && atoi(step) > 0 && atoi(step) < (int)SPOOL_BUFFER)
        return (size_t)atoi(step);
#endif
    return SPOOL_BUFFER;
}

struct pdf_spool *pdf_spool_new(struct errors *errors)
{
    int fd = output_spool_open(errors);
    if (fd < 0)
        return NULL;
    struct pdf_spool *s = xcalloc(1, sizeof *s);
    s->fd = fd;
    s->dir = output_spool_dir();
    s->step = spool_step();
    s->wbuf = xmalloc(SPOOL_BUFFER);
    s->rbuf = xmalloc(SPOOL_BUFFER);
    s->arena = arena_new();
    return s;
}

static void fail(struct pdf_spool *s, int error)
{
    if (!s->error)
        s->error = error ? error : EIO;
}

static void write_at(struct pdf_spool *s, const char *data, size_t len, uint64_t offset)
{
    while (len > 0 && !s->error) {
        ssize_t n = pwrite(s->fd, data, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fail(s, n < 0 ? errno : ENOSPC);
            return;
        }
        data += n;
        len -= (size_t)n;
        offset += (uint64_t)n;
    }
}

static void flush(struct pdf_spool *s)
{
    write_at(s, s->wbuf, (size_t)(s->size - s->flushed), s->flushed);
    s->flushed = s->size;
}

uint64_t pdf_spool_write(struct pdf_spool *s, const void *data, size_t len)
{
    uint64_t at = s->size;
    if (s->size - s->flushed + len > s->step)
        flush(s);
    if (len >= s->step) {
        write_at(s, data, len, s->size);
        s->size += len;
        s->flushed = s->size;
    } else if (len) {
        memcpy(s->wbuf + (s->size - s->flushed), data, len);
        s->size += len;
    }
    return at;
}

static int read_at(int fd, char *data, size_t len, uint64_t offset, size_t *got)
{
    *got = 0;
    while (*got < len) {
        ssize_t n = pread(fd, data + *got, len - *got, (off_t)(offset + *got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        *got += (size_t)n;
    }
    return *got == len ? 0 : -1;
}

int pdf_spool_read(struct pdf_spool *s, uint64_t offset, void *data, size_t len)
{
    if (s->error || offset + len > s->size || offset < s->gone) {
        fail(s, s->error);
        return -1;
    }
    if (offset >= s->flushed) { /* still in the write buffer */
        memcpy(data, s->wbuf + (offset - s->flushed), len);
        return 0;
    }
    if (offset + len > s->flushed)
        flush(s);
    if (offset >= s->rstart && offset + len <= s->rstart + s->rlen) {
        memcpy(data, s->rbuf + (offset - s->rstart), len);
        return 0;
    }
    size_t got;
    if (len >= SPOOL_BUFFER / 2) {
        if (read_at(s->fd, data, len, offset, &got) != 0) {
            fail(s, errno);
            return -1;
        }
        return 0;
    }
    uint64_t left = s->flushed - offset;
    size_t want = left < SPOOL_BUFFER ? (size_t)left : SPOOL_BUFFER;
    s->rlen = 0;
    if (read_at(s->fd, s->rbuf, want, offset, &got) != 0 && got < len) {
        fail(s, errno);
        return -1;
    }
    s->rstart = offset;
    s->rlen = got;
    memcpy(data, s->rbuf, len);
    return 0;
}

/* Punches out the whole pages below gone that are in the file: their
 * page cache is freed at once, for the next bytes written (here or into
 * the saved file) to reuse, instead of the file growing to every byte
 * spooled (freshly allocated pages are what the kernel's time went to). */
static void punch(struct pdf_spool *s)
{
    uint64_t end = (s->gone < s->flushed ? s->gone : s->flushed) / PAGE_BYTES * PAGE_BYTES;
    if (s->no_punch || end < s->punched + s->step)
        return;
    if (fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)s->punched,
                  (off_t)(end - s->punched)) != 0)
        s->no_punch = true; /* not supported here: the bytes just stay */
    s->punched = end;
}

void pdf_spool_release(struct pdf_spool *s, uint64_t offset, uint64_t len)
{
    /* Only a prefix of the file is tracked: the annex's lines are read
     * back in order, then the pages' content as the file is saved. */
    if (offset > s->gone || offset + len <= s->gone)
        return;
    s->gone = offset + len;
    punch(s);
}

/* ---- a page's content, read back by libharu ---- */

struct spooled {
    struct pdf_spool *spool;
    uint64_t offset;
    HPDF_UINT32 len, pos;
};

static HPDF_STATUS spooled_read(HPDF_Stream stream, HPDF_BYTE *ptr, HPDF_UINT *size)
{
    struct spooled *r = stream->attr;
    HPDF_UINT n = r->len - r->pos < *size ? r->len - r->pos : *size;
    *size = 0;
    if (n && pdf_spool_read(r->spool, r->offset + r->pos, ptr, n) != 0)
        return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, 0);
    r->pos += n;
    *size = n;
    if (r->pos < r->len)
        return HPDF_OK;
    /* libharu reads a page's content once, as it writes the page. */
    pdf_spool_release(r->spool, r->offset, r->len);
    return HPDF_STREAM_EOF;
}

static HPDF_STATUS spooled_seek(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
    struct spooled *r = stream->attr;
    long long to = mode == HPDF_SEEK_SET   ? pos
                   : mode == HPDF_SEEK_CUR ? (long long)r->pos + pos
                                           : (long long)r->len + pos;
    if (to < 0 || to > (long long)r->len)
        return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
    r->pos = (HPDF_UINT32)to;
    return HPDF_OK;
}

static HPDF_INT32 spooled_tell(HPDF_Stream stream)
{
    return (HPDF_INT32)((struct spooled *)stream->attr)->pos;
}

static HPDF_UINT32 spooled_size(HPDF_Stream stream)
{
    return ((struct spooled *)stream->attr)->len;
}

void pdf_spool_page(struct pdf_spool *s, HPDF_Dict contents, const void *deflated, size_t len)
{
    HPDF_Stream old = contents->stream;
    HPDF_Stream stream = HPDF_GetMem(old->mmgr, sizeof(HPDF_Stream_Rec));
    if (!stream)
        return; /* libharu has its error */
    struct spooled *r = arena_alloc(s->arena, sizeof *r);
    *r = (struct spooled){s, pdf_spool_write(s, deflated, len), (HPDF_UINT32)len, 0};
    /* As libharu's own streams are made (HPDF_CallbackWriter_New), but
     * read only: with no write function its size is size_fn's. */
    memset(stream, 0, sizeof(HPDF_Stream_Rec));
    stream->sig_bytes = HPDF_STREAM_SIG_BYTES;
    stream->type = HPDF_STREAM_CALLBACK;
    stream->mmgr = old->mmgr;
    stream->error = old->error;
    stream->read_fn = spooled_read;
    stream->seek_fn = spooled_seek;
    stream->tell_fn = spooled_tell;
    stream->size_fn = spooled_size;
    stream->attr = r;
    HPDF_Stream_Free(old);
    contents->stream = stream;
}

int pdf_spool_check(struct pdf_spool *s, struct errors *errors)
{
    if (!s->error)
        return 0;
    errors_add_at(errors, NULL, 0, 0, "cannot write the PDF's temporary file in %s: %s", s->dir,
                  strerror(s->error));
    return -1;
}

/* ---- the saved file ---- */

struct file_writer {
    int fd, error;
    uint64_t size;
    size_t n;
    char *buffer;
    struct md5_ctx md5;
};

static void writer_flush(struct file_writer *w)
{
    /* The /ID is the MD5 of the file as saved, its placeholder included:
     * hashed a buffer at a time (libharu writes 1.7 M pieces for 100,000
     * signers, and md5_update's own buffering of each cost a fifth of
     * the hashing). */
    md5_update(&w->md5, w->n, (const uint8_t *)w->buffer);
    for (size_t at = 0; at < w->n && !w->error;) {
        ssize_t n = write(w->fd, w->buffer + at, w->n - at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            w->error = n < 0 ? errno : ENOSPC;
        else
            at += (size_t)n;
    }
    w->n = 0;
}

static HPDF_STATUS writer_write(HPDF_Stream stream, const HPDF_BYTE *data, HPDF_UINT len)
{
    struct file_writer *w = stream->attr;
    w->size += len;
    while (len) {
        if (w->n == SPOOL_BUFFER)
            writer_flush(w);
        size_t part = SPOOL_BUFFER - w->n < len ? SPOOL_BUFFER - w->n : len;
        memcpy(w->buffer + w->n, data, part);
        w->n += part;
        data += part;
        len -= (HPDF_UINT)part;
    }
    return w->error ? HPDF_FILE_IO_ERROR : HPDF_OK;
}

/* Fills the /ID in the file's last bytes. */
static int identify(struct file_writer *w)
{
    uint8_t digest[MD5_DIGEST_SIZE];
    md5_digest(&w->md5, MD5_DIGEST_SIZE, digest);
    size_t len = w->size < 4096 ? (size_t)w->size : 4096;
    struct buffer tail = {0};
    buffer_reserve(&tail, len);
    size_t got = 0;
    off_t at = (off_t)(w->size - len);
    int status = -1;
    if (read_at(w->fd, tail.data, len, (uint64_t)at, &got) == 0) {
        tail.len = len;
        if (pdf_pdfa_identify_tail(&tail, digest) == 0 &&
            pwrite(w->fd, tail.data, len, at) == (ssize_t)len)
            status = 0;
    }
    if (status != 0 && !w->error)
        w->error = errno ? errno : EIO;
    buffer_free(&tail);
    return status;
}

int pdf_spool_save(HPDF_Doc pdf, struct errors *errors)
{
    struct file_writer w = {.fd = output_spool_open(errors)};
    if (w.fd < 0)
        return -1;
    w.buffer = xmalloc(SPOOL_BUFFER);
    md5_init(&w.md5);
    HPDF_Stream writer = HPDF_CallbackWriter_New(pdf->mmgr, writer_write, &w);
    bool saved = false;
    if (writer) {
        HPDF_Stream_Free(pdf->stream);
        pdf->stream = writer;
        saved = HPDF_SaveToStream(pdf) == HPDF_OK;
        /* Its attr is on this stack: not kept past this call. */
        pdf->stream = NULL;
        HPDF_Stream_Free(writer);
    }
    writer_flush(&w);
    if (saved && !w.error)
        saved = identify(&w) == 0;
    free(w.buffer);
    if (w.error)
        errors_add_at(errors, NULL, 0, 0, "cannot write the PDF's temporary file in %s: %s",
                      output_spool_dir(), strerror(w.error));
    if (!saved || w.error) {
        close(w.fd);
        return -1;
    }
    return w.fd;
}

void pdf_spool_free(struct pdf_spool *s)
{
    if (!s)
        return;
    close(s->fd);
    free(s->wbuf);
    free(s->rbuf);
    arena_free(s->arena);
    free(s);
}
