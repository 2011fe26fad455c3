/* batch.h — owns running many independent jobs on every core. The calling
 * thread and threads - 1 helpers take jobs in index order; the calling
 * thread receives each finished job in index order (between jobs of its
 * own), with at most a small window of jobs finished ahead of it, so
 * memory stays the same however many jobs there are. What the jobs share
 * must be safe to read from several threads. */
#ifndef MISSIVE_BATCH_H
#define MISSIVE_BATCH_H

#include <stddef.h>

/* Runs job index on any of the batch's threads, filling slot (slot_size bytes, zeroed
 * before each job). */
typedef void (*batch_work)(void *context, size_t index, void *slot);
/* Receives job index on the calling thread, in order; it may free what
 * slot holds. A non-zero return stops the batch: no job starts after it,
 * jobs already running finish, and batch_run returns that value. */
typedef int (*batch_done)(void *context, size_t index, void *slot);

struct batch {
    size_t count;     /* jobs 0..count-1 */
    size_t slot_size; /* bytes of each job's result */
    unsigned threads; /* threads working, the caller's included; 0: batch_cores() */
    batch_work work;
    batch_done done;
    batch_work discard; /* may be NULL: frees a result done never got (a stopped batch) */
    void *context;
};

/* Runs every job. Returns 0, or the first non-zero value of done. */
int batch_run(const struct batch *batch);
/* The number of processors this process may run on (at least 1). */
unsigned batch_cores(void);

#endif
