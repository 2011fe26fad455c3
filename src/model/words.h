/* words.h — owns the words missive itself prints, per language: quotation
 * marks, the page footer, the draft mark, the petition annex's headings.
 * One table for every language the templates support (en, fr, de, es, ru,
 * kk); tests check that every template's language has its row. */
#ifndef MISSIVE_WORDS_H
#define MISSIVE_WORDS_H

#include <stdbool.h>

struct words {
    const char *language; /* ISO 639-1 */
    /* primary open/close, secondary open/close; French ones carry their
     * no-break spaces (U+00A0) inside */
    const char *quotes[4];
    const char *page;  /* printf format of the footer: page, pages */
    const char *draft; /* the mark on a draft */
    /* the petition annex: its title, its continuation, its groups */
    const char *signatories, *continued, *organisations, *individuals, *no_country;
    /* printf formats (one %s, a name) of the PDF's alternative texts for
     * signature images and logos, read aloud by screen readers */
    const char *signature_of, *logo_of;
};

/* The words of language (its first two letters count: "fr-CA" is "fr");
 * English for a language not in the table or NULL. */
const struct words *words_for(const char *language);
/* Whether language has its own row (no fallback to English). */
bool words_known(const char *language);

#endif
