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

#endif
