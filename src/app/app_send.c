/* app_send.c — a batch made for printing and sending: the .eml of each
 * letter (`render --eml`: the sender from [mail], each recipient's
 * `email`) and the one PDF of a whole campaign (`render --combined`). */
#include "app_internal.h"

#include "buffer.h"
#include "doc.h"
#include "mail.h"
#include "pdf.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

static const char *string_of(const struct value *map, const char *key)
{
    const struct value *v = value_map_get(map, key);
    return v && v->kind == VALUE_STRING && v->string[0] ? v->string : NULL;
}

int app_send_open(struct app_send *s, const struct workspace *ws, bool strict,
                  const struct app_events *events, struct errors *errors)
{
    const struct mail_settings *m = &ws->settings.mail;
    *s = (struct app_send){.arena = arena_new(), .strict = strict, .events = events};
    if (!m->from) {
        errors_add(errors, m->from_loc,
                   "e-mails (--format eml) need their sender: add [mail] from = Name <address> to "
                   "missive.ini");
        return -1;
    }
    if (!mail_parse_address(s->arena, m->from, &s->from)) {
        errors_add(errors, m->from_loc,
                   "invalid [mail] from '%s' (expected Name <local@domain> or local@domain, "
                   "ASCII, on one line)",
                   m->from);
        return -1;
    }
    if (m->reply_to) {
        s->has_reply_to = true;
        if (!mail_parse_address(s->arena, m->reply_to, &s->reply_to)) {
            errors_add(errors, m->reply_to_loc,
                       "invalid [mail] reply_to '%s' (expected Name <local@domain> or "
                       "local@domain)",
                       m->reply_to);
            return -1;
        }
    }
    return 0;
}

void app_send_close(struct app_send *s)
{
    arena_free(s->arena);
    s->arena = NULL;
}

/* The recipient's name in language: name-LL when it has one. */
static const char *recipient_name(struct arena *arena, const struct value *r, const char *language)
{
    const char *own = language ? string_of(r, arena_printf(arena, "name-%s", language)) : NULL;
    return own ? own : string_of(r, "name");
}

static int send_to(struct app_send *s, const struct value *r, const char *id, const char *language,
                   struct mail_address *to, struct errors *errors);

int app_send_to(struct app_send *s, const struct workspace *ws, const char *id,
                const char *language, struct mail_address *to, struct errors *errors)
{
    /* The recipient is made in scratch memory: only its name is kept. */
    struct arena *scratch = arena_new();
    size_t before = errors->count;
    const struct value *r = workspace_recipient(ws, id, scratch, errors);
    int status = errors->count > before ? -1 : send_to(s, r, id, language, to, errors);
    arena_free(scratch);
    return status;
}

static int send_to(struct app_send *s, const struct value *r, const char *id, const char *language,
                   struct mail_address *to, struct errors *errors)
{
    const struct value *email = value_map_get(r, "email");
    *to = (struct mail_address){0};
    if (!email || email->kind != VALUE_STRING || !email->string[0]) {
        struct error warning = {
            .file = r ? (char *)r->loc.file : NULL,
            .line = r ? r->loc.line : 0,
            .column = r ? r->loc.column : 0,
            .message = arena_printf(s->arena,
                                    "recipient '%s' has no email: its letter gets no .eml "
                                    "(add email = ... to [%s])",
                                    id, id)};
        if (s->strict)
            errors_add_at(errors, warning.file, warning.line, warning.column, "%s",
                          warning.message);
        else if (s->events && s->events->warning)
            s->events->warning(s->events->context, &warning);
        return s->strict ? -1 : 0;
    }
    struct mail_address parsed;
    if (!mail_parse_address(s->arena, email->string, &parsed) || parsed.name[0]) {
        errors_add(errors, email->loc,
                   "invalid email '%s' of recipient '%s' (expected one address, local@domain, "
                   "ASCII)",
                   email->string, id);
        return -1;
    }
    const char *name = recipient_name(s->arena, r, language);
    *to = (struct mail_address){name ? arena_strdup(s->arena, name) : NULL, parsed.address};
    return 1;
}

int app_send_eml(const struct app_send *s, const struct mail_address *to,
                 const struct doc_document *doc, const char *stem, const struct buffer *pdf,
                 int text_width, struct buffer *out, struct errors *errors)
{
    struct buffer text = {0};
    if (text_render_flowed(doc, text_width, &text, errors) != 0) {
        buffer_free(&text);
        return -1;
    }
    struct mail_message m = {.from = s->from,
                             .to = *to,
                             .reply_to = s->has_reply_to ? &s->reply_to : NULL,
                             .subject = doc->title,
                             .date = doc->timestamp ? doc->timestamp : doc->date,
                             .language = doc->language,
                             .name = stem,
                             .text = &text,
                             .pdf = pdf};
    mail_render(&m, out);
    buffer_free(&text);
    return 0;
}

int app_send_combined(const struct workspace *ws, const struct campaign *c,
                      struct doc_document *const *docs, struct font_set *fonts, struct buffer *out,
                      struct errors *errors)
{
    const char **titles = xcalloc(c->count, sizeof *titles);
    size_t info = 0;
    struct recipient_scratch scratch = {0};
    size_t before = errors->count;
    for (size_t i = 0; i < c->count; i++) {
        const struct campaign_variant variant = campaign_variant(c, i), *v = &variant;
        const struct value *r = workspace_recipient_next(ws, v->recipient, &scratch, errors);
        if (!r)
            break; /* recipients.ini changed: the error says so */
        const char *name = recipient_name(c->arena, r, v->language);
        titles[i] = name ? arena_printf(c->arena, "%s (%s)", name, v->recipient) : v->recipient;
        /* The file speaks the campaign letter's own language when a letter does. */
        if (strcmp(v->language, c->letter->language) == 0 &&
            strcmp(campaign_language(c, info), c->letter->language) != 0)
            info = i;
    }
    workspace_recipient_scratch_free(&scratch);
    if (errors->count > before) {
        free(titles);
        return -1;
    }
    struct pdf_combined combined = {.docs = (const struct doc_document *const *)docs,
                                    .titles = titles,
                                    .count = c->count,
                                    .info = info};
    int status = pdf_render_combined(&combined, &ws->settings, fonts, out, errors);
    free(titles);
    return status;
}
