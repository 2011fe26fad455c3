/* annex.h — owns a petition's annex in the document tree: after every
 * other block, a DOC_ANNEX titled "Signatories (N)" holding one DOC_GROUP
 * per group ("Organisations (12)", "Kazakhstan (40)") with its signers as
 * a compact list of entries (struct doc_entry: "Name, role, organisation,
 * city, country", the letter's show= fields, never an e-mail address);
 * and what templates see of the
 * petition. Words and numbers follow the letter's language and locale. */
#ifndef MISSIVE_ANNEX_H
#define MISSIVE_ANNEX_H

#include "doc.h"
#include "letter.h"
#include "signers.h"
#include "value.h"

/* Appends the annex of signers to doc's root; locale is the ICU locale for
 * numbers and country names ("en_GB"). */
void annex_add(struct doc_document *doc, const struct signers *signers,
               const struct letter_petition *petition, const char *locale);

/* What templates see as `petition`: signers, individuals, organisations,
 * countries (counts as digits, for the number filter), organisation_names
 * (a list, in collation order) and groups (a list of maps: name, key,
 * count), in arena. */
struct value *annex_value(struct arena *arena, const struct signers *signers, const char *language,
                          struct source_loc loc);

/* n with the locale's digit grouping ("12,408" in en, "12 408" in fr), in
 * arena. */
char *annex_number(struct arena *arena, const char *locale, size_t n);

/* The heading of group without its count, in language: "Organisations",
 * "Individuals", a country's name, "Country not given". NULL for the one
 * group of group-by="none". */
const char *annex_group_name(const struct signers_group *group, const char *language);

#endif
