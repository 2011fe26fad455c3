/* signers.h — owns a petition's co-signers: reading the CSV a petition
 * platform exports (RFC 4180 through libcsv, UTF-8 with or without BOM),
 * mapping its columns to fields as the letter's <petition> says, checking
 * every row (name present, country code known to ICU, valid UTF-8, as many
 * fields as the header), every field put in Unicode NFC, merging duplicates (same e-mail, or same
 * name, city and country after NFKC normalisation and case folding), sorting by ICU collation in
 * the letter's locale, grouping and counting. Everything lives in the signers' arena, each
 * signer's fields in one string; the CSV is read in chunks, never held whole. E-mail addresses
 * are not kept at all: only a hash of each one's normalised form, to find duplicates, until
 * they are merged. */
#ifndef MISSIVE_SIGNERS_H
#define MISSIVE_SIGNERS_H

#include "arena.h"
#include "buffer.h"
#include "error.h"
#include "letter.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum signer_type { SIGNER_INDIVIDUAL, SIGNER_ORGANISATION };

struct signer {
    /* Every field's value in signers.fields order, each NUL-terminated,
     * back to back ("" when empty; whitespace collapsed, NFC): read them
     * with signers_field. The e-mail's is always "". */
    const char *values;
    const char *sort_key; /* ICU collation key of the name (internal, while sorting) */
    int line;             /* physical line of the CSV where the row starts */
    unsigned group;       /* index in signers.groups */
    uint8_t type;         /* enum signer_type */
    char country[3];      /* ISO 3166 code in capitals, "" when not given */
};

/* A run of signers printed under one heading. */
struct signers_group {
    const char *key;     /* "organisations", "individuals", a country code, "" (no
                            country) or "all" */
    const char *name;    /* countries: the country's name in the locale; else NULL */
    size_t first, count; /* range in signers.items */
};

/* A row that was merged into another or left out, for the report. */
struct signers_note {
    int line;
    const char *text; /* "duplicate of line 12 (same e-mail)", or the row's error */
};

struct signers {
    struct arena *arena; /* owns everything below */
    const char *path;    /* the CSV, as named in messages */
    const char **fields; /* field names, one per mapped column */
    size_t field_count;
    struct signer *items; /* the signers listed: grouped, each group sorted */
    size_t count;
    struct signers_group *groups;
    size_t group_count;
    size_t individuals, organisations, countries;
    size_t rows, blank_rows, duplicates, skipped;
    struct signers_note *merged, *left_out; /* in line order */
    size_t merged_count, left_out_count;
    uint32_t *organisation_order; /* the organisations (indices in items) by name's collation */
    /* Internal to signers*.c: each field's <column> (SIZE_MAX: none), and
     * the capacities of the arrays above (they are malloc'd). */
    size_t *field_index;
    size_t capacity, merged_capacity, left_out_capacity;
    struct signers_keys *keys; /* per item while reading: its duplicate keys' hashes */
};

/* Reads the signers of petition, sorting with the collation of locale
 * ("en_GB"). A row that is wrong is an error at file:line; with
 * skip_invalid it is left out and noted in left_out instead. NULL plus
 * every error found when the file cannot be read or is malformed, or when
 * a row is wrong and skip_invalid is false. */
struct signers *signers_load(const struct letter_petition *petition, const char *locale,
                             bool skip_invalid, struct errors *errors);
void signers_free(struct signers *signers);

/* The value of field for signer s, "" when the field is not mapped. */
const char *signers_value(const struct signers *signers, const struct signer *signer,
                          const char *field);
/* The number of field in signers.fields, or SIZE_MAX when it is not mapped
 * (look it up once, then read many signers' with signers_field). */
size_t signers_field_index(const struct signers *signers, const char *field);
/* Field number f of signer ("" for SIZE_MAX). */
const char *signers_field(const struct signer *signer, size_t f);

/* The report of what was merged and left out, as text (no e-mail
 * addresses). */
void signers_report(const struct signers *signers, struct buffer *out);

#endif
