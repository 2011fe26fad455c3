/* protocol.h — owns the protocol table (templates/protocol.ini): per
 * language and rank the honorific, the address form, the salutation and
 * the closing that are correct for a head of state, an ambassador, an
 * employer... Sections are [LANG.RANK]; a key may have a feminine form
 * (salutation-f) used for recipients with `gender = f`. */
#ifndef MISSIVE_PROTOCOL_H
#define MISSIVE_PROTOCOL_H

#include "arena.h"
#include "error.h"
#include "value.h"

#include <stddef.h>

/* The ranks a recipient's `rank` may name, in the table's order. */
extern const char *const protocol_ranks[];
extern const size_t protocol_rank_count;

/* Reads the table at path: a map "LANG.RANK" -> map of its keys, each
 * located. A missing file is no table (NULL, no error); a wrong one is
 * NULL plus every error. *present says whether the file exists. */
struct value *protocol_load(struct arena *arena, const char *path, bool *present,
                            struct errors *errors);

/* The row for language and rank, or NULL. */
const struct value *protocol_row(const struct value *table, const char *language, const char *rank);

#endif
