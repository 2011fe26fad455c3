/* app_plan.c — what an issued letter is numbered and recorded with: the
 * parts of its reference (checked before anything is numbered), a given
 * reference's agreement with the letter (an import), and its register
 * entry once archived. */
#include "app_issue.h"

#include "archive.h"

#include <stdlib.h>
#include <string.h>

/* Where a reference given on the command line is: no file. */
static const struct source_loc nowhere;

const char *const app_issue_roles[APP_ISSUE_FILES] = {"pdf", "text", "source", "signers"};
const char *const app_issue_extensions[APP_ISSUE_FILES] = {"pdf", "txt", "xml", "signers.txt"};

static const char *person_field(const struct value *person, const char *key)
{
    const struct value *v = person ? value_map_get(person, key) : NULL;
    return v && v->kind == VALUE_STRING ? v->string : NULL;
}

/* A reference given for the letter (an import) must agree with it. */
static int plan_import(const struct reference_pattern *pattern, struct arena *arena,
                       const struct letter *letter, const char *given, struct source_loc loc,
                       struct app_plan *plan, struct errors *errors)
{
    struct reference_fields parsed;
    if (!reference_parse(arena, pattern, given, loc, &parsed, errors))
        return -1;
    const struct reference_fields *f = &plan->fields;
    size_t before = errors->count;
    if (parsed.language && strcmp(parsed.language, f->language) != 0)
        errors_add(errors, loc, "reference '%s' is in language '%s' but the letter is in '%s'",
                   given, parsed.language, f->language);
    if ((parsed.year >= 0 && parsed.year != f->year) || (parsed.yy >= 0 && parsed.yy != f->yy))
        errors_add(errors, loc, "reference '%s' is of another year than the letter's date %s",
                   given, letter->date);
    if (parsed.series && letter->series && strcmp(parsed.series, letter->series) != 0)
        errors_add(errors, loc, "reference '%s' is in series '%s' but the letter says <series>%s",
                   given, parsed.series, letter->series);
    if (parsed.country && f->country && strcmp(parsed.country, f->country) != 0)
        errors_add(errors, loc,
                   "reference '%s' is for country '%s' but the recipient's country is '%s'", given,
                   parsed.country, f->country);
    if (errors->count != before)
        return -1;
    plan->given = arena_strdup(arena, given);
    plan->given_loc = loc;
    plan->scope = reference_scope(arena, pattern, &parsed);
    plan->seq = parsed.seq;
    if (parsed.series)
        plan->fields.series = parsed.series;
    return 0;
}

int app_plan_letter(const struct workspace *ws, const struct reference_pattern *pattern,
                    struct arena *arena, const struct letter *letter, const char *ref,
                    struct app_plan *plan, struct errors *errors)
{
    const struct settings *s = &ws->settings;
    struct reference_fields *f = &plan->fields;
    reference_fields_init(f);
    f->org = s->organisation;
    f->office = s->office;
    f->year = atoi(letter->date);
    f->yy = f->year % 100;
    f->language = letter->language;
    f->series = letter->series ? letter->series : s->reference.series;
    size_t before = errors->count;
    const struct value *recipient =
        letter->recipient.id ? workspace_recipient(ws, letter->recipient.id, arena, errors) : NULL;
    if (errors->count > before)
        return -1; /* recipients.ini changed since it was loaded */
    plan->recipient_name = person_field(recipient, "name");
    plan->country = person_field(recipient, "country");
    f->country = plan->country;
    if (!plan->recipient_name)
        return 0; /* merge names the unknown recipient */
    struct source_loc loc = letter->series ? letter->series_loc : letter->loc;
    if (reference_check_fields(pattern, f, loc, errors) != 0)
        return -1;
    const char *given = ref ? ref : letter->reference;
    if (ref && letter->reference && strcmp(ref, letter->reference) != 0) {
        errors_add(errors, letter->loc, "the letter names reference '%s' but --ref gives '%s'",
                   letter->reference, ref);
        return -1;
    }
    if (given)
        return plan_import(pattern, arena, letter, given, ref ? nowhere : letter->reference_loc,
                           plan, errors);
    plan->scope = reference_scope(arena, pattern, f);
    return 0;
}

struct register_entry *app_plan_entry(const struct workspace *ws, struct arena *arena,
                                      const struct letter *letter, const struct app_plan *plan,
                                      const char *now, const struct buffer *content,
                                      char *const *relative, size_t file_count)
{
    struct register_entry *e = arena_alloc(arena, sizeof *e);
    *e = (struct register_entry){.event = plan->given ? "import" : "issue",
                                 .reference = plan->reference,
                                 .scope = plan->scope,
                                 .seq = plan->seq,
                                 .recorded_at = now,
                                 .letter_date = letter->date,
                                 .language = letter->language,
                                 .series = plan->fields.series,
                                 .country = plan->country,
                                 .recipient_id = letter->recipient.id,
                                 .recipient_name = plan->recipient_name,
                                 .subject = letter->subject,
                                 .template_name = letter->template_name.id};
    e->signatory_count = letter->signatory_count;
    e->signatories = arena_alloc(arena, (letter->signatory_count + 1) * sizeof *e->signatories);
    for (size_t i = 0; i < letter->signatory_count; i++) {
        const char *id = letter->signatories[i].id;
        const char *name = person_field(id ? value_map_get(ws->signatories, id) : NULL, "name");
        e->signatories[i] = (struct register_person){id, name ? name : id};
    }
    e->file_count = file_count;
    e->files = arena_alloc(arena, file_count * sizeof *e->files);
    for (size_t i = 0; i < file_count; i++) {
        char hex[65];
        archive_sha256(content[i].data, content[i].len, hex);
        e->files[i] = (struct register_file){app_issue_roles[i], relative[i],
                                             arena_strdup(arena, hex), (long long)content[i].len};
    }
    return e;
}
