/* path.h — owns containment: the one place that decides whether missive
 * may read a file, and that reads it. A file named by a workspace file
 * (signers CSV, include, image, font, template, INI) must resolve, symlinks
 * followed, inside the workspace, missive's data folder or a folder that
 * missive.ini allows; only regular files are read, and each kind of file
 * has a size limit. Files named on the command line are not contained but
 * are read the same way (regular, limited).
 *
 * The policy is process-wide: workspace_load sets it before any letter is
 * read and before any thread starts; readers only read it. */
#ifndef MISSIVE_PATH_H
#define MISSIVE_PATH_H

#include "buffer.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* What a file is, which picks its size limit and whether it is contained. */
enum path_kind {
    PATH_NAMED_LETTER, /* a letter named on the command line: not contained */
    PATH_NAMED_DATA,   /* a CSV or other file named on the command line */
    PATH_SETTINGS,     /* missive.ini and the INI files of letters/ */
    PATH_TEMPLATE,     /* templates and includes */
    PATH_SIGNERS,      /* a petition's CSV */
    PATH_PEOPLE,       /* letters/ people INI files and [source.NAME] CSVs */
    PATH_IMAGE,        /* logos and signatures */
    PATH_FONT,         /* TrueType files */
    PATH_KEY,          /* signing keys (PKCS#12), passphrase files, trusted certificates */
    PATH_KIND_COUNT
};

/* The budgets of hostile input ([limits] in missive.ini): file sizes in
 * bytes per kind, the longest value of a CSV cell, the longest word of any
 * text, and the most nodes one template application may produce. */
struct path_limits {
    size_t max_size[PATH_KIND_COUNT];
    size_t value_bytes;    /* [limits] value_kb, default 64 KB */
    size_t word_bytes;     /* [limits] word_bytes, default 1000 */
    size_t template_nodes; /* [limits] template_nodes, default 200,000 */
};

/* The default limits: 16 MB for letters, templates and settings INI files,
 * 512 MB for signers CSVs, 64 MB for people files (INI or CSV: an address
 * book of some 300,000 entries), images and fonts, and the defaults above. */
void path_default_limits(struct path_limits *limits);
/* The limits in force: the policy's, or the defaults when none is set. */
const struct path_limits *path_limits(void);
/* The missive.ini key ("[limits] file_mb") that sets kind's limit. */
const char *path_limit_key(enum path_kind kind);

/* Sets the process-wide policy: the workspace root, the folders missive.ini
 * allows (absolute, or relative to root) and the limits. Folders that do
 * not exist are left out. Copies everything. */
void path_policy_set(const char *root, const char *const *allowed, size_t allowed_count,
                     const struct path_limits *limits);
/* Adds folder (which must exist) to the policy's folders, when one is set:
 * the archive is missive's own store, read back by issue and reprint. */
void path_policy_allow(const char *folder);
/* Forgets the policy (then nothing is contained; limits are the defaults). */
void path_policy_clear(void);

/* What path_check and path_read return besides 0: the file could not be
 * reached (errno set, as open would), or the policy refuses it. Both
 * write a reason that names the path ("'x' is outside the workspace: ...",
 * "'x' is a FIFO: only regular files are read"). */
enum { PATH_FAILED = -1, PATH_REFUSED = -2 };

/* The reason without its leading quoted path ("is a FIFO: ..."), for an
 * error reported at the file itself: "FILE: error: the file is a FIFO". */
const char *path_reason_tail(const char *path, const char *reason);

/* realpath(path, real), faster where /proc is mounted: the resolved path
 * of an existing file (symlinks followed) in real, or NULL with errno. */
char *path_real(const char *path, char real[PATH_MAX]);

/* Checks that path may be read as kind: it exists, is a regular file
 * (after symlinks) and, for contained kinds, lies inside the policy's
 * folders. Returns 0 or one of the failures above. */
int path_check(const char *path, enum path_kind kind, char *reason, size_t size);
/* path_check, then reads the whole file into out (NUL-terminated), refusing
 * it when it is larger than kind's limit. Returns 0 or a failure. */
int path_read(const char *path, enum path_kind kind, struct buffer *out, char *reason, size_t size);
/* path_read that leaves the file open in *fd (the caller closes it; -1
 * after a failure), for a reader that reads parts of it again later
 * (pread) from the very file it read, whatever its path names by then. */
int path_read_kept(const char *path, enum path_kind kind, struct buffer *out, int *fd, char *reason,
                   size_t size);
/* path_read's checks, then only the first head bytes (fewer when the
 * file is shorter), with the file's size in *file_size: for a check of a
 * file's header that leaves reading it whole for later. */
int path_read_head(const char *path, enum path_kind kind, size_t head, struct buffer *out,
                   size_t *file_size, char *reason, size_t size);

/* A name that opens the very file descriptor fd holds ("/proc/self/fd/N",
 * written into room), for a library that reads only by name (iniparser);
 * NULL when fd is -1 or /proc is not mounted. */
enum { PATH_FD_NAME = 40 };
const char *path_fd_name(int fd, char room[PATH_FD_NAME]);

/* path_check, then opens the file for reading (*fd, the caller closes it)
 * when it is within kind's size limit, for readers that stream it rather
 * than hold it whole. Returns 0 or a failure (*fd is then -1). */
int path_open(const char *path, enum path_kind kind, int *fd, char *reason, size_t size);

#endif
