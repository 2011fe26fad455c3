/* batch.c — a pool of worker threads with results handed back in order.
 * Jobs are taken in index order and may finish out of order; each result
 * waits in one of a few slots until the caller has taken every result
 * before it. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "batch.h"

#include "arena.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Results finished ahead of the caller, per worker: enough to keep every
 * worker busy while the caller writes one out. */
enum { WINDOW_PER_THREAD = 4 };

struct runner {
    const struct batch *b;
    size_t window;
    unsigned char *slots;
    bool *finished;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t next;     /* the next job to start */
    size_t consumed; /* jobs before this one are taken by the caller */
    bool stop;
};

static void *slot_of(struct runner *r, size_t index)
{
    return r->slots + (index % r->window) * r->b->slot_size;
}

static void *worker(void *arg)
{
    struct runner *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->stop && r->next < r->b->count && r->next >= r->consumed + r->window)
            pthread_cond_wait(&r->changed, &r->lock);
        if (r->stop || r->next >= r->b->count)
            break;
        size_t index = r->next++;
        pthread_mutex_unlock(&r->lock);
        void *slot = slot_of(r, index);
        memset(slot, 0, r->b->slot_size);
        r->b->work(r->b->context, index, slot);
        pthread_mutex_lock(&r->lock);
        r->finished[index % r->window] = true;
        pthread_cond_broadcast(&r->changed);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* Hands each result to done in order; returns done's first non-zero. */
static int take_results(struct runner *r)
{
    for (size_t index = 0; index < r->b->count; index++) {
        pthread_mutex_lock(&r->lock);
        while (!r->finished[index % r->window])
            pthread_cond_wait(&r->changed, &r->lock);
        pthread_mutex_unlock(&r->lock);
        int status = r->b->done(r->b->context, index, slot_of(r, index));
        pthread_mutex_lock(&r->lock);
        r->finished[index % r->window] = false;
        r->consumed = index + 1;
        r->stop = status != 0;
        pthread_cond_broadcast(&r->changed);
        pthread_mutex_unlock(&r->lock);
        if (status != 0)
            return status;
    }
    return 0;
}

int batch_run(const struct batch *b)
{
    if (b->count == 0)
        return 0;
    unsigned threads = b->threads ? b->threads : batch_cores();
    if (threads > b->count)
        threads = (unsigned)b->count;
    struct runner r = {.b = b, .window = (size_t)threads * WINDOW_PER_THREAD};
    r.slots = xcalloc(r.window, b->slot_size ? b->slot_size : 1);
    r.finished = xcalloc(r.window, sizeof *r.finished);
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.changed, NULL);
    pthread_t *ids = xcalloc(threads, sizeof *ids);
    unsigned started = 0;
    while (started < threads && pthread_create(&ids[started], NULL, worker, &r) == 0)
        started++;
    int status = started ? take_results(&r) : 0;
    /* Without any thread (resources exhausted) the caller does the work. */
    for (size_t index = 0; !started && index < b->count && status == 0; index++) {
        memset(r.slots, 0, b->slot_size);
        b->work(b->context, index, r.slots);
        status = b->done(b->context, index, r.slots);
    }
    for (unsigned i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    /* A stopped batch leaves results nobody took; their memory goes back. */
    for (size_t index = r.consumed; started && b->discard && index < r.next; index++)
        b->discard(b->context, index, slot_of(&r, index));
    pthread_cond_destroy(&r.changed);
    pthread_mutex_destroy(&r.lock);
    free(ids);
    free(r.finished);
    free(r.slots);
    return status;
}

unsigned batch_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}
