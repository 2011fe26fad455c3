/* caches.h — owns the one switch that turns off every cache of the
 * process (shapings, faces per character, font subsets, decoded images,
 * date formatters, line break iterators, compressors): the environment
 * variable MISSIVE_NO_CACHE set to anything but "" or "0". A test and
 * debugging switch: results never depend on a cache, and the tests prove it
 * by rendering with caches off and on and comparing the files. */
#ifndef MISSIVE_CACHES_H
#define MISSIVE_CACHES_H

#include <stdbool.h>

/* Whether caches are on (decided once per process, on first call). */
bool caches_on(void);
/* A letter starts on this thread: what a cache keeps is told apart by
 * whether a later letter than the one that brought it used it again
 * (caches_letter), so a long batch keeps its letters' common words and
 * paragraphs and drops each recipient's own. */
void caches_next_letter(void);
/* This thread's letter: 0 before the first, then increasing. */
unsigned long caches_letter(void);
/* This thread's number, given in turn at its first call (0, 1, 2, ...):
 * which part of a cache kept per thread is its own. */
unsigned caches_turn(void);

#endif
