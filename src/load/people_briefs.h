/* people_briefs.h — owns what planning a campaign needs of each recipient,
 * noted while loading made it: its country and its languages. Planning
 * then chooses every recipient's text without making the recipient again
 * from recipients.ini (a second parse of every section, on the one thread
 * before the letters start). 4 bytes a recipient: each country and each
 * list of languages is kept once, recipients hold their numbers. */
#ifndef MISSIVE_PEOPLE_BRIEFS_H
#define MISSIVE_PEOPLE_BRIEFS_H

#include "arena.h"
#include "value.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct people_brief {
    uint16_t country, languages; /* numbers into the tables below */
};

/* The distinct values of one kind: keys in a hash index, in first-seen order. */
struct people_brief_table {
    const char **keys;
    uint32_t *slots; /* key number + 1, 0 for none; size a power of two */
    size_t count, size;
};

struct people_briefs {
    struct people_brief *items; /* per recipient, in recipient_ids' order */
    size_t count, capacity;
    struct people_brief_table countries, languages;
    const struct value **lists; /* per languages key: the list, or NULL */
    bool broken; /* a value the notes cannot stand for: planning makes recipients again */
};

/* Notes the next recipient's country ("" when none) and languages (its
 * "languages" value: a list of codes, or NULL), copying what is new into
 * arena. */
void people_briefs_add(struct people_briefs *b, struct arena *arena, const char *country,
                       const struct value *languages);
/* Recipient i's country and languages; false when not noted (then the
 * recipient is to be made again). */
bool people_briefs_get(const struct people_briefs *b, size_t i, const char **country,
                       const struct value **languages);
void people_briefs_free(struct people_briefs *b);

#endif
