/* web_watch.h — owns noticing that the workspace changed on disk: a stamp
 * of every file missive reads (missive.ini, letters/, templates/, fonts/)
 * and a wait on inotify for the next change, so an open page refreshes
 * its preview without polling. */
#ifndef MISSIVE_WEB_WATCH_H
#define MISSIVE_WEB_WATCH_H

#include <time.h>

/* A number that changes whenever one of those files is added, removed or
 * written (names, sizes and modification times hashed). */
unsigned long long web_watch_stamp(const char *root);

/* The same without the letters themselves (the .xml files of letters/): what the
 * pipeline caches (settings, people, templates, fonts). */
unsigned long long web_watch_stamp_data(const char *root);

struct web_watch;
/* Watches those folders of root; NULL when inotify is not available. */
struct web_watch *web_watch_open(const char *root);
/* Waits up to timeout_ms for a change (and a few milliseconds more so
 * that an editor's several writes count once) or for quit_fd to become
 * readable. 1: changed, 0: timed out, -1: quit. */
int web_watch_wait(struct web_watch *watch, int quit_fd, int timeout_ms);
/* When the last wait that returned 1 saw the change's first event
 * (CLOCK_MONOTONIC): where the server's own latency starts. */
struct timespec web_watch_noticed(const struct web_watch *watch);
void web_watch_close(struct web_watch *watch);

#endif
