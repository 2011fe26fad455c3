/* doc_spool.c — the annex entries' texts in an unlinked temporary file. */
#include "doc_spool.h"

#include "arena.h"
#include "output.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Texts waiting to be written, and what one read brings back: entries
 * are read in the order they were put, so a read serves thousands. */
#define PENDING_BYTES (256u << 10)
#define WINDOW_BYTES (1u << 20)

struct doc_spool {
    int fd;
    uint64_t written; /* bytes in the file; pending ones follow */
    char *pending;
    size_t pending_len;
    char *window; /* the file's bytes [window_at, window_at + window_len) */
    uint64_t window_at;
    size_t window_len, window_room;
    int error; /* errno of the first failure, 0: none */
    bool reading;
};

struct doc_spool *doc_spool_new(void)
{
    struct errors ignored = {0};
    int fd = output_spool_open(&ignored);
    errors_clear(&ignored);
    if (fd < 0)
        return NULL;
    struct doc_spool *s = xcalloc(1, sizeof *s);
    s->fd = fd;
    s->pending = xmalloc(PENDING_BYTES);
    return s;
}

void doc_spool_free(struct doc_spool *s)
{
    if (!s)
        return;
    close(s->fd);
    free(s->pending);
    free(s->window);
    free(s);
}

static void fail(struct doc_spool *s, bool reading, int error)
{
    if (!s->error) {
        s->error = error ? error : EIO;
        s->reading = reading;
    }
}

static void flush(struct doc_spool *s)
{
    if (s->pending_len && !s->error && output_spool_write(s->fd, s->pending, s->pending_len) != 0)
        fail(s, false, errno);
    s->written += s->pending_len;
    s->pending_len = 0;
}

uint64_t doc_spool_put(struct doc_spool *s, const char *text, size_t len)
{
    uint64_t at = s->written + s->pending_len;
    if (s->pending_len + len + 1 > PENDING_BYTES)
        flush(s);
    if (len + 1 > PENDING_BYTES) { /* a text larger than the buffer: written at once */
        if (!s->error &&
            (output_spool_write(s->fd, text, len) != 0 || output_spool_write(s->fd, "", 1) != 0))
            fail(s, false, errno);
        s->written += len + 1;
        return at;
    }
    memcpy(s->pending + s->pending_len, text, len);
    s->pending[s->pending_len + len] = '\0';
    s->pending_len += len + 1;
    return at;
}

/* Reads the file from at into the window, at least need bytes: 0 or -1. */
static int fill(struct doc_spool *s, uint64_t at, size_t need)
{
    size_t room = need > WINDOW_BYTES ? need : WINDOW_BYTES;
    if (room > s->window_room) {
        free(s->window);
        s->window = xmalloc(room);
        s->window_room = room;
    }
    s->window_at = at;
    s->window_len = 0;
    while (s->window_len < need) {
        ssize_t n = pread(s->fd, s->window + s->window_len, room - s->window_len,
                          (off_t)(at + s->window_len));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fail(s, true, n < 0 ? errno : EIO);
            return -1;
        }
        s->window_len += (size_t)n;
    }
    return 0;
}

const char *doc_spool_get(struct doc_spool *s, uint64_t at, size_t len)
{
    if (at + len + 1 > s->written)
        flush(s);
    if (s->error)
        return "";
    if (at < s->window_at || at + len + 1 > s->window_at + s->window_len) {
        if (fill(s, at, len + 1) != 0)
            return "";
    }
    return s->window + (at - s->window_at);
}

int doc_spool_check(const struct doc_spool *s, struct errors *errors)
{
    if (!s || !s->error)
        return 0;
    errors_add_at(errors, NULL, 0, 0, "cannot %s the signers' temporary file in %s: %s",
                  s->reading ? "read" : "write", output_spool_dir(), strerror(s->error));
    return -1;
}
