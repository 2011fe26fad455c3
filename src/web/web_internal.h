/* web_internal.h — owns what the files of src/web share: the server's
 * state, one request and its response, and the page handlers. Only
 * src/web includes it. */
#ifndef MISSIVE_WEB_INTERNAL_H
#define MISSIVE_WEB_INTERNAL_H

#include "buffer.h"
#include "error.h"

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct MHD_Connection;
struct app;
struct workspace;
struct web_preview;

/* Limits on what a client may send: a form is small. */
enum { WEB_MAX_BODY = 64 * 1024, WEB_MAX_FIELDS = 64, WEB_MAX_URL = 4096 };

struct web {
    const char *root;         /* the workspace folder as given */
    char real_root[PATH_MAX]; /* the same, resolved: nothing outside it is served */
    char token[49];           /* the access token in the printed URL */
    char csrf[33];            /* every form and state-changing request carries it */
    char cookie[48];          /* the cookie's name, per port */
    int port;
    int quit[2];          /* a pipe written once on SIGINT/SIGTERM */
    pthread_mutex_t lock; /* held by every request that uses current */
    struct app *current;  /* the application layer, opened for the workspace as of stamp */
    unsigned long long current_stamp;
    struct errors current_errors; /* why the workspace did not load */
    struct web_preview *previews; /* rendered letters, newest first */
    /* Every confirmation page shown: its idempotency token, and once it
     * was used the result, so a second click issues nothing. */
    struct web_issue *issues;
    size_t issue_count;
};

struct web_issue {
    char token[33];
    char *path;               /* the letter, as the CLI names it */
    unsigned long long stamp; /* the workspace as it was confirmed */
    char *result;             /* the result page's body once issued; NULL: not yet */
};

struct web_field {
    char *name, *value;
};

struct web_request {
    struct web *web;
    struct MHD_Connection *connection;
    const char *method, *path; /* path without the query */
    bool post;
    struct web_field fields[WEB_MAX_FIELDS];
    size_t field_count;
};

/* A query argument, else a form field of a POST; NULL when absent. */
const char *web_arg(const struct web_request *r, const char *name);

struct web_response {
    unsigned status;  /* 200 unless set */
    const char *type; /* "text/html; charset=utf-8" unless set */
    struct buffer body;
    char *location;                /* a redirect (303) */
    char *disposition;             /* Content-Disposition, for downloads */
    bool sse;                      /* stream change events instead of body */
    char *sse_path, *sse_relative; /* the letter whose changes it streams */
    int sse_variant;
};

/* ---- pages (each returns nothing: it fills the response) ---- */

void web_page_workspace(struct web_request *r, struct web_response *out);
void web_page_letter(struct web_request *r, struct web_response *out);
void web_api_letter(struct web_request *r, struct web_response *out);
/* The letter's state as /api/letter answers it (JSON, caller frees), its
 * pages rasterised. Call under web->lock. */
char *web_letter_json(struct web *web, const char *path, const char *relative, int variant);
void web_page_png(struct web_request *r, struct web_response *out);
void web_page_pdf(struct web_request *r, struct web_response *out);
void web_page_source(struct web_request *r, struct web_response *out);
void web_page_register(struct web_request *r, struct web_response *out);
void web_page_entry(struct web_request *r, struct web_response *out);
void web_page_archived(struct web_request *r, struct web_response *out);
void web_page_verify(struct web_request *r, struct web_response *out);
void web_page_reprint(struct web_request *r, struct web_response *out);
/* POST /register/sign: `missive sign REF` with the keys configured here. */
void web_page_sign(struct web_request *r, struct web_response *out);
void web_page_confirm(struct web_request *r, struct web_response *out);
void web_page_issue(struct web_request *r, struct web_response *out);
void web_page_issued(struct web_request *r, struct web_response *out);
/* A value of a people file or a letter's date: the form (GET), the edit
 * `missive set` makes (POST). */
void web_page_edit(struct web_request *r, struct web_response *out);
/* Random bytes as hex into out (2 * bytes + 1 chars): 0, or -1. */
int web_random_hex(char *out, size_t bytes);
/* Frees the confirmations kept. */
void web_issues_free(struct web *web);

/* A plain page saying what went wrong, with status. */
void web_fail(struct web_response *out, unsigned status, const char *message);

/* ---- the workspace as of now ---- */

/* The application layer for the workspace's files as they are now
 * (reopened when a file changed) with its workspace in *ws, or NULL with
 * the workspace's errors in *errors (borrowed). Call under web->lock. */
struct app *web_current(struct web *web, const struct workspace **ws, const struct errors **errors);
/* The application layer for one request, as one run of a command opens
 * it (caller closes). */
struct app *web_app(const struct web *web);
/* root joined with a path relative to it (caller frees). */
char *web_join(const struct web *web, const char *relative);

#endif
