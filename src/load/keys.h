/* keys.h — owns the configuration of signing keys: missive.ini's
 * [signing] (trust store, time-stamp authority, the register's key) and
 * [passphrases] sections, the `key` files named per signatory or
 * organisation, and where each key's passphrase comes from: the
 * environment variable `key_passphrase_env` names (default
 * MISSIVE_PASSPHRASE_<ID>), else the file [passphrases] names for the id.
 * A passphrase is never read from the people files themselves. */
#ifndef MISSIVE_KEYS_H
#define MISSIVE_KEYS_H

#include "error.h"
#include "ini.h"
#include "workspace.h"

/* Fills ws->settings.signing from [signing] and [passphrases] of ini. */
void keys_load_settings(struct workspace *ws, const struct ini_file *ini, struct errors *errors);
/* The path of a `key` entry, joined to the root. The file is looked at only
 * when something is signed, so a workspace shared with people who never
 * sign loads without it. */
const char *keys_path(struct workspace *ws, const struct ini_entry *entry, struct errors *errors);

/* Where one signatory's or organisation's key is configured. */
struct keys_entry {
    const char *id;   /* the section's id */
    const char *path; /* the PKCS#12 file, joined to the root */
    struct source_loc loc;
    const char *passphrase_env; /* the variable's name */
};
/* The key configured in a people map (a signatory's or organisation's):
 * 1 with *entry filled, 0 when it has none. */
int keys_entry(const struct value *person, const char *id, struct keys_entry *entry);
/* The passphrase for entry (malloc'd, caller frees and should wipe), or
 * NULL plus an error at entry->loc saying where it was looked for. */
char *keys_passphrase(const struct workspace *ws, const struct keys_entry *entry,
                      struct errors *errors);

#endif
