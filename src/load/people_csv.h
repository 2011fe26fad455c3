/* people_csv.h — owns people files kept as spreadsheets: a `[source.NAME]`
 * section of missive.ini names a CSV and how its columns map to keys, and
 * the CSV is read into the same INI sections a people file would hold
 * (one per row, one entry per non-empty cell, each located at its cell),
 * so every row is checked exactly as an INI section is. */
#ifndef MISSIVE_PEOPLE_CSV_H
#define MISSIVE_PEOPLE_CSV_H

#include "arena.h"
#include "error.h"
#include "ini.h"

#include <stddef.h>

/* A column named in missive.ini: map-KEY = Header, or one of ignore. */
struct people_csv_column {
    const char *key; /* NULL for an ignored column */
    const char *header;
    struct source_loc loc; /* where missive.ini names it */
};

/* One [source.NAME] section. Everything lives in the loader's arena. */
struct people_csv_source {
    const char *name;      /* NAME */
    struct source_loc loc; /* the section */
    const char *file;      /* as written (relative to the workspace) */
    struct source_loc file_loc;
    const char *people; /* "organisations", "signatories" or "recipients" */
    const char *id;     /* the header of the id column (default "id") */
    struct source_loc id_loc;
    struct people_csv_column *columns;
    size_t column_count;
};

/* Reads a [source.NAME] section into source; false after adding errors
 * (unknown keys, a missing file or people key, an unknown people kind). */
bool people_csv_source(struct arena *arena, const struct ini_section *section,
                       struct people_csv_source *source, struct errors *errors);

/* Reads the CSV at path (source->file joined to the workspace) as INI
 * sections, into arena (the workspace reads it into scratch memory and
 * copies what it keeps); path is not copied and must outlive every
 * location in the result. NULL plus every error found (file:line:col of
 * the cell). */
struct ini_file *people_csv_load(struct arena *arena, const struct people_csv_source *source,
                                 const char *path, struct errors *errors);

#endif
