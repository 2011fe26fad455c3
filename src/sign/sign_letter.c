/* sign_letter.c — owns signing one letter as its configuration says: for
 * each signatory, in the letter's order, the signatory's own key, else
 * their organisation's; every key loaded and checked (and the TSA named)
 * before anything is numbered, then one signature per key holder at that
 * signatory's place in the signature block. */
#include "sign_internal.h"

#include "arena.h"
#include "keys.h"

#include <stdlib.h>
#include <string.h>

static const struct value *person(const struct value *people, const char *id)
{
    return id ? value_map_get(people, id) : NULL;
}

static const char *field(const struct value *map, const char *key)
{
    const struct value *v = map ? value_map_get(map, key) : NULL;
    return v && v->kind == VALUE_STRING && v->string[0] ? v->string : NULL;
}

/* The key entry for a signatory: their own, else their organisation's. */
static int find_entry(const struct workspace *ws, const char *id, struct keys_entry *entry)
{
    const struct value *p = person(ws->signatories, id);
    if (!p)
        return 0;
    if (keys_entry(p, id, entry))
        return 1;
    const char *org = field(p, "organisation");
    const struct value *o = person(ws->organisations, org);
    return o && keys_entry(o, org, entry);
}

struct sign_key *sign_letter_load_key(const struct workspace *ws, const struct keys_entry *entry,
                                      time_t at, struct errors *errors)
{
    char *passphrase = keys_passphrase(ws, entry, errors);
    if (!passphrase)
        return NULL;
    struct sign_key_source source = {entry->id, entry->path, passphrase, entry->loc};
    struct sign_key *key = sign_key_load(&source, at, errors);
    memset(passphrase, 0, strlen(passphrase));
    free(passphrase);
    return key;
}

int sign_letter_keys_load(const struct workspace *ws, const char *const *ids, size_t count,
                          time_t at, struct sign_letter_keys *out, struct errors *errors)
{
    *out = (struct sign_letter_keys){0};
    size_t before = errors->count;
    for (size_t i = 0; i < count; i++) {
        struct keys_entry entry;
        if (!find_entry(ws, ids[i], &entry))
            continue;
        struct sign_key *key = sign_letter_load_key(ws, &entry, at, errors);
        if (!key)
            continue;
        out->items = xrealloc(out->items, (out->count + 1) * sizeof *out->items);
        const char *name = field(person(ws->signatories, ids[i]), "name");
        out->items[out->count++] =
            (struct sign_letter_signer){xstrdup(ids[i]), xstrdup(name ? name : ids[i]), key, i};
    }
    if (errors->count > before) {
        sign_letter_keys_free(out);
        return -1;
    }
    return 0;
}

void sign_letter_keys_free(struct sign_letter_keys *keys)
{
    for (size_t i = 0; i < keys->count; i++) {
        free(keys->items[i].who);
        free(keys->items[i].name);
        sign_key_free(keys->items[i].key);
    }
    free(keys->items);
    *keys = (struct sign_letter_keys){0};
}

int sign_letter(struct buffer *pdf, const struct pdf_places *places,
                const struct sign_letter_keys *keys, const struct signing_settings *settings,
                const char *reference, time_t at, struct errors *errors)
{
    struct sign_tsa tsa = {settings->tsa, settings->trust, settings->tsa_timeout,
                           settings->tsa_loc};
    for (size_t i = 0; i < keys->count; i++) {
        const struct sign_letter_signer *s = &keys->items[i];
        if (s->index >= places->count) {
            errors_add_at(errors, NULL, 0, 0,
                          "%s: the letter's signature block has no place for signatory %zu", s->who,
                          s->index + 1);
            return -1;
        }
        struct sign_request r = {s->key, places->items[s->index], s->name, reference,
                                 at,     tsa.url ? &tsa : NULL};
        if (sign_pdf(pdf, &r, s->who, errors) != 0)
            return -1;
    }
    return 0;
}
