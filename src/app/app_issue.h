/* app_issue.h — what the issue protocol (app_issue.c) shares with its
 * planning (app_plan.c). Not for other stages. */
#ifndef MISSIVE_APP_ISSUE_H
#define MISSIVE_APP_ISSUE_H

#include "app_internal.h"

#include "buffer.h"
#include "letter.h"
#include "reference.h"
#include "workspace.h"

/* The files archived per letter, and their roles in the register; the
 * signers report only for a petition (the others: the first three). */
enum { APP_ISSUE_PDF, APP_ISSUE_TEXT, APP_ISSUE_SOURCE, APP_ISSUE_SIGNERS, APP_ISSUE_FILES };
extern const char *const app_issue_roles[APP_ISSUE_FILES];
extern const char *const app_issue_extensions[APP_ISSUE_FILES];

/* What a letter is numbered with. */
struct app_plan {
    struct reference_fields fields;
    const char *given; /* a reference given (an import), else NULL */
    struct source_loc given_loc;
    const char *scope;
    long long seq;
    const char *reference; /* given, or formatted once numbered */
    const char *recipient_name, *country;
};

/* The parts of letter's number, checked; or the reference given by ref
 * (--ref) or the letter itself, checked against the letter. 0, or -1 with
 * errors. */
int app_plan_letter(const struct workspace *ws, const struct reference_pattern *pattern,
                    struct arena *arena, const struct letter *letter, const char *ref,
                    struct app_plan *plan, struct errors *errors);
/* The register entry of an issued letter whose file_count files hold
 * content at relative (in arena). */
struct register_entry *app_plan_entry(const struct workspace *ws, struct arena *arena,
                                      const struct letter *letter, const struct app_plan *plan,
                                      const char *now, const struct buffer *content,
                                      char *const *relative, size_t file_count);

/* ---- copies of the issued letters (app_handout.c, `issue -o DIR`) ---- */

struct output_batch;
struct app_handout {
    unsigned formats; /* APP_PDF | APP_TEXT | APP_EML */
    struct output_batch *batch;
    struct app_send send; /* the sender, when e-mails are made */
    bool sending;
    struct mail_address *mail; /* each letter's To (address NULL: it has no email) */
};
/* Opens the batch in dir for count letters to recipients (ids) in
 * languages, with the sender and each To when formats has APP_EML (0:
 * PDF and text). 0; -1 with an error in the workspace (the sender, an
 * address), -2 when dir cannot be made; close h either way. */
int app_handout_open(struct app_handout *h, const struct workspace *ws, const char *dir,
                     unsigned formats, bool strict, const char *const *recipients,
                     const char *const *languages, size_t count, const struct app_events *events,
                     struct errors *errors);
/* The e-mail of letter index (doc, numbered reference, its final pdf) into
 * out; nothing when no e-mail is made for it. Safe from several threads. */
int app_handout_eml(const struct app_handout *h, size_t index, const struct workspace *ws,
                    const struct doc_document *doc, const char *reference, const struct buffer *pdf,
                    struct buffer *out, struct errors *errors);
/* Writes an issued letter's copies into the batch (hidden until commit). */
int app_handout_add(struct app_handout *h, const char *reference, const struct buffer *pdf,
                    const struct buffer *text, const struct buffer *eml, struct errors *errors);
/* --combined: the campaign's letters (docs, numbered, in order) in one PDF
 * for printing, LETTER.pdf in the batch beside the copies. 0, or -1 with
 * an error. */
int app_handout_combined(struct app_handout *h, const struct workspace *ws,
                         const struct campaign *campaign, struct doc_document *const *docs,
                         struct font_set *fonts, const struct letter *letter,
                         struct errors *errors);
/* Moves every copy into dir. 0, or -1 with an error. */
int app_handout_commit(struct app_handout *h, struct errors *errors);
/* Frees h, removing what was not committed. */
void app_handout_close(struct app_handout *h);

#endif
