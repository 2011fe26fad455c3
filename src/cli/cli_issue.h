/* cli_issue.h — owns what `missive issue` shares between its two files:
 * cli_issue.c (one letter, one transaction) and cli_issue_campaign.c (a
 * campaign's letters, one transaction for the whole batch). Like every
 * cli_ file they print and choose exit codes; nothing below them does. */
#ifndef MISSIVE_CLI_ISSUE_H
#define MISSIVE_CLI_ISSUE_H

#include "buffer.h"
#include "cli_register.h"
#include "letter.h"
#include "reference.h"

#include <pthread.h>
#include <stdbool.h>

struct blob {
    char *path;
    char hex[65];
};

struct issue {
    struct cli *c;
    struct register_db *db;
    const struct workspace *ws;
    const struct reference_pattern *pattern;
    struct blob *blobs; /* fonts and images already copied, by workspace path */
    size_t blob_count;
    pthread_mutex_t blob_lock;       /* a campaign's letters are archived from threads */
    struct font_set *archived_fonts; /* the fonts as a reprint opens them */
};

/* What a letter will be numbered with. */
struct plan {
    struct reference_fields fields;
    const char *reference; /* given (an import), else NULL until allocated */
    const char *scope;
    long long seq;
    const char *recipient_name, *country;
};

enum { ISSUE_PDF, ISSUE_TEXT, ISSUE_SOURCE, ISSUE_FILES };
/* The register's roles ("pdf", "text", "source") and the files' extensions. */
extern const char *const cli_issue_roles[ISSUE_FILES];
extern const char *const cli_issue_extensions[ISSUE_FILES];

/* Paths of one letter's archived files while they are being written. */
struct files {
    char *relative[ISSUE_FILES]; /* letters/NAME */
    char *final[ISSUE_FILES];
    char *temp[ISSUE_FILES];
    bool installed[ISSUE_FILES];
    struct buffer content[ISSUE_FILES];
};

/* A test-only fault point: MISSIVE_FAULT=POINT kills the process there, as
 * a power cut or kill -9 would. */
void cli_issue_fault(const char *point);
/* snapshot's hash callback: copies a font or image into blobs/ once (safe
 * from several threads). */
int cli_issue_blob_hash(void *context, const char *path, char hex[65], struct errors *errors);
/* The parts of letter's number (checked), or an import's given reference;
 * 0 or -1 with errors. */
int cli_issue_plan(struct issue *is, struct arena *arena, const struct letter *letter,
                   struct plan *plan, struct errors *errors);
/* The archived source must reprint to exactly the PDF and text archived:
 * 0, or -1 with an error (the archived fonts must be open for threads). */
int cli_issue_check_reprint(struct issue *is, struct files *files, struct errors *errors);
/* The register entry of an issued letter (in arena). */
struct register_entry *cli_issue_entry(struct issue *is, struct arena *arena,
                                       const struct letter *letter, const struct plan *plan,
                                       const char *reference, const char *now,
                                       const struct files *files);
void cli_issue_files_free(struct files *files);
/* Removes whatever of files is on disk (an issue that failed). */
void cli_issue_files_remove(struct files *files);

/* `missive issue` of a campaign letter: every letter checked, then all
 * numbered, rendered on every core, archived and recorded in one register
 * transaction — all of them or none. Returns the exit status. */
int cli_issue_campaign(struct issue *is, struct letter *letter);

#endif
