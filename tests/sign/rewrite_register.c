/* rewrite_register.c ARCHIVE rewrite|drop — what someone with write access
 * to the register database (but no key) can do, for the signed-checkpoint
 * tests: "rewrite" changes entry 1's subject and recomputes every hash of
 * the chain and the head, so the chain is consistent again; "drop" deletes
 * the last entry and fixes the head record to the new last one. */
#include "register.h"
#include "register_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int exec(sqlite3 *db, const char *sql, const char *a, long long n)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    if (a)
        sqlite3_bind_text(stmt, 1, a, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, a ? 2 : 1, n);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    struct errors errors = {0};
    struct register_db *db = register_open(argv[1], 1000, &errors);
    struct arena *arena = arena_new();
    struct register_entry **entries = NULL;
    struct register_filter all = {0};
    long count = db ? register_list(db, arena, &all, &entries, &errors) : -1;
    int status = count > 0 ? 0 : 1;
    /* The database file itself, as such a person would open it. */
    sqlite3 *s = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/register.sqlite", argv[1]);
    if (status == 0 && sqlite3_open(path, &s) != SQLITE_OK)
        status = 1;
    char count_text[32];
    if (status == 0 && strcmp(argv[2], "rewrite") == 0) {
        entries[0]->subject = "A subject nobody sent";
        exec(s, "UPDATE entries SET subject = ? WHERE id = ?", entries[0]->subject, 1);
        const char *prev = entries[0]->prev_hash;
        for (long i = 0; i < count; i++) {
            char hex[65];
            entries[i]->prev_hash = prev;
            register_entry_hash(entries[i], hex);
            entries[i]->hash = arena_strdup(arena, hex);
            exec(s, "UPDATE entries SET prev_hash = ? WHERE id = ?", prev, entries[i]->id);
            exec(s, "UPDATE entries SET hash = ? WHERE id = ?", hex, entries[i]->id);
            prev = entries[i]->hash;
        }
        exec(s, "UPDATE meta SET value = ? WHERE key = 'head_hash' AND ? > 0", prev, 1);
    } else if (status == 0 && strcmp(argv[2], "drop") == 0 && count > 1) {
        long long last = entries[count - 1]->id;
        exec(s, "DELETE FROM files WHERE entry_id = ?", NULL, last);
        exec(s, "DELETE FROM signatories WHERE entry_id = ?", NULL, last);
        exec(s, "DELETE FROM entries WHERE id = ?", NULL, last);
        snprintf(count_text, sizeof count_text, "%ld", count - 1);
        exec(s, "UPDATE meta SET value = ? WHERE key = 'head_count' AND ? > 0", count_text, 1);
        exec(s, "UPDATE meta SET value = ? WHERE key = 'head_hash' AND ? > 0",
             entries[count - 2]->hash, 1);
    } else {
        status = 2;
    }
    errors_print(&errors, stderr);
    errors_clear(&errors);
    arena_free(arena);
    sqlite3_close(s);
    register_close(db);
    return status;
}
