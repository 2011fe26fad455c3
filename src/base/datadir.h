/* datadir.h — owns where missive's installed data lives (the bundled
 * fonts, the default templates, the skeleton of a new workspace): a
 * folder the program names once at start-up. A workspace's own files
 * always come first; the data folder only fills in the defaults a
 * workspace does not provide. */
#ifndef MISSIVE_DATADIR_H
#define MISSIVE_DATADIR_H

/* Names the data folder for the rest of the process (NULL: none). Call
 * before any thread starts; the string is copied. */
void datadir_set(const char *dir);
/* The data folder, or NULL when none was set. */
const char *datadir_get(void);
/* The data folder joined with relative when that file or folder exists,
 * else NULL. Caller frees. */
char *datadir_find(const char *relative);

#endif
