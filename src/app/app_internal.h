/* app_internal.h — what the files of the application layer share: the
 * opened application (workspace, register, the names used in this run),
 * the campaign batch, the issue time and the test-only fault points. Not
 * for other stages. */
#ifndef MISSIVE_APP_INTERNAL_H
#define MISSIVE_APP_INTERNAL_H

#include "app.h"
#include "buffer.h"
#include "campaign.h"
#include "merge.h"
#include "pipeline.h"
#include "register.h"

#include <pthread.h>
#include <stdint.h>
#include <time.h>

struct app_blob {
    char *path;
    char hex[65];
};

struct app {
    struct app_options options;
    char *root;                /* the workspace folder, once found */
    struct pipeline *pipeline; /* loaded on first use */
    struct register_db *db;    /* opened on first use */
    char **names;              /* output names used by this run's renders */
    char **name_letters;       /* the letter file that took each */
    size_t name_count;
    /* Fonts and images archived by an issue, by workspace path (a
     * campaign's letters are archived from several threads). */
    struct app_blob *blobs;
    size_t blob_count;
    pthread_mutex_t lock;
    struct font_set *archived_fonts; /* the fonts as a reprint opens them */
    /* The running command's events: a long wait for the register's lock
     * is told through them. */
    const struct app_events *events;
    bool verifying;      /* verify opens read-only when it cannot write */
    struct arena *arena; /* the numbering pattern the register checks with */
};

/* The workspace's pipeline, loaded on first use; NULL plus errors. */
struct pipeline *app_pipeline(struct app *app, struct errors *errors);
/* The register, opened on first use. create for a command that adds
 * entries (create: it makes the archive); others need one to exist. */
struct register_db *app_register(struct app *app, bool create, enum app_status *status,
                                 struct errors *errors);
/* The register for a command that only reads: read-only, nothing is
 * created or written (a reader needs no write permission). */
struct register_db *app_register_reader(struct app *app, enum app_status *status,
                                        struct errors *errors);
/* Now, UTC, "yyyy-mm-ddThh:mm:ssZ": the one clock of issue, void, import. */
void app_now(char out[32]);
/* A time app_now wrote ("yyyy-mm-ddThh:mm:ssZ") as seconds since 1970
 * (a signature's /M); 0 when it is not of that form. */
time_t app_time_seconds(const char *now);
/* The time drafts are dated with: SOURCE_DATE_EPOCH as
 * "yyyy-mm-ddThh:mm:ssZ" into out (1), or not set (0: undated, the
 * letter's own date stands), or -1 with an error when it is malformed. */
int app_draft_time(char out[32], struct errors *errors);
struct letter;
struct signers;
/* What letter is merged with, the one place its reference and time are
 * decided (app_input.c): issued is the number the issue protocol
 * allocated (or a pre-lock check's stand-in), dated time; NULL for a
 * draft, which keeps its file's reference and takes time only without
 * one. time NULL: undated. */
struct merge_input app_merge_input(const struct letter *letter, const char *issued,
                                   const char *time, const struct signers *signers);

/* A single draft letter rendered into memory, as `render` would write it:
 * its PDF and text (of formats), a petition's signers report, and its row
 * (source, language, signers counted). */
struct app_draft {
    struct buffer pdf, text, report;
    int pdf_file;    /* or, a petition's PDF drafted to a file: its descriptor (else -1) */
    int text_file;   /* and its text the same way */
    int report_file; /* and its signers report (else in report) */
    struct app_letter row;
    struct doc_document *doc; /* kept when formats has APP_EML, else NULL */
};
/* Merges and renders letter (not a campaign) into d; 0, or -1 with every
 * error. The caller frees d with app_draft_free in both cases. With
 * to_file, a petition's PDF, text and report are put in d->pdf_file,
 * d->text_file and d->report_file, not d->pdf, d->text and d->report
 * (each held when no temporary file can be made). */
int app_draft_letter(struct pipeline *p, const struct letter *letter, unsigned formats,
                     bool skip_invalid_signers, bool to_file, struct app_draft *d,
                     struct errors *errors);
void app_draft_free(struct app_draft *d);
/* Reports what register_recover removed and frees the list. */
void app_report_recovered(struct app *app, const struct app_events *events, char **removed);
/* A note through events (formatted). */
void app_note(const struct app_events *events, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
void app_progress(const struct app_events *events, const char *what, size_t done, size_t total);

struct pdf_attachment;
struct buffer;
/* The facts an issued PDF carries as its register entry attachment
 * (app_entry_json.c); the caller json_decref()s it. */
struct json_t *app_entry_facts_json(const struct register_entry *e);
enum { APP_ATTACHMENTS = 2 };
/* The files an issued letter's PDF carries (app_attach.c): its archived
 * source (the bytes of source) and its register entry e as JSON (made in
 * json) into out[0] and out[1]; names and texts in arena, data borrowed
 * from source and json. */
void app_attachments(const struct register_entry *e, struct arena *arena,
                     const struct buffer *source, struct buffer *json, struct pdf_attachment *out);

struct pdf_places;
/* Renders entry e's archived source again (app_reprint.c; read through
 * db, checked against the register), with what the issued PDF carried;
 * places (may be NULL) gets where the signatures stand. */
enum app_status app_rerender(struct register_db *db, const struct register_entry *e,
                             struct buffer *pdf, struct buffer *text, struct pdf_places *places,
                             struct errors *errors);

/* A test-only fault point: in test builds (-Dtest_faults=true),
 * MISSIVE_FAULT=POINT kills the process there, as a power cut would. */
#ifdef MISSIVE_TEST_FAULTS
void app_fault(const char *point);
/* MISSIVE_FAULT=reprint-differs: a re-render whose bytes differ, as with
 * another zlib or HarfBuzz build. */
void app_fault_differs(struct buffer *pdf);
#else
static inline void app_fault(const char *point)
{
    (void)point;
}
static inline void app_fault_differs(struct buffer *pdf)
{
    (void)pdf;
}
#endif

/* ---- printing and sending (app_send.c) ---- */

#include "mail.h"

/* What `render --format eml` sends from. */
struct app_send {
    struct arena *arena;
    struct mail_address from, reply_to;
    bool has_reply_to;
    bool strict; /* a recipient without an email is an error */
    const struct app_events *events;
};
/* The sender of ws's [mail]: 0, or -1 with an error at missive.ini. */
int app_send_open(struct app_send *s, const struct workspace *ws, bool strict,
                  const struct app_events *events, struct errors *errors);
void app_send_close(struct app_send *s);
/* The To of recipient id (its email; its name, in language if it has it
 * translated): 1; 0 when it has no email (a warning told); -1 with an
 * error when the email is no address, or it has none under strict. */
int app_send_to(struct app_send *s, const struct workspace *ws, const char *id,
                const char *language, struct mail_address *to, struct errors *errors);
/* The .eml of a rendered letter: doc's text (flowed) and its pdf,
 * attached as STEM.pdf. 0, or -1 with errors. */
int app_send_eml(const struct app_send *s, const struct mail_address *to,
                 const struct doc_document *doc, const char *stem, const struct buffer *pdf,
                 int text_width, struct buffer *out, struct errors *errors);
struct font_set;
/* The one PDF of c's letters (docs, in order), each bookmarked with its
 * recipient's name and id. 0, or -1 with errors. */
int app_send_combined(const struct workspace *ws, const struct campaign *c,
                      struct doc_document *const *docs, struct font_set *fonts, struct buffer *out,
                      struct errors *errors);

/* ---- a campaign's batch (app_batch.c) ---- */

/* The mistakes told so far, by a hash of place and message: the same
 * mistake in a group's template or text shows in every letter. */
struct app_told {
    uint64_t *hashes;
    size_t size, count;
};

/* A planned batch, ready for threads: the variants, each language's
 * compiled template and the fonts, all fetched on the calling thread. */
struct app_batch {
    struct pipeline *pipeline;
    const struct workspace *ws;
    struct campaign *campaign;
    const struct tmpl **templates; /* per text, by index in letter->texts */
    struct font_set *fonts;        /* NULL without PDF */
    unsigned formats, jobs;
    unsigned written;          /* the formats written (formats may render more) */
    struct app_send *send;     /* --format eml, or NULL */
    struct mail_address *mail; /* each letter's To (address NULL: none) */
    bool combined;             /* --combined: one PDF of every letter too */
    const char *stem;          /* the combined PDF's name */
    const struct app_events *events;
    struct errors errors; /* collected in order, each mistake told once */
    struct app_told *told;
};

/* Plans letter's variants and fetches what they need: 0, or -1 with
 * b->errors filled. */
int app_batch_open(struct app_batch *b, struct pipeline *pipeline, const struct letter *letter,
                   const struct campaign_filter *filter, unsigned formats, unsigned jobs,
                   const struct app_events *events);
void app_batch_close(struct app_batch *b);
/* Variant i's compiled template. */
const struct tmpl *app_batch_template(const struct app_batch *b, size_t i);
/* Merges and checks every variant on every core: 0 when all are fine,
 * else -1 with every error in b->errors. */
int app_batch_check(struct app_batch *b);
/* Moves from's errors to b's, each mistake (same place and message) told
 * once however many letters make it. */
void app_batch_tell(struct app_batch *b, struct errors *from);

/* A campaign's render into output_dir (app_render.c calls it). */
enum app_status app_batch_render(struct app_batch *b, const char *output_dir);

#endif
