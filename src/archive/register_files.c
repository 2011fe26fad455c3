/* register_files.c — the archived files of the entries an issue records.
 * The order is the crash-safety protocol's (docs/register.md): under the
 * lock, the journal lists every file of the batch; each file is then
 * written to a temporary name, made durable and renamed into letters/;
 * after the commit the journal goes, after a rollback the files go too.
 * A crash at any point leaves only what the journal or the temporary
 * names mark, which register_recover removes. */
#include "register_internal.h"

#include "archive.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int register_files_begin(struct register_db *db, char *const *relative, size_t count,
                         struct errors *errors)
{
    char *letters = archive_join(db->dir, ARCHIVE_LETTERS);
    int status = archive_mkdirs(letters, errors);
    free(letters);
    if (status == 0)
        status = archive_journal_write(db->dir, relative, count, errors);
    return status;
}

int register_files_write(struct register_db *db, const char *relative, const void *data, size_t len,
                         struct errors *errors)
{
    char *final = archive_join(db->dir, relative);
    struct stat st;
    char *temp = NULL;
    if (lstat(final, &st) == 0)
        errors_add_at(errors, final, 0, 0,
                      "exists already but no entry records it (see missive register verify); "
                      "nothing was issued");
    else
        temp = output_write_temp(final, data, len, ARCHIVE_FILE_MODE, errors);
    if (!temp) {
        free(final);
        return -1;
    }
    db->staged = xrealloc(db->staged, (db->staged_count + 1) * sizeof *db->staged);
    db->staged[db->staged_count++] = (struct register_staged){xstrdup(relative), final, temp};
    return 0;
}

int register_files_install(struct register_db *db, struct errors *errors)
{
    for (size_t i = 0; i < db->staged_count; i++) {
        struct register_staged *f = &db->staged[i];
        if (!f->temp)
            continue;
        if (output_install(f->temp, f->final, errors) != 0)
            return -1;
        free(f->temp);
        f->temp = NULL;
    }
    return 0;
}

void register_files_end(struct register_db *db, bool committed, struct errors *errors)
{
    for (size_t i = 0; i < db->staged_count; i++) {
        struct register_staged *f = &db->staged[i];
        if (f->temp)
            unlink(f->temp);
        else if (!committed)
            unlink(f->final);
        free(f->relative);
        free(f->final);
        free(f->temp);
    }
    free(db->staged);
    db->staged = NULL;
    db->staged_count = 0;
    archive_journal_remove(db->dir, errors);
}

int register_blob(struct register_db *db, const char *path, char hex[65], struct errors *errors)
{
    return archive_blob(db->dir, path, hex, errors);
}

char *register_path(const struct register_db *db, const char *relative)
{
    return archive_join(db->dir, relative);
}
