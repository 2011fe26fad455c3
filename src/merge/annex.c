/* annex.c — owns turning a petition's signers into the annex blocks of the
 * document: the title, one group per heading, one entry per signer made
 * of the fields the letter shows. Country names and numbers come from ICU
 * in the letter's locale; the few words of our own are in words.c. */
#include "annex.h"

#include "buffer.h"
#include "words.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

char *annex_number(struct arena *arena, const char *locale, size_t n)
{
    UErrorCode status = U_ZERO_ERROR;
    UNumberFormat *format = unum_open(UNUM_DECIMAL, NULL, 0, locale, NULL, &status);
    UChar digits[64];
    int32_t len =
        U_SUCCESS(status) ? unum_formatInt64(format, (int64_t)n, digits, 64, NULL, &status) : 0;
    unum_close(format);
    char utf8[256];
    if (U_SUCCESS(status))
        u_strToUTF8(utf8, sizeof utf8, NULL, digits, len, &status);
    if (U_FAILURE(status))
        return arena_printf(arena, "%zu", n);
    return arena_strdup(arena, utf8);
}

const char *annex_group_name(const struct signers_group *group, const char *language)
{
    const struct words *w = words_for(language);
    if (strcmp(group->key, "organisations") == 0)
        return w->organisations;
    if (strcmp(group->key, "individuals") == 0)
        return w->individuals;
    if (strcmp(group->key, "all") == 0)
        return NULL;
    return group->name ? group->name : w->no_country;
}

/* Country names by code, looked up once per country in use. */
struct country_names {
    const char *locale;
    struct arena *arena;
    const char *names[26 * 26];
};

static const char *country_name(struct country_names *cn, const char *code)
{
    size_t i = (size_t)(code[0] - 'A') * 26 + (size_t)(code[1] - 'A');
    if (cn->names[i])
        return cn->names[i];
    char id[8];
    snprintf(id, sizeof id, "und_%s", code);
    UChar display[128];
    UErrorCode status = U_ZERO_ERROR;
    int32_t len = uloc_getDisplayCountry(id, cn->locale, display, 128, &status);
    char utf8[512];
    if (U_SUCCESS(status))
        u_strToUTF8(utf8, sizeof utf8, NULL, display, len < 128 ? len : 127, &status);
    cn->names[i] = arena_strdup(cn->arena, U_SUCCESS(status) ? utf8 : code);
    return cn->names[i];
}

/* One signer's entry: the shown fields that are not empty, joined by
 * commas; the country by its name, left out where it heads the group.
 * fields[i] is show[i]'s field number, SIZE_MAX - 1 for the country. */
static void entry_text(struct buffer *b, const size_t *fields, const struct signer *s,
                       const struct letter_petition *petition, struct country_names *cn)
{
    buffer_reset(b);
    for (size_t i = 0; i < petition->show_count; i++) {
        if (fields[i] == SIZE_MAX - 1 && petition->group_by == LETTER_GROUP_COUNTRY)
            continue;
        const char *value = fields[i] == SIZE_MAX - 1
                                ? (*s->country ? country_name(cn, s->country) : "")
                                : signers_field(s, fields[i]);
        if (!*value)
            continue;
        size_t len = strlen(value);
        buffer_reserve(b, len + 2);
        if (b->len) {
            b->data[b->len++] = ',';
            b->data[b->len++] = ' ';
        }
        memcpy(b->data + b->len, value, len + 1);
        b->len += len;
    }
}

static void add_text(struct doc_document *doc, struct doc_block *block, const char *text,
                     struct source_loc loc)
{
    doc_text_add(doc, block, NULL, text, strlen(text), loc);
}

void annex_add(struct doc_document *doc, const struct signers *signers,
               const struct letter_petition *petition, const char *locale)
{
    struct arena *arena = doc->arena;
    const struct words *w = words_for(doc->language);
    /* Locations outlive the signers: their file name lives in the document. */
    const char *csv = arena_strdup(arena, signers->path);
    struct doc_block *annex = doc_block_add(doc, doc->root, DOC_ANNEX, petition->loc);
    add_text(
        doc, annex,
        arena_printf(arena, "%s (%s)", w->signatories, annex_number(arena, locale, signers->count)),
        petition->loc);
    struct country_names cn = {.locale = locale, .arena = arena};
    struct buffer entry = {0};
    size_t *fields = xmalloc((petition->show_count + 1) * sizeof *fields);
    for (size_t i = 0; i < petition->show_count; i++)
        fields[i] = strcmp(petition->show[i], "country") == 0
                        ? SIZE_MAX - 1
                        : signers_field_index(signers, petition->show[i]);
    for (size_t g = 0; g < signers->group_count; g++) {
        const struct signers_group *group = &signers->groups[g];
        struct doc_block *block = doc_block_add(doc, annex, DOC_GROUP, petition->loc);
        const char *name = annex_group_name(group, doc->language);
        if (name)
            add_text(
                doc, block,
                arena_printf(arena, "%s (%s)", name, annex_number(arena, locale, group->count)),
                petition->loc);
        /* A compact list, not a block per signer (doc.h), the texts in
         * the document's spool when it has one. */
        struct doc_entry *entries = arena_alloc(arena, (group->count + 1) * sizeof *entries);
        struct doc_spool *spool = doc_entry_spool(doc);
        for (size_t i = 0; i < group->count; i++) {
            const struct signer *s = &signers->items[group->first + i];
            entry_text(&entry, fields, s, petition, &cn);
            const char *text = entry.data ? entry.data : "";
            entries[i] = (struct doc_entry){.len = (uint32_t)entry.len, .line = s->line};
            if (spool)
                entries[i].at = doc_spool_put(spool, text, entry.len);
            else
                entries[i].text = arena_strndup(arena, text, entry.len);
        }
        block->entries_spool = spool;
        block->entries = entries;
        block->entry_count = group->count;
        block->entries_file = csv;
    }
    buffer_free(&entry);
    free(fields);
}

/* The organisations' names in collation order, whatever the grouping. */
static struct value *organisation_names(struct arena *arena, const struct signers *signers,
                                        struct source_loc loc)
{
    struct value *list = value_list(arena, loc);
    for (size_t i = 0; i < signers->organisations; i++)
        value_list_push(
            arena, list,
            value_string(
                arena,
                signers_value(signers, &signers->items[signers->organisation_order[i]], "name"),
                loc));
    return list;
}

static struct value *count_value(struct arena *arena, size_t n, struct source_loc loc)
{
    return value_string(arena, arena_printf(arena, "%zu", n), loc);
}

struct value *annex_value(struct arena *arena, const struct signers *signers, const char *language,
                          struct source_loc loc)
{
    struct value *v = value_map(arena, loc);
    value_map_set(arena, v, "signers", count_value(arena, signers->count, loc));
    value_map_set(arena, v, "individuals", count_value(arena, signers->individuals, loc));
    value_map_set(arena, v, "organisations", count_value(arena, signers->organisations, loc));
    value_map_set(arena, v, "countries", count_value(arena, signers->countries, loc));
    value_map_set(arena, v, "organisation_names", organisation_names(arena, signers, loc));
    struct value *groups = value_list(arena, loc);
    for (size_t g = 0; g < signers->group_count; g++) {
        const struct signers_group *group = &signers->groups[g];
        const char *name = annex_group_name(group, language);
        struct value *item = value_map(arena, loc);
        value_map_set(arena, item, "name", value_string(arena, name ? name : "", loc));
        value_map_set(arena, item, "key", value_string(arena, group->key, loc));
        value_map_set(arena, item, "count", count_value(arena, group->count, loc));
        value_list_push(arena, groups, item);
    }
    value_map_set(arena, v, "groups", groups);
    return v;
}
