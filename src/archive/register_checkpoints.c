/* register_checkpoints.c — signed register checkpoints kept in the
 * register itself (table checkpoints, the signature's DER as hex text so
 * that it travels through the one text interface of both backends): each
 * is written in the transaction of the entry it signs, so it needs no
 * journal and lives wherever the register lives — the SQLite file or the
 * PostgreSQL database. What is signed is app_checkpoint.c's business. */
#include "register_internal.h"

#include <stdlib.h>
#include <string.h>

int register_checkpoint_put(struct register_db *db, long long id, const void *der, size_t len,
                            struct errors *errors)
{
    static const char digits[] = "0123456789abcdef";
    char *hex = xmalloc(2 * len + 1);
    const unsigned char *p = der;
    for (size_t i = 0; i < len; i++) {
        hex[2 * i] = digits[p[i] >> 4];
        hex[2 * i + 1] = digits[p[i] & 15];
    }
    hex[2 * len] = '\0';
    char number[32];
    const char *values[] = {register_num(number, id), hex};
    int status = register_exec(db, "INSERT INTO checkpoints(entry_id, signature) VALUES(?1, ?2)", 2,
                               values, errors);
    free(hex);
    return status;
}

struct taken {
    struct arena *arena;
    struct register_checkpoint *list;
    size_t count, cap;
};

static int nibble(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int take(void *context, const char *const *v, int count)
{
    struct taken *t = context;
    (void)count;
    if (!v[0] || !v[1])
        return 0;
    size_t n = strlen(v[1]) / 2;
    unsigned char *der = arena_alloc(t->arena, n ? n : 1);
    bool good = strlen(v[1]) % 2 == 0;
    for (size_t i = 0; good && i < n; i++) {
        int hi = nibble(v[1][2 * i]), lo = nibble(v[1][2 * i + 1]);
        good = hi >= 0 && lo >= 0;
        der[i] = (unsigned char)(hi << 4 | (lo & 15));
    }
    t->list = arena_grow(t->arena, t->list, t->count, &t->cap, sizeof *t->list);
    /* Text that is not hex keeps no bytes: its check fails, as it should. */
    t->list[t->count++] = (struct register_checkpoint){atoll(v[0]), der, good ? n : 0};
    return 0;
}

long register_checkpoints(struct register_db *db, struct arena *arena,
                          struct register_checkpoint **out, struct errors *errors)
{
    struct taken t = {.arena = arena};
    if (register_query(db, "SELECT entry_id, signature FROM checkpoints ORDER BY entry_id", 0, NULL,
                       take, &t, errors) != 0)
        return -1;
    *out = t.list;
    return (long)t.count;
}
