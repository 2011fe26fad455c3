/* protocol.c — owns reading the protocol table: strict INI (ini.c), every
 * section a known language and rank, every key one of the four forms (or
 * the closing after a salutation of the recipient's own), with or without
 * its feminine variant. */
#include "protocol.h"

#include "codes.h"
#include "ini.h"
#include "suggest.h"

#include <string.h>
#include <unistd.h>

const char *const protocol_ranks[] = {"head-of-state", "head-of-government", "minister",
                                      "ambassador",    "employer",           "union"};
const size_t protocol_rank_count = sizeof protocol_ranks / sizeof protocol_ranks[0];

static const struct ini_key row_keys[] = {
    {"honorific", false},     {"honorific-f", false},    {"address", false}, {"address-f", false},
    {"salutation", true},     {"salutation-f", false},   {"closing", true},  {"closing-f", false},
    {"closing-named", false}, {"closing-named-f", false}};

static void check_section(const struct ini_section *sec, struct errors *errors)
{
    const char *dot = strchr(sec->name, '.');
    if (!dot) {
        errors_add(errors, sec->loc,
                   "section [%s] is not [LANGUAGE.RANK] (for example [en.ambassador])", sec->name);
        return;
    }
    char language[16];
    snprintf(language, sizeof language, "%.*s", (int)(dot - sec->name), sec->name);
    codes_check_language(language, sec->loc, errors);
    const char *rank = dot + 1;
    size_t k = 0;
    while (k < protocol_rank_count && strcmp(protocol_ranks[k], rank) != 0)
        k++;
    if (k == protocol_rank_count) {
        const char *hint = suggest_closest(rank, protocol_ranks, protocol_rank_count);
        errors_add(errors, sec->loc, "unknown rank '%s'%s%s%s", rank,
                   hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
    }
    ini_check_keys(sec, row_keys, sizeof row_keys / sizeof row_keys[0], errors);
}

struct value *protocol_load(struct arena *arena, const char *path, bool *present,
                            struct errors *errors)
{
    *present = access(path, F_OK) == 0;
    if (!*present)
        return NULL;
    size_t before = errors->count;
    struct ini_file *ini = ini_load(arena, path, INI_CROSS_CHECK, errors);
    if (!ini)
        return NULL;
    struct value *table = value_map(arena, (struct source_loc){ini->path, 0, 0});
    for (size_t i = 0; i < ini->count; i++) {
        const struct ini_section *sec = &ini->sections[i];
        check_section(sec, errors);
        struct value *row = value_map(arena, sec->loc);
        for (size_t e = 0; e < sec->count; e++)
            value_map_set(arena, row, sec->entries[e].key,
                          value_string(arena, sec->entries[e].value, sec->entries[e].value_loc));
        value_map_set(arena, table, sec->name, row);
    }
    return errors->count == before ? table : NULL;
}

const struct value *protocol_row(const struct value *table, const char *language, const char *rank)
{
    if (!table || !language || !rank || !*rank)
        return NULL;
    char key[64];
    snprintf(key, sizeof key, "%s.%s", language, rank);
    return value_map_get(table, key);
}
