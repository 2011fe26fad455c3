/* snapshot.h — owns the archived form of a merged letter: the document tree
 * (doc.h) and every setting that shapes its rendering (page, margins, font
 * files by SHA-256, font size, leading, text width), written as a small
 * XML file and read back into an equal tree. Reprinting needs nothing but
 * this file and the font and image files it names by hash. */
#ifndef MISSIVE_SNAPSHOT_H
#define MISSIVE_SNAPSHOT_H

#include "arena.h"
#include "buffer.h"
#include "doc.h"
#include "error.h"
#include "settings.h"

/* Gives the SHA-256 of the font or image file at path (and may keep a copy
 * of it by that hash). Returns 0, or -1 with an error. */
typedef int (*snapshot_hash_fn)(void *context, const char *path, char hex[65],
                                struct errors *errors);

/* Writes doc and the rendering settings of settings as XML into out.
 * Returns 0, or -1 with errors (a file that cannot be hashed, text XML
 * cannot hold). */
int snapshot_write(const struct doc_document *doc, const struct settings *settings,
                   snapshot_hash_fn hash, void *context, struct buffer *out, struct errors *errors);

/* What snapshot_read gives back. settings holds only what rendering reads:
 * page, fonts (paths blob_dir/HASH) and text_width. */
struct snapshot {
    struct arena *arena;
    struct settings settings;
    struct doc_document *doc; /* freed by snapshot_free */
    const char **hashes;      /* every font and image file named, by hash */
    size_t hash_count;
};

/* Reads the XML in data (name is used in messages). NULL plus errors when
 * it is not a well-formed archived letter. Free with snapshot_free. */
struct snapshot *snapshot_read(const char *name, const char *data, size_t len, const char *blob_dir,
                               struct errors *errors);
/* Reads the archived source at path, recorded with SHA-256 sha256, whose
 * fonts and images are in blob_dir. NULL, with one error per problem, when
 * it cannot be read, has changed, is no archived letter, or a font or image
 * it names is missing from blob_dir or (with check_content) no longer
 * matches its hash. verify passes false: it hashes every blob on its own. */
struct snapshot *snapshot_read_archived(const char *path, const char *sha256, const char *blob_dir,
                                        bool check_content, struct errors *errors);
/* snapshot_read, then the check snapshot_read_archived makes of every
 * font and image it names (for a source read from the register itself). */
struct snapshot *snapshot_read_checked(const char *name, const char *data, size_t len,
                                       const char *blob_dir, bool check_content,
                                       struct errors *errors);
/* Frees x and its document. */
void snapshot_free(struct snapshot *x);

#endif
