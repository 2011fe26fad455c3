/* app_edit.c — `missive set`: one value of a people INI file (a
 * recipient's salutation) or a letter's <date> changed in place. The files
 * are the source of truth under version control, so the edit replaces
 * exactly the bytes of the one value at the location the loader recorded
 * and nothing else: comments, spacing, order and line ends stay. Whatever
 * would need more than that (a quoted value, a value split or escaped in
 * the file, a key that is not there) is refused, and so is a result that
 * does not load with the new value and every other value as before. */
#include "app_internal.h"

#include "buffer.h"
#include "ini.h"
#include "letter.h"
#include "output.h"
#include "path.h"

#include <unicode/utf8.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The byte offset of line:column (column in code points, as the loaders
 * count) in text, or SIZE_MAX. */
static size_t offset_of(const struct buffer *text, int line, int column)
{
    size_t at = 0;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(text->data + at, '\n', text->len - at);
        if (!nl)
            return SIZE_MAX;
        at = (size_t)(nl - text->data) + 1;
    }
    for (int c = 1; c < column; c++) {
        if (at >= text->len || text->data[at] == '\n')
            return SIZE_MAX;
        at++;
        while (at < text->len && ((unsigned char)text->data[at] & 0xC0) == 0x80)
            at++;
    }
    return at;
}

/* A value that can stand in the file as it is: one line of valid UTF-8
 * without control characters, not empty, no space at either end. */
static bool plain_value(const char *value, const char **why)
{
    size_t n = strlen(value);
    *why = NULL;
    if (n == 0)
        *why = "it is empty";
    else if (value[0] == ' ' || value[n - 1] == ' ')
        *why = "it begins or ends with a space";
    for (size_t i = 0; i < n && !*why; i++)
        if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
            *why = "it holds a line break or a control character";
    for (int32_t i = 0; i < (int32_t)n && !*why;) {
        UChar32 c;
        U8_NEXT(value, i, (int32_t)n, c);
        if (c < 0)
            *why = "it is not valid UTF-8";
    }
    return !*why;
}

/* What an INI value may not hold unquoted (ini.h): a comment sign or a
 * quote. */
static const char *ini_refusal(const char *value)
{
    if (strpbrk(value, ";#"))
        return "it holds ';' or '#', which the INI file would need quotes for";
    if (strchr(value, '"'))
        return "it holds '\"'";
    return NULL;
}

struct edit {
    const char *path;      /* the file, as named */
    struct buffer text;    /* its bytes */
    size_t at, len;        /* the old value's bytes */
    struct source_loc loc; /* where the value starts */
};

/* The old value must be the file's bytes at its location, unquoted and
 * unescaped; anything else is not an exact in-place edit. */
static int locate(struct edit *e, const char *old, struct source_loc loc, struct errors *errors)
{
    /* The loader's name of the file may not outlive what it loaded. */
    loc.file = e->path;
    e->loc = loc;
    e->len = strlen(old);
    e->at = offset_of(&e->text, loc.line, loc.column);
    if (e->at == SIZE_MAX || e->at + e->len > e->text.len ||
        memcmp(e->text.data + e->at, old, e->len) != 0) {
        errors_add(errors, loc,
                   "the value is not written plainly here (quoted, escaped or split): change it "
                   "with an editor");
        return -1;
    }
    if (e->at > 0 && e->text.data[e->at - 1] == '"') {
        errors_add(errors, loc, "the value is quoted in the file: change it with an editor");
        return -1;
    }
    return 0;
}

/* The file with the value replaced, written beside it under a temporary
 * name (same mode); NULL with an error. */
static char *write_edited(const struct edit *e, const char *value, struct buffer *edited,
                          struct errors *errors)
{
    struct stat st;
    if (stat(e->path, &st) != 0) {
        errors_add_at(errors, e->path, 0, 0, "cannot read the file: %s", strerror(errno));
        return NULL;
    }
    buffer_append(edited, e->text.data, e->at);
    buffer_puts(edited, value);
    buffer_append(edited, e->text.data + e->at + e->len, e->text.len - e->at - e->len);
    return output_write_temp(e->path, edited->data, edited->len, st.st_mode & 07777, errors);
}

/* Whether the edited INI file reads as the old one but for section.key. */
static bool ini_same_but(const struct ini_file *a, const struct ini_file *b, const char *section,
                         const char *key, const char *value)
{
    if (a->count != b->count)
        return false;
    for (size_t s = 0; s < a->count; s++) {
        const struct ini_section *x = &a->sections[s], *y = &b->sections[s];
        if (strcmp(x->name, y->name) != 0 || x->count != y->count)
            return false;
        for (size_t k = 0; k < x->count; k++) {
            bool target = strcmp(x->name, section) == 0 && strcmp(x->entries[k].key, key) == 0;
            if (strcmp(x->entries[k].key, y->entries[k].key) != 0 ||
                strcmp(y->entries[k].value, target ? value : x->entries[k].value) != 0)
                return false;
        }
    }
    return true;
}

static int edit_ini(struct edit *e, struct arena *arena, const char *section, const char *key,
                    const char *value, const char *expect, struct app_edit *result,
                    struct errors *errors)
{
    struct ini_file *ini = ini_load_people(arena, e->path, errors);
    if (!ini)
        return -1;
    const struct ini_section *s = ini_section(ini, section);
    const struct ini_entry *entry = s ? ini_entry(s, key) : NULL;
    if (!s) {
        errors_add_at(errors, e->path, 0, 0, "no section [%s]", section);
        return -1;
    }
    if (!entry) {
        errors_add(errors, s->loc, "no key '%s' in [%s]: missive set changes a value, it adds none",
                   key, section);
        return -1;
    }
    const char *why = value ? ini_refusal(value) : NULL;
    if (why) {
        errors_add(errors, entry->value_loc, "cannot write '%s' here: %s", value, why);
        return -1;
    }
    if (expect && strcmp(expect, entry->value) != 0) {
        errors_add(errors, entry->value_loc,
                   "the value changed since it was shown ('%s', not '%s'): nothing written",
                   entry->value, expect);
        return -1;
    }
    if (locate(e, entry->value, entry->value_loc, errors) != 0)
        return -1;
    result->old_value = arena_strdup(arena, entry->value);
    if (!value)
        return 0;
    struct buffer edited = {0};
    char *temp = write_edited(e, value, &edited, errors);
    buffer_free(&edited);
    if (!temp)
        return -1;
    struct errors check = {0};
    struct ini_file *after = ini_load_people(arena, temp, &check);
    bool same = after && ini_same_but(ini, after, section, key, value);
    errors_clear(&check);
    if (!same) {
        unlink(temp);
        free(temp);
        errors_add(errors, entry->value_loc,
                   "the file would not read as before with only this value changed: nothing "
                   "written");
        return -1;
    }
    int status = output_install(temp, e->path, errors);
    if (status != 0)
        unlink(temp);
    free(temp);
    return status;
}

static int edit_date(struct edit *e, struct arena *arena, const char *value, const char *expect,
                     struct app_edit *result, struct errors *errors)
{
    struct letter *letter = letter_load(e->path, errors);
    if (!letter)
        return -1;
    int status = -1;
    if (!letter->date) {
        errors_add(errors, letter->loc, "the letter has no <date>: add one with an editor");
    } else if (expect && strcmp(expect, letter->date) != 0) {
        errors_add(errors, letter->date_loc,
                   "the date changed since it was shown ('%s', not '%s'): nothing written",
                   letter->date, expect);
    } else if (locate(e, letter->date, letter->date_loc, errors) == 0) {
        result->old_value = arena_strdup(arena, letter->date);
        status = 0;
    }
    struct source_loc loc = {e->path, letter->date_loc.line, letter->date_loc.column};
    letter_free(letter);
    if (status != 0 || !value)
        return status;
    struct buffer edited = {0};
    char *temp = write_edited(e, value, &edited, errors);
    buffer_free(&edited);
    if (!temp)
        return -1;
    /* The edited letter must load, with this date: a day that does not
     * exist is refused as check refuses it. */
    struct errors check = {0};
    struct letter *after = letter_load(temp, &check);
    bool ok = after && after->date && strcmp(after->date, value) == 0;
    letter_free(after);
    errors_clear(&check);
    if (!ok) {
        unlink(temp);
        free(temp);
        errors_add(errors, loc, "invalid date '%s' (expected a real day as yyyy-mm-dd)", value);
        return -1;
    }
    status = output_install(temp, e->path, errors);
    if (status != 0)
        unlink(temp);
    free(temp);
    return status;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

enum app_status app_edit(struct app *app, const struct app_edit_request *request,
                         struct arena *arena, struct app_edit *result, struct errors *errors)
{
    (void)app; /* the file is the user's (the CLI) or contained in the workspace (serve) */
    *result = (struct app_edit){0};
    const struct app_edit_request *r = request;
    const char *why = NULL;
    if (r->value && !plain_value(r->value, &why)) {
        errors_add_at(errors, NULL, 0, 0, "cannot write '%s' into %s: %s", r->value, r->file, why);
        return APP_USAGE;
    }
    struct edit e = {.path = r->file};
    /* Read through path.h, as every input is: the checked file itself,
     * however its folders are renamed meanwhile. */
    bool ini = ends_with(r->file, ".ini");
    enum path_kind kind = r->contained ? (ini ? PATH_PEOPLE : PATH_TEMPLATE)
                                       : (ini ? PATH_NAMED_DATA : PATH_NAMED_LETTER);
    char reason[512];
    int rc = path_read(r->file, kind, &e.text, reason, sizeof reason);
    if (rc != 0) {
        if (rc == PATH_FAILED)
            errors_add_at(errors, r->file, 0, 0, "cannot read the file: %s", strerror(errno));
        else
            errors_add_at(errors, r->file, 0, 0, "the file %s", path_reason_tail(r->file, reason));
        buffer_free(&e.text);
        return APP_INPUT;
    }
    int status;
    if (ends_with(r->file, ".ini") && r->section) {
        status = edit_ini(&e, arena, r->section, r->key, r->value, r->expect, result, errors);
    } else if (ends_with(r->file, ".xml") && !r->section && strcmp(r->key, "date") == 0) {
        status = edit_date(&e, arena, r->value, r->expect, result, errors);
    } else {
        errors_add_at(errors, NULL, 0, 0,
                      "missive set changes a value of an INI file (FILE.ini SECTION KEY VALUE) "
                      "or a letter's date (LETTER.xml date VALUE), not '%s %s'",
                      r->file, r->key);
        buffer_free(&e.text);
        return APP_USAGE;
    }
    result->loc = e.loc;
    buffer_free(&e.text);
    return status == 0 ? APP_OK : APP_INPUT;
}
