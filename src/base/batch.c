/* batch.c — the caller and a few helper threads working through jobs, with
 * results handed back in order. Jobs are taken in index order and may
 * finish out of order; each result waits in one of a few slots until the
 * caller has taken every result before it. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "batch.h"

#include "arena.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Results finished ahead of the caller, per thread: enough to keep every
 * helper busy while the caller is on a job of its own. */
enum { WINDOW_PER_THREAD = 8 };

struct runner {
    const struct batch *b;
    size_t window;
    unsigned char *slots;
    bool *finished;
    pthread_mutex_t lock;
    pthread_cond_t result; /* the caller's: the result it waits for is in */
    pthread_cond_t room;   /* the helpers': the window moved on */
    size_t next;           /* the next job to start */
    size_t consumed;       /* jobs before this one are taken by the caller */
    bool caller_waiting;
    unsigned helpers_waiting;
    bool stop;
};

static void *slot_of(struct runner *r, size_t index)
{
    return r->slots + (index % r->window) * r->b->slot_size;
}

/* Runs job index (the lock not held), then marks it finished (held). */
static void run_job(struct runner *r, size_t index)
{
    pthread_mutex_unlock(&r->lock);
    void *slot = slot_of(r, index);
    memset(slot, 0, r->b->slot_size);
    r->b->work(r->b->context, index, slot);
    pthread_mutex_lock(&r->lock);
    r->finished[index % r->window] = true;
    /* Only the result the caller waits for can wake it: no system call
     * for the others. */
    if (r->caller_waiting && index == r->consumed)
        pthread_cond_signal(&r->result);
}

/* Whether a job may start: one is left, nothing stopped the batch, and
 * its result has room in the window. */
static bool may_start(const struct runner *r)
{
    return !r->stop && r->next < r->b->count && r->next < r->consumed + r->window;
}

static void *helper(void *arg)
{
    struct runner *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->stop && r->next < r->b->count && !may_start(r)) {
            r->helpers_waiting++;
            pthread_cond_wait(&r->room, &r->lock);
            r->helpers_waiting--;
        }
        if (!may_start(r))
            break;
        run_job(r, r->next++);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* The caller's loop: hands each finished result to done in order, and
 * between them runs jobs itself, so that n threads work on n cores and no
 * thread only waits. Returns done's first non-zero. */
static int run_and_take(struct runner *r)
{
    int status = 0;
    pthread_mutex_lock(&r->lock);
    while (r->consumed < r->b->count) {
        size_t index = r->consumed;
        if (r->finished[index % r->window]) {
            pthread_mutex_unlock(&r->lock);
            status = r->b->done(r->b->context, index, slot_of(r, index));
            pthread_mutex_lock(&r->lock);
            r->finished[index % r->window] = false;
            r->consumed = index + 1;
            if (r->helpers_waiting)
                pthread_cond_broadcast(&r->room);
            if (status != 0) {
                r->stop = true;
                pthread_cond_broadcast(&r->room);
                break;
            }
        } else if (may_start(r)) {
            run_job(r, r->next++);
        } else {
            r->caller_waiting = true;
            pthread_cond_wait(&r->result, &r->lock);
            r->caller_waiting = false;
        }
    }
    pthread_mutex_unlock(&r->lock);
    return status;
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
    pthread_cond_init(&r.result, NULL);
    pthread_cond_init(&r.room, NULL);
    /* The caller is one of the threads; without helpers (one thread, or
     * resources exhausted) it does all the work alone. */
    pthread_t *ids = xcalloc(threads, sizeof *ids);
    unsigned started = 0;
    while (started + 1 < threads && pthread_create(&ids[started], NULL, helper, &r) == 0)
        started++;
    int status = run_and_take(&r);
    for (unsigned i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    /* A stopped batch leaves results nobody took; their memory goes back. */
    for (size_t index = r.consumed; b->discard && index < r.next; index++)
        b->discard(b->context, index, slot_of(&r, index));
    pthread_cond_destroy(&r.room);
    pthread_cond_destroy(&r.result);
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
