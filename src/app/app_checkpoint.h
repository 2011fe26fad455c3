/* app_checkpoint.h — signed register checkpoints (app_checkpoint.c), for
 * the issue protocol and register verify. Not for other stages. */
#ifndef MISSIVE_APP_CHECKPOINT_H
#define MISSIVE_APP_CHECKPOINT_H

#include "app_internal.h"
#include "archive.h"
#include "workspace.h"

struct sign_key;
/* The key [signing] register_key names (an organisation's), loaded and
 * checked; NULL when none is configured, or NULL plus an error. */
struct sign_key *app_checkpoint_key(const struct workspace *ws, struct errors *errors);
/* The register key as app_checkpoint_key loads it, for the register
 * commands (void, import): *key NULL when none is configured. 0, or -1
 * with an error. */
int app_checkpoint_load(struct app *app, struct sign_key **key, struct errors *errors);
/* Signs e's number and hash with key and keeps the checkpoint in the
 * register, in the open transaction. 0, or -1 with an error. */
int app_checkpoint_write(struct register_db *db, const struct sign_key *key,
                         const struct register_entry *e, struct errors *errors);
/* Checks every checkpoint against the chain, and the signatures of every
 * signed archived PDF (against the [signing] trust when set); each problem
 * is one error. Returns their number. Call under the lock. */
long app_checkpoint_verify(struct register_db *db, const struct signing_settings *signing,
                           struct errors *errors);

#endif
