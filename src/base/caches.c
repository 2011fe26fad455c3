/* caches.c — the process-wide switch of every cache. */
#include "caches.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool on = true;

static void decide(void)
{
    const char *v = getenv("MISSIVE_NO_CACHE");
    on = !v || !*v || strcmp(v, "0") == 0;
}

bool caches_on(void)
{
    pthread_once(&once, decide);
    return on;
}

static _Thread_local unsigned long letter;

void caches_next_letter(void)
{
    letter++;
}

unsigned long caches_letter(void)
{
    return letter;
}

unsigned caches_turn(void)
{
    static _Atomic unsigned turns;
    static _Thread_local unsigned mine; /* the turn + 1; 0 before the first call */
    if (!mine)
        mine = atomic_fetch_add(&turns, 1) + 1;
    return mine - 1;
}
