/* ini.h — owns reading INI files: values through iniparser, plus a scan of
 * the raw file that gives every section and value its file:line:col and
 * turns what iniparser would silently accept or mangle into errors: a
 * UTF-8 BOM, invalid UTF-8, lines over 1022 bytes, duplicate sections or
 * keys, unquoted values holding ';' or '#', text after a closing quote,
 * line continuations, keys outside a section, names not in lower case.
 * Also checks sections against a list of known keys ("did you mean").
 * Everything returned lives in the arena given to ini_load. */
#ifndef MISSIVE_INI_H
#define MISSIVE_INI_H

#include "arena.h"
#include "buffer.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>

struct ini_entry {
    const char *key;
    const char *value;           /* as iniparser read it (quotes removed) */
    struct source_loc loc;       /* the key */
    struct source_loc value_loc; /* first character of the value, inside quotes */
};

struct ini_section {
    const char *name;
    struct source_loc loc; /* first character of the name, after '[' */
    struct ini_entry *entries;
    size_t count, capacity;
    /* ini_scan_people: the bytes of the file from its header line to the
     * next section's (ini_scan_range reads them again). */
    size_t start, end;
};

struct ini_file {
    const char *path; /* as given to ini_load, in the arena */
    struct ini_section *sections;
    size_t count, capacity;
};

/* What a key of a section may be. */
struct ini_key {
    const char *name;
    bool required;
};

/* How a file is read: missive's scan is the reader of record and refuses
 * whatever iniparser would read otherwise (cut values, duplicates, long
 * lines...); INI_CROSS_CHECK has iniparser read the file too and compares
 * every value. iniparser's dictionary costs time in the square of the
 * file's entries, so the people files (tens of thousands of sections) are
 * read by the scan alone; missive.ini and the protocol table are checked. */
enum ini_reading { INI_SCAN = 0, INI_CROSS_CHECK = 1 };

/* Reads the INI file at path. NULL plus every error found (the scan
 * reports all problems of the file, not just the first). */
struct ini_file *ini_load(struct arena *arena, const char *path, enum ini_reading reading,
                          struct errors *errors);

/* A people file (organisations.ini, signatories.ini, recipients.ini): read
 * by the scan alone, under the people files' size limit ([limits]
 * people_mb), into scratch, which the caller frees once it has copied
 * what it keeps. path is not copied: it must outlive every location taken
 * from the result. */
struct ini_file *ini_load_people(struct arena *scratch, const char *path, struct errors *errors);

/* Receives one section of a file being read; the section and everything
 * it points to except its name are gone after the call. */
typedef void (*ini_section_fn)(void *context, const struct ini_section *section);

/* ini_load_people without keeping the file: each section goes to each as
 * soon as it is read, so memory holds one section at a time besides the
 * names of those seen (for duplicates), which stay in scratch. False when
 * the file has errors (every one reported); each has then seen some
 * sections, which the caller drops. */
bool ini_scan_people(struct arena *scratch, const char *path, ini_section_fn each, void *context,
                     struct errors *errors);
/* ini_scan_people that hands the file's text to *text (NUL-terminated, the
 * caller frees it) when it was read, and the file still open to *fd (the
 * caller closes it; -1 when it was not read), so that its sections can be
 * read again (ini_scan_range) instead of kept as values. */
bool ini_scan_people_text(struct arena *scratch, const char *path, ini_section_fn each,
                          void *context, char **text, size_t *len, int *fd, struct errors *errors);
/* Scans text[start..end), lines from line on, of the file at path as
 * ini_scan_people did: each gets the sections there. */
bool ini_scan_range(struct arena *scratch, const char *path, const char *text, size_t start,
                    size_t end, int line, ini_section_fn each, void *context,
                    struct errors *errors);

/* The section called name, or NULL. */
const struct ini_section *ini_section(const struct ini_file *ini, const char *name);
/* The entry for key in section, or NULL. */
const struct ini_entry *ini_entry(const struct ini_section *section, const char *key);

/* Checks section against keys[0..count): unknown keys (with a suggestion),
 * missing required keys and empty values are errors. Returns false if any. */
bool ini_check_keys(const struct ini_section *section, const struct ini_key *keys, size_t count,
                    struct errors *errors);

/* Writes sections as an INI file ini_load reads back to the same names,
 * keys and values: a value is quoted when iniparser would cut or strip it
 * (';', '#', a leading quote), in the quote it does not hold. 0, or -1
 * with an error at each value no INI line can hold (both quotes and ';'
 * or '#', a trailing '\\', a line over 1022 bytes). */
int ini_write(const struct ini_section *sections, size_t count, struct buffer *out,
              struct errors *errors);

/* The location of the code point at byte offset within the string that
 * starts at loc (all on one line), e.g. the third address line of a value. */
struct source_loc ini_loc_at(struct source_loc loc, const char *s, size_t offset);

#endif
