/* keys.c — owns the signing configuration (keys.h): [signing] checked
 * where it is written, passphrases looked up only when a key is used. */
#include "keys.h"

#include "arena.h"
#include "path.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ini_entry *entry_of(const struct ini_file *ini, const char *section,
                                        const char *key)
{
    const struct ini_section *s = ini_section(ini, section);
    const struct ini_entry *e = s ? ini_entry(s, key) : NULL;
    return e && e->value[0] ? e : NULL;
}

void keys_load_settings(struct workspace *ws, const struct ini_file *ini, struct errors *errors)
{
    struct signing_settings *s = &ws->settings.signing;
    struct source_loc file = {ini->path, 0, 0};
    *s = (struct signing_settings){
        .tsa_timeout = 10, .trust_loc = file, .tsa_loc = file, .register_key_loc = file};
    const struct ini_entry *trust = entry_of(ini, "signing", "trust");
    const struct ini_entry *tsa = entry_of(ini, "signing", "tsa");
    const struct ini_entry *timeout = entry_of(ini, "signing", "tsa_timeout");
    const struct ini_entry *reg = entry_of(ini, "signing", "register_key");
    if (trust) {
        s->trust = workspace_path(ws, trust->value);
        s->trust_loc = trust->value_loc;
    }
    if (tsa) {
        if (strncmp(tsa->value, "http://", 7) != 0 && strncmp(tsa->value, "https://", 8) != 0)
            errors_add(errors, tsa->value_loc,
                       "invalid time-stamp authority '%s' (expected an http:// or https:// URL)",
                       tsa->value);
        s->tsa = tsa->value;
        s->tsa_loc = tsa->value_loc;
    }
    if (timeout) {
        char *end;
        long t = strtol(timeout->value, &end, 10);
        if (*end || t < 1 || t > 300)
            errors_add(errors, timeout->value_loc,
                       "invalid tsa_timeout '%s' (expected whole seconds from 1 to 300)",
                       timeout->value);
        else
            s->tsa_timeout = t;
    }
    if (reg) {
        s->register_key = reg->value;
        s->register_key_loc = reg->value_loc;
    }
    s->passphrase_files = value_map(ws->arena, file);
    const struct ini_section *pass = ini_section(ini, "passphrases");
    for (size_t i = 0; pass && i < pass->count; i++) {
        const struct ini_entry *e = &pass->entries[i];
        value_map_set(ws->arena, s->passphrase_files, e->key,
                      value_string(ws->arena, workspace_path(ws, e->value), e->value_loc));
    }
}

const char *keys_path(struct workspace *ws, const struct ini_entry *entry, struct errors *errors)
{
    (void)errors;
    return workspace_path(ws, entry->value);
}

int keys_entry(const struct value *person, const char *id, struct keys_entry *entry)
{
    const struct value *key = value_map_get(person, "key");
    if (!key || key->kind != VALUE_STRING || !key->string[0])
        return 0;
    const struct value *env = value_map_get(person, "key_passphrase_env");
    *entry = (struct keys_entry){id, key->string, key->loc,
                                 env && env->kind == VALUE_STRING && env->string[0] ? env->string
                                                                                    : NULL};
    return 1;
}

/* The first line of path, without its line end; NULL with why in reason. */
static char *first_line(const char *path, char *reason, size_t size)
{
    struct buffer data = {0};
    int status = path_read(path, PATH_KEY, &data, reason, size);
    if (status == PATH_FAILED)
        snprintf(reason, size, "cannot read the passphrase file %s: %s", path, strerror(errno));
    char *line = NULL;
    if (status == 0 && data.len) {
        size_t n = strcspn(data.data, "\r\n");
        line = xmalloc(n + 1);
        memcpy(line, data.data, n);
        line[n] = '\0';
    } else if (status == 0) {
        snprintf(reason, size, "the passphrase file %s is empty", path);
    }
    if (data.data)
        memset(data.data, 0, data.len);
    buffer_free(&data);
    return line;
}

char *keys_passphrase(const struct workspace *ws, const struct keys_entry *e, struct errors *errors)
{
    char variable[128];
    if (e->passphrase_env) {
        snprintf(variable, sizeof variable, "%s", e->passphrase_env);
    } else {
        size_t n = (size_t)snprintf(variable, sizeof variable, "MISSIVE_PASSPHRASE_%s", e->id);
        for (size_t i = 19; i < n && i < sizeof variable; i++)
            variable[i] = isalnum((unsigned char)variable[i])
                              ? (char)toupper((unsigned char)variable[i])
                              : '_';
    }
    const char *value = getenv(variable);
    if (value)
        return xstrdup(value);
    const struct value *file = value_map_get(ws->settings.signing.passphrase_files, e->id);
    if (!file) {
        errors_add(errors, e->loc,
                   "%s: no passphrase for %s (set %s, or name a file for '%s' under "
                   "[passphrases] in missive.ini)",
                   e->id, e->path, variable, e->id);
        return NULL;
    }
    char reason[512];
    char *line = first_line(file->string, reason, sizeof reason);
    if (!line)
        errors_add(errors, file->loc, "%s: %s", e->id, reason);
    return line;
}
