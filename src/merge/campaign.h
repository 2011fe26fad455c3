/* campaign.h — owns turning a campaign letter (one with <recipients>) into
 * its variants: resolves the recipients it names (ids, groups, countries)
 * against the workspace, gives each recipient the first of its languages
 * the letter has in full (else the letter's fallback), and narrows the
 * batch to some recipients or languages. A variant is a view of the
 * letter (struct letter) that merge takes like any single letter. */
#ifndef MISSIVE_CAMPAIGN_H
#define MISSIVE_CAMPAIGN_H

#include "arena.h"
#include "error.h"
#include "letter.h"
#include "workspace.h"

#include <stddef.h>
#include <stdint.h>

/* One letter of a campaign, as campaign_variant makes it. */
struct campaign_variant {
    const char *recipient;          /* its id in recipients.ini */
    const char *country;            /* the recipient's */
    const char *language;           /* the language it is written in */
    const struct letter_text *text; /* the letter's text in that language */
    struct source_loc loc;          /* where the letter names the recipient */
    bool fallback;                  /* none of the recipient's languages: the fallback's */
};

/* How a variant is kept: 16 bytes, where struct campaign_variant's 56
 * were half a MB of a 10,000-letter batch. Texts and countries are
 * language and ISO 3166 codes, each once: far fewer than 65,536. */
struct campaign_row {
    uint32_t recipient; /* in the workspace's recipient_ids */
    uint32_t pick;      /* in the letter's picks: where it names the recipient */
    uint16_t text;      /* in the letter's texts */
    uint16_t country;   /* in the campaign's countries */
    bool fallback;      /* none of the recipient's languages: the fallback's */
};

struct campaign {
    struct arena *arena; /* owns the countries (not the letter) */
    const struct workspace *ws;
    const struct letter *letter;
    struct campaign_row *rows; /* in the order the letter names them */
    size_t count;
    const char **countries; /* each country of a variant once */
    size_t country_count;
    /* What campaign_check found: letters that lack limited text others
     * have, fallback letters with a salutation in another language. */
    struct errors warnings;
};

/* Narrowing a batch; NULL members mean everything. */
struct campaign_filter {
    const char *only;      /* recipient ids separated by commas */
    const char *languages; /* language codes separated by commas */
    bool strict;           /* warnings are errors */
    unsigned jobs;         /* threads that read the recipients again (0: every core) */
};

/* true when letter names its recipients with <recipients>. */
bool campaign_is(const struct letter *letter);
/* The variants of letter (which must outlive them), or NULL plus every
 * error found: unknown recipients or groups, recipients no text of the
 * letter is written for, filters naming nothing. */
struct campaign *campaign_plan(const struct workspace *ws, const struct letter *letter,
                               const struct campaign_filter *filter, struct errors *errors);
void campaign_free(struct campaign *campaign);
/* Adds to warnings what nothing else reports: a paragraph or fact that
 * countries="..." or groups="..." leave out of some letters (naming them),
 * and a letter that falls back to another language while its recipient's
 * salutation stays in theirs. campaign_plan runs it. */
void campaign_check(const struct workspace *ws, const struct campaign *campaign,
                    struct errors *warnings);
/* Variant i (i < count). */
struct campaign_variant campaign_variant(const struct campaign *campaign, size_t i);
/* Variant i's recipient id (a string of the workspace's). */
const char *campaign_recipient(const struct campaign *campaign, size_t i);
/* Variant i's language. */
const char *campaign_language(const struct campaign *campaign, size_t i);
/* The letter as variant i's recipient gets it (recipient, language,
 * subject, facts and body of its text), into out; it shares the campaign
 * letter's memory. */
void campaign_letter(const struct campaign *campaign, size_t i, struct letter *out);
/* A draft variant's output name, "LETTER-RECIPIENT", into out. */
void campaign_name(const struct campaign *campaign, size_t i, char *out, size_t size);

#endif
