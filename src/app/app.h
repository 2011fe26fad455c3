/* app.h — owns the application layer: every command missive offers, as a
 * function taking a plain option struct. It drives the pipeline (load ->
 * merge -> render -> archive), runs the one issue protocol for one letter
 * or a whole campaign, reprints and answers the register. The command line
 * and the web page parse, call these and print; nothing here prints: what
 * a long command has to say arrives through struct app_events, and errors
 * are appended to the caller's list, to be printed once at the top. */
#ifndef MISSIVE_APP_H
#define MISSIVE_APP_H

#include "arena.h"
#include "buffer.h"
#include "entry.h"
#include "error.h"
#include "settings.h"

#include <stdbool.h>
#include <stddef.h>

/* What a command comes to; also missive's exit status (docs/cli.md). */
enum app_status {
    APP_OK = 0,
    APP_INPUT = 1,   /* a letter, template, CSV, workspace file or reference is wrong */
    APP_USAGE = 2,   /* the command line (or request) is wrong */
    APP_OUTPUT = 3,  /* files or the register could not be written */
    APP_PROBLEMS = 4 /* verify found problems, or a reprint differs from the archive */
};

/* The formats a render writes. APP_EML: an e-mail of the letter to the
 * recipient's `email`, from [mail] from, its text as the body and its PDF
 * attached (a recipient without an email is a warning, an error with
 * strict); nothing is sent. */
enum { APP_PDF = 1, APP_TEXT = 2, APP_EML = 4 };

struct app;

/* Where the workspace and the archive are. The workspace is loaded when a
 * command first needs it, so register commands given an archive work
 * without one. */
struct app_options {
    const char *workspace; /* NULL: the nearest folder holding missive.ini from start up */
    const char *start;     /* a letter or folder to search from; NULL: "." */
    const char *archive;   /* NULL: the workspace's [archive] folder */
};

struct app *app_open(const struct app_options *options);
void app_close(struct app *app);

/* The workspace's settings, loading it first; NULL plus errors when it
 * does not load. */
const struct settings *app_settings(struct app *app, struct errors *errors);
/* The archive folder (loading the workspace when none was given). */
const char *app_archive_dir(struct app *app, struct errors *errors);

struct workspace;
/* The loaded workspace, read-only (what a page lists: letters, people,
 * organisations), loading it first; NULL plus errors when it does not
 * load. */
const struct workspace *app_workspace(struct app *app, struct errors *errors);

/* One letter a command rendered, checked, issued or reprinted. */
struct app_letter {
    const char *source; /* the letter file (NULL for a reprint) */
    const char *name;   /* its reference, or a draft's output name */
    const char *recipient, *language;
    bool campaign;        /* one of a campaign's letters */
    const char *files[4]; /* paths written (a petition's report last); none for a check */
    size_t file_count;
    /* A petition's signers: rows left out as wrong, duplicates merged. */
    bool petition;
    size_t signers, signers_left_out, signers_merged;
};

/* What a long command reports while it runs; any member may be NULL. */
struct app_events {
    void *context;
    /* Progress of a batch: what ("checking", "rendering", "issuing"). */
    void (*progress)(void *context, const char *what, size_t done, size_t total);
    /* A letter is done (in order). Its strings live until the call returns. */
    void (*letter)(void *context, const struct app_letter *letter);
    /* Something worth telling that is not an error. */
    void (*note)(void *context, const char *message);
    /* A located warning (a campaign's text some letters lack...): printed
     * as "file:line:col: warning: ..."; with `strict` it is an error. */
    void (*warning)(void *context, const struct error *warning);
};

struct app_render_options {
    unsigned formats;             /* APP_PDF | APP_TEXT | APP_EML */
    const char *output_dir;       /* NULL: the workspace's; ignored by a check */
    bool check;                   /* validate everything, write nothing */
    const char *only, *languages; /* of a campaign: recipient ids, languages (commas) */
    bool strict;                  /* a campaign's warnings are errors */
    unsigned jobs;                /* threads for a campaign; 0: every core */
    bool skip_invalid_signers;    /* a petition's wrong rows are left out, not errors */
    /* Of a campaign: one more PDF, NAME.pdf (the campaign letter's name),
     * of every letter in order, each from an odd page (docs/campaigns.md). */
    bool combined;
    /* Every PDF rendered adds its layout to a JSON report written to this
     * path by app_write_layout_report (docs/typography.md); NULL: none. */
    const char *layout_report;
};

/* Renders (or checks) the letter at path: a single letter, or every letter
 * of a campaign as one batch (all files or none). Two letters of one app
 * may not take the same output name. */
enum app_status app_render(struct app *app, const char *path, const struct app_render_options *o,
                           const struct app_events *events, struct errors *errors);

/* Writes the layout report of every PDF rendered so far at once (no
 * partial file): APP_OK, or APP_OUTPUT with an error. */
enum app_status app_write_layout_report(struct app *app, struct errors *errors);

struct app_issue_options {
    const char *ref;              /* the reference to record (an import); NULL: the next number */
    const char *only, *languages; /* of a campaign */
    unsigned jobs;
    bool skip_invalid_signers;
    /* A campaign's warnings (text some letters lack, a fallback that would
     * mix languages) and, with -o DIR and eml, a recipient without an email
     * are errors: nothing is numbered or recorded (`issue --strict`). */
    bool strict;
    /* A dry run (`issue --dry-run`, the web page's confirmation): every
     * letter checked and numbered under the lock as the issue would number
     * it now, each told with that reference and the archive files it would
     * get; then nothing is rendered, written or recorded. */
    bool dry_run;
    /* Copies of the issued letters (`issue -o DIR`): written into
     * output_dir once the register has committed, formats APP_PDF |
     * APP_TEXT | APP_EML (0: PDF and text); NULL: none. */
    const char *output_dir;
    unsigned formats;
    bool combined; /* -o DIR --combined: a campaign's letters in one PDF there too */
};

/* Issues the letter at path, or every letter of a campaign: each checked,
 * then in one register transaction numbered, rendered, archived and
 * recorded — all or none (the protocol is in app_issue.c). */
enum app_status app_issue(struct app *app, const char *path, const struct app_issue_options *o,
                          const struct app_events *events, struct errors *errors);

/* Renders an issued letter again from its archived source into output_dir
 * (NULL: the workspace's, or "."), refusing when it differs from the
 * archived files — unless original: then the archived PDF and text
 * themselves, checked against the register, are written (with a note). */
enum app_status app_reprint(struct app *app, const char *reference, const char *output_dir,
                            bool original, const struct app_events *events, struct errors *errors);

/* ---- previews (app_preview.c, the web page) ---- */
/* A draft rendered into memory, as `render` would write it. */
struct app_preview {
    struct buffer pdf, text;
};
/* Renders the letter at path into out, writing nothing: a single letter,
 * or the variant-th letter of a campaign once every letter of it is
 * checked (so the errors are those of `check`). APP_OK, or APP_INPUT with
 * every error; free out with app_preview_free either way. */
enum app_status app_preview(struct app *app, const char *path, size_t variant,
                            struct app_preview *out, struct errors *errors);
void app_preview_free(struct app_preview *preview);

/* ---- the register (app_register.c) ---- */

/* The entries matching filter, in chain order, into *out (in arena). */
enum app_status app_register_list(struct app *app, const struct register_filter *filter,
                                  struct arena *arena, struct register_entry ***out, long *count,
                                  struct errors *errors);
/* The entry of reference (in arena). */
enum app_status app_register_show(struct app *app, const char *reference, struct arena *arena,
                                  struct register_entry **out, struct errors *errors);

/* The whole entry as JSON, as `register list|show --json` print it
 * (fields in docs/register.md); the caller json_decref()s it. */
struct json_t *app_entry_json(const struct register_entry *e);

/* The archived file of reference with role ("pdf", "text", "source"...)
 * into out, checked against the register's SHA-256 and size (from the
 * archive folder or a shared register's database); *name is its file name
 * (in arena). APP_PROBLEMS with an error when it no longer matches. */
enum app_status app_register_file(struct app *app, const char *reference, const char *role,
                                  struct arena *arena, struct buffer *out, const char **name,
                                  struct errors *errors);
/* What register verify found. */
struct app_verify {
    long problems;
    long long entries;
    char head[65];
    char where[512]; /* the archive folder, or a shared register's URL */
};
/* Checks the register and the archive; each problem is an error. */
enum app_status app_register_verify(struct app *app, const struct app_events *events,
                                    struct app_verify *result, struct errors *errors);
/* Compares what verify found with a published head, expect being
 * "COUNT:HASH": APP_OK when they agree, APP_PROBLEMS (with an error) when
 * not, APP_USAGE when expect is not of that form. */
enum app_status app_register_expect(const struct app_verify *v, const char *expect,
                                    struct errors *errors);
/* Records the void of reference, for reason. */
enum app_status app_register_void(struct app *app, const char *reference, const char *reason,
                                  const struct app_events *events, struct errors *errors);
/* What register migrate did: entries copied, the target as named in
 * messages (no password). */
struct app_migrate {
    long long copied;
    char target[512];
};
/* Copies this register and its archive into the empty register at to (a
 * PostgreSQL URL or connection string) and verifies it there. */
enum app_status app_register_migrate(struct app *app, const char *to, struct app_migrate *result,
                                     struct errors *errors);
/* Records the legacy references of a CSV file, all or none; *imported
 * gets their number. */
enum app_status app_register_import(struct app *app, const char *csv_path,
                                    const struct app_events *events, long *imported,
                                    struct errors *errors);

/* ---- the workspace's letters (app_letters.c) ---- */

/* One letter file of letters/ and where it stands (strings in the arena). */
struct app_letter_state {
    const char *path;                  /* as the CLI names it: letters/NAME.xml */
    const char *subject, *kind, *date; /* kind: letter, campaign or petition */
    const char **recipients;           /* a campaign's variants, else the one */
    const char **languages;            /* each one's language */
    size_t recipient_count;
    /* issued: the register holds it (not void); numbered: the file carries
     * a reference the register lacks; draft; error: the file does not load. */
    const char *state;
    const char **references; /* issued: the register's; numbered: the file's */
    size_t reference_count;
    size_t error_count; /* error: how many errors loading it found */
};
struct app_letters {
    struct app_letter_state *items; /* sorted by path */
    size_t count;
    const char *register_note; /* why no register was read (nothing issued yet), or NULL */
};
/* Every letter file of the workspace's letters/ with its state. The
 * register records no file name: a letter's entries are those with its
 * subject, date and recipient (one of its variants' for a campaign). */
enum app_status app_letters(struct app *app, struct arena *arena, struct app_letters *out,
                            struct errors *errors);

/* ---- people (app_people.c) ---- */

/* The people of the workspace's [source.NAME] spreadsheet as the INI
 * sections of a people file, appended to out (docs/formats.md); every row
 * checked as the workspace checks it. APP_OK, or APP_INPUT with errors
 * and nothing in out. */
enum app_status app_import_people(struct app *app, const char *name, struct buffer *out,
                                  struct errors *errors);

/* ---- one value changed in place (app_edit.c) ---- */

struct app_edit_request {
    const char *file;    /* a people INI file, or a letter */
    const char *section; /* the INI section (a person's id); NULL for a letter */
    const char *key;     /* the INI key; "date" for a letter */
    const char *value;   /* the new value; NULL: only find the old one, write nothing */
    const char *expect;  /* the value the user saw: refused if the file has another; NULL: any */
    bool contained;      /* serve: the file read only inside the workspace (path.h) */
};
struct app_edit {
    const char *old_value; /* in the arena */
    struct source_loc loc; /* where the value is */
};
/* Replaces the bytes of the one value at its location and nothing else
 * (comments, spacing, line ends kept), written under a temporary name and
 * renamed; refuses a value not written plainly there (quoted, escaped),
 * one the file could not hold unquoted, and a result that does not load
 * with only that value changed. Without a new value: whether and where the
 * value could be changed, and what it is. */
enum app_status app_edit(struct app *app, const struct app_edit_request *request,
                         struct arena *arena, struct app_edit *result, struct errors *errors);

/* ---- digital signatures (app_sign.c, docs/signing.md) ---- */

/* One signature of a PDF, as verify-pdf found it (strings in the arena). */
struct app_signature {
    const char *signer, *field;
    bool valid;       /* the signature matches the bytes it covers */
    bool trusted;     /* its certificate chains to the trust store */
    bool whole_file;  /* it covers the file up to its end */
    bool timestamped; /* it carries a time-stamp token */
    bool timestamp_valid;
    const char *timestamp_time; /* the token's time (yyyymmddhhmmssZ), or NULL */
    const char *problem;        /* why it does not hold, or NULL */
};
struct app_pdf_signatures {
    struct app_signature *items;
    size_t count;
    bool trust_checked; /* a trust store was used */
};
/* What app_sign_issued did (strings in its arena). */
struct app_signed {
    const char *reference;
    const char *names; /* who signed now, in order: "Jyrki Raina, ..." */
    size_t added;      /* signatures added now */
    size_t signatures; /* the letter's signatures now */
    size_t signatories;
};
/* missive sign REF: adds, to a letter already issued, one signature per
 * signatory who has not signed it yet and whose key is configured here
 * (an incremental update each, at their place), and records the signed
 * PDF as a "sign" entry of the register in one transaction with its file.
 * Unknown or voided references, a letter every signatory signed, no key
 * here, a wrong passphrase: APP_INPUT with an error, nothing written. */
enum app_status app_sign_issued(struct app *app, const char *reference, struct arena *arena,
                                struct app_signed *out, const struct app_events *events,
                                struct errors *errors);
/* Checks every signature of the PDF at file (named by the user) against
 * trust (CA certificates, PEM), else the workspace's [signing] trust when
 * there is a workspace, else none. APP_OK when the file could be read
 * (out says what holds), APP_INPUT with an error when not. */
enum app_status app_verify_pdf(struct app *app, const char *file, const char *trust,
                               struct arena *arena, struct app_pdf_signatures *out,
                               struct errors *errors);

/* The signatures of the archived PDF of reference (from the archive
 * folder or a shared register's database, its hash checked first), as
 * app_verify_pdf finds them with the workspace's trust store. */
enum app_status app_register_signatures(struct app *app, const char *reference, struct arena *arena,
                                        struct app_pdf_signatures *out, struct errors *errors);

#endif
