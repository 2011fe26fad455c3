/* web.c — the server: libmicrohttpd on 127.0.0.1 with a thread per
 * connection (so a change event can wait on inotify without holding up
 * other requests), the access token and CSRF checks every request passes,
 * request size limits, and the table of pages. The application layer is
 * not made for threads, so every request that uses it holds web->lock. */
#include "web.h"

#include "arena.h"
#include "app.h"
#include "web_internal.h"
#include "web_path.h"
#include "web_preview.h"
#include "web_watch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

const char *web_arg(const struct web_request *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->connection, MHD_GET_ARGUMENT_KIND, name);
    if (v || !r->post)
        return v;
    for (size_t i = 0; i < r->field_count; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            return r->fields[i].value ? r->fields[i].value : "";
    return NULL;
}

char *web_join(const struct web *web, const char *relative)
{
    if (strcmp(web->root, ".") == 0 || relative[0] == '/')
        return xstrdup(relative);
    size_t n = strlen(web->root) + strlen(relative) + 2;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", web->root, relative);
    return path;
}

struct app *web_current(struct web *web, const struct workspace **ws, const struct errors **errors)
{
    unsigned long long stamp = web_watch_stamp_data(web->root);
    if (stamp != web->current_stamp || (!web->current && !web->current_errors.count)) {
        app_close(web->current);
        errors_clear(&web->current_errors);
        web->current = app_open(&(struct app_options){.workspace = web->root});
        web->current_stamp = stamp;
        if (!app_workspace(web->current, &web->current_errors)) {
            app_close(web->current);
            web->current = NULL;
        }
    }
    *errors = &web->current_errors;
    if (ws)
        *ws = web->current ? app_workspace(web->current, &web->current_errors) : NULL;
    return web->current;
}

void web_fail(struct web_response *out, unsigned status, const char *message)
{
    out->status = status;
    out->type = "text/plain; charset=utf-8";
    buffer_reset(&out->body);
    buffer_printf(&out->body, "%s\n", message);
}

/* ---- tokens ---- */

int web_random_hex(char *out, size_t bytes)
{
    unsigned char raw[32];
    if (bytes > sizeof raw || getrandom(raw, bytes, 0) != (ssize_t)bytes)
        return -1;
    for (size_t i = 0; i < bytes; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

/* Compares in time independent of where the strings differ. */
static bool same_secret(const char *given, const char *secret)
{
    if (!given)
        return false;
    size_t n = strlen(secret);
    if (strlen(given) != n)
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(given[i] ^ secret[i]);
    return diff == 0;
}

/* ---- change events ---- */

struct events {
    struct web *web;
    struct web_watch *watch;
    char *path, *relative; /* the letter the page shows; NULL: any page */
    int variant;
    bool started;
    struct buffer pending; /* an event not yet sent whole */
    size_t sent;
};

/* Server-sent events: on every change the letter's new state (as
 * /api/letter gives it, its pages already rasterised, so the page only
 * fetches images ready to go), a comment every 15 seconds so that a closed
 * page is noticed, the end when the server stops. */
/* The CPU time the whole process used so far, in milliseconds. */
static double cpu_ms(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
           (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

static ssize_t events_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct events *ev = cls;
    if (ev->sent < ev->pending.len) {
        size_t n = ev->pending.len - ev->sent < max ? ev->pending.len - ev->sent : max;
        memcpy(buf, ev->pending.data + ev->sent, n);
        ev->sent += n;
        return (ssize_t)n;
    }
    buffer_reset(&ev->pending);
    ev->sent = 0;
    if (!ev->started) {
        ev->started = true;
        buffer_puts(&ev->pending, "retry: 500\n\n");
        return events_read(cls, pos, buf, max);
    }
    int changed = web_watch_wait(ev->watch, ev->web->quit[0], 15000);
    if (changed < 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (changed == 0) {
        buffer_puts(&ev->pending, ": idle\n\n");
    } else if (ev->path) {
        double cpu = cpu_ms();
        pthread_mutex_lock(&ev->web->lock);
        char *json = web_letter_json(ev->web, ev->path, ev->relative, ev->variant);
        pthread_mutex_unlock(&ev->web->lock);
        struct timespec now, noticed = web_watch_noticed(ev->watch);
        clock_gettime(CLOCK_MONOTONIC, &now);
        /* The server's own part of the delay, apart from the browser's:
         * from the change's first inotify event to the new state ready,
         * its pages rasterised, and the CPU the process spent on it (what
         * other work on the machine does not inflate). Spliced into the
         * state's JSON object as its first member. */
        double wall = (double)(now.tv_sec - noticed.tv_sec) * 1e3 +
                      (double)(now.tv_nsec - noticed.tv_nsec) / 1e6;
        buffer_printf(&ev->pending, "data: {\"server\":{\"ready_ms\":%.1f,\"cpu_ms\":%.1f},%s\n\n",
                      wall, cpu_ms() - cpu, json + 1);
        free(json);
    } else {
        buffer_printf(&ev->pending, "data: {}\n\n");
    }
    return events_read(cls, pos, buf, max);
}

static void events_free(void *cls)
{
    struct events *ev = cls;
    web_watch_close(ev->watch);
    buffer_free(&ev->pending);
    free(ev->path);
    free(ev->relative);
    free(ev);
}

/* ---- pages ---- */

extern const char web_asset_css[], web_asset_js[];

static void page_static(struct web_request *r, struct web_response *out)
{
    bool css = strcmp(r->path, "/static/style.css") == 0;
    out->type = css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    buffer_puts(&out->body, css ? web_asset_css : web_asset_js);
}

static void page_events(struct web_request *r, struct web_response *out)
{
    const char *relative = web_arg(r, "path");
    char why[1200];
    char *path = relative ? web_path_resolve(r->web, relative, why, sizeof why) : NULL;
    if (relative && !path) {
        web_fail(out, MHD_HTTP_FORBIDDEN, why);
        return;
    }
    const char *variant = web_arg(r, "variant");
    out->sse = true;
    out->sse_path = path;
    out->sse_relative = relative ? xstrdup(relative) : NULL;
    out->sse_variant = variant ? atoi(variant) : 0;
}

/* ROUTE_POST: the page changes something, so it takes POST with the CSRF
 * token and, unless ROUTE_GET says it also shows a page, refuses GET. */
enum { ROUTE_POST = 1, ROUTE_LOCKED = 2, ROUTE_GET = 4 };

static const struct route {
    const char *path;
    void (*handler)(struct web_request *, struct web_response *);
    int flags;
} routes[] = {
    {"/", web_page_workspace, ROUTE_LOCKED},
    {"/letter", web_page_letter, ROUTE_LOCKED},
    {"/api/letter", web_api_letter, ROUTE_LOCKED},
    {"/page.png", web_page_png, ROUTE_LOCKED},
    {"/letter.pdf", web_page_pdf, ROUTE_LOCKED},
    {"/source", web_page_source, ROUTE_LOCKED},
    {"/register", web_page_register, ROUTE_LOCKED},
    {"/register/entry", web_page_entry, ROUTE_LOCKED},
    {"/register/file", web_page_archived, ROUTE_LOCKED},
    {"/register/verify", web_page_verify, ROUTE_LOCKED | ROUTE_POST},
    {"/register/reprint", web_page_reprint, ROUTE_LOCKED | ROUTE_POST},
    {"/register/sign", web_page_sign, ROUTE_LOCKED | ROUTE_POST},
    {"/issue", web_page_confirm, ROUTE_LOCKED | ROUTE_POST | ROUTE_GET},
    {"/issued", web_page_issued, ROUTE_LOCKED},
    {"/edit", web_page_edit, ROUTE_LOCKED | ROUTE_POST | ROUTE_GET},
    {"/events", page_events, 0},
    {"/static/style.css", page_static, 0},
    {"/static/app.js", page_static, 0},
};

/* ---- one request ---- */

struct context {
    struct web_request request;
    struct MHD_PostProcessor *post;
    size_t received;
    bool too_large;
};

static enum MHD_Result post_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *filename, const char *content_type,
                                  const char *encoding, const char *data, uint64_t off, size_t size)
{
    (void)kind, (void)filename, (void)content_type, (void)encoding;
    struct web_request *r = cls;
    struct web_field *f = r->field_count ? &r->fields[r->field_count - 1] : NULL;
    if (!f || off == 0 || strcmp(f->name, key) != 0) {
        if (r->field_count == WEB_MAX_FIELDS)
            return MHD_NO;
        f = &r->fields[r->field_count++];
        f->name = xstrdup(key);
        f->value = NULL;
    }
    size_t have = f->value ? strlen(f->value) : 0;
    f->value = xrealloc(f->value, have + size + 1);
    memcpy(f->value + have, data, size);
    f->value[have + size] = '\0';
    return MHD_YES;
}

static void context_free(struct context *c)
{
    if (c->post)
        MHD_destroy_post_processor(c->post);
    for (size_t i = 0; i < c->request.field_count; i++) {
        free(c->request.fields[i].name);
        free(c->request.fields[i].value);
    }
    free(c);
}

static void request_done(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls, (void)connection, (void)code;
    if (*con_cls)
        context_free(*con_cls);
    *con_cls = NULL;
}

/* Refuses what does not come from this server's own pages: a wrong Host
 * (DNS rebinding), no access token, a state change without the CSRF
 * token or from another origin. 0 when the request may go on. */
static int refuse(struct web *web, struct web_request *r, const struct route *route,
                  struct web_response *out, bool *set_cookie)
{
    struct MHD_Connection *c = r->connection;
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    char local[64], named[64];
    snprintf(local, sizeof local, "127.0.0.1:%d", web->port);
    snprintf(named, sizeof named, "localhost:%d", web->port);
    if (!host || (strcmp(host, local) != 0 && strcmp(host, named) != 0)) {
        web_fail(out, MHD_HTTP_FORBIDDEN, "forbidden: this server answers only to 127.0.0.1");
        return -1;
    }
    const char *token = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
    const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, web->cookie);
    if (same_secret(token, web->token)) {
        *set_cookie = true;
    } else if (!same_secret(cookie, web->token)) {
        web_fail(out, MHD_HTTP_FORBIDDEN,
                 "forbidden: open the address `missive serve` printed (it holds the access "
                 "token)");
        return -1;
    }
    if (!r->post)
        return 0;
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    char mine[80];
    snprintf(mine, sizeof mine, "http://%s", host);
    if (origin && strcmp(origin, mine) != 0) {
        web_fail(out, MHD_HTTP_FORBIDDEN, "forbidden: request from another site");
        return -1;
    }
    if (!same_secret(web_arg(r, "csrf"), web->csrf)) {
        web_fail(out, MHD_HTTP_FORBIDDEN,
                 "forbidden: the form's CSRF token is missing or wrong (reload the page)");
        return -1;
    }
    if (route && !(route->flags & ROUTE_POST)) {
        web_fail(out, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
        return -1;
    }
    return 0;
}

static void add_security_headers(struct MHD_Response *response)
{
    MHD_add_response_header(response, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self'; style-src 'self'; "
                            "script-src 'self'; frame-ancestors 'none'; form-action 'self'");
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    /* same-origin, not no-referrer: with no-referrer the browser sends
     * "Origin: null" on form posts, and the origin check must see ours. */
    MHD_add_response_header(response, "Referrer-Policy", "same-origin");
    MHD_add_response_header(response, "X-Frame-Options", "DENY");
}

static enum MHD_Result respond(struct web *web, struct web_request *r, struct web_response *out,
                               bool set_cookie)
{
    struct MHD_Response *response;
    if (out->sse) {
        struct events *ev = xcalloc(1, sizeof *ev);
        ev->web = web;
        ev->watch = web_watch_open(web->root);
        ev->path = out->sse_path;
        ev->relative = out->sse_relative;
        ev->variant = out->sse_variant;
        out->sse_path = out->sse_relative = NULL;
        if (!ev->watch) {
            events_free(ev);
            web_fail(out, MHD_HTTP_SERVICE_UNAVAILABLE, "no inotify: reload to refresh");
            out->sse = false;
            return respond(web, r, out, set_cookie);
        }
        response = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, events_read, ev,
                                                     events_free);
        out->type = "text/event-stream";
    } else {
        response = MHD_create_response_from_buffer(
            out->body.len, out->body.data ? out->body.data : "", MHD_RESPMEM_MUST_COPY);
    }
    unsigned status = out->status ? out->status : MHD_HTTP_OK;
    MHD_add_response_header(response, "Content-Type",
                            out->type ? out->type : "text/html; charset=utf-8");
    MHD_add_response_header(response, "Cache-Control", "no-store");
    add_security_headers(response);
    if (out->disposition)
        MHD_add_response_header(response, "Content-Disposition", out->disposition);
    char cookie[160];
    if (set_cookie) {
        snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict", web->cookie,
                 web->token);
        MHD_add_response_header(response, "Set-Cookie", cookie);
        /* The token leaves the address bar (and the history) at once. */
        if (!r->post && !out->location && status == MHD_HTTP_OK) {
            out->location = xstrdup(r->path);
            status = MHD_HTTP_SEE_OTHER;
        }
    }
    if (out->location) {
        MHD_add_response_header(response, "Location", out->location);
        if (status == MHD_HTTP_OK)
            status = MHD_HTTP_SEE_OTHER;
    }
    enum MHD_Result result = MHD_queue_response(r->connection, status, response);
    MHD_destroy_response(response);
    return result;
}

static enum MHD_Result add_length(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 2;
    return MHD_YES;
}

static enum MHD_Result answer(struct web *web, struct context *ctx)
{
    struct web_request *r = &ctx->request;
    struct web_response out = {0};
    bool set_cookie = false;
    const struct route *route = NULL;
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
        if (strcmp(routes[i].path, r->path) == 0)
            route = &routes[i];
    size_t length = strlen(r->path);
    MHD_get_connection_values(r->connection, MHD_GET_ARGUMENT_KIND, add_length, &length);
    if (ctx->too_large)
        web_fail(&out, MHD_HTTP_CONTENT_TOO_LARGE, "request too large");
    else if (length > WEB_MAX_URL)
        web_fail(&out, MHD_HTTP_URI_TOO_LONG, "address too long");
    else if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0 && !r->post)
        web_fail(&out, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
    else if (refuse(web, r, route, &out, &set_cookie) != 0)
        ; /* refuse filled the response */
    else if (!route)
        web_fail(&out, MHD_HTTP_NOT_FOUND, "not found");
    else if (!r->post && (route->flags & ROUTE_POST) && !(route->flags & ROUTE_GET))
        web_fail(&out, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed: this changes something");
    else {
        if (route->flags & ROUTE_LOCKED)
            pthread_mutex_lock(&web->lock);
        route->handler(r, &out);
        if (route->flags & ROUTE_LOCKED)
            pthread_mutex_unlock(&web->lock);
    }
    enum MHD_Result result = respond(web, r, &out, set_cookie);
    buffer_free(&out.body);
    free(out.location);
    free(out.disposition);
    free(out.sse_path);
    free(out.sse_relative);
    return result;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct web *web = cls;
    struct context *ctx = *con_cls;
    if (!ctx) {
        ctx = xcalloc(1, sizeof *ctx);
        ctx->request = (struct web_request){.web = web,
                                            .connection = connection,
                                            .method = method,
                                            .path = url,
                                            .post = strcmp(method, "POST") == 0};
        const char *length =
            MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
        if (length && strtoull(length, NULL, 10) > WEB_MAX_BODY)
            ctx->too_large = true;
        if (ctx->request.post && !ctx->too_large)
            ctx->post = MHD_create_post_processor(connection, 4096, post_field, &ctx->request);
        *con_cls = ctx;
        if (ctx->too_large)
            return answer(web, ctx);
        return MHD_YES;
    }
    if (*upload_data_size) {
        ctx->received += *upload_data_size;
        if (ctx->received > WEB_MAX_BODY)
            ctx->too_large = true;
        else if (ctx->post &&
                 MHD_post_process(ctx->post, upload_data, *upload_data_size) != MHD_YES)
            ctx->too_large = true; /* more fields than a form has */
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer(web, ctx);
}

/* ---- start and stop ---- */

static int start(struct web *web, const struct web_options *o, struct MHD_Daemon **daemon,
                 struct errors *errors)
{
    if (!realpath(o->root, web->real_root)) {
        errors_add_at(errors, o->root, 0, 0, "cannot open the workspace folder: %s",
                      strerror(errno));
        return -1;
    }
    const struct errors *failed = NULL;
    if (!web_current(web, NULL, &failed)) {
        for (size_t i = 0; i < failed->count; i++)
            errors_add_at(errors, failed->items[i].file, failed->items[i].line,
                          failed->items[i].column, "%s", failed->items[i].message);
        return -1;
    }
    if (web_random_hex(web->token, 24) != 0 || web_random_hex(web->csrf, 16) != 0 ||
        pipe(web->quit) != 0) {
        errors_add_at(errors, NULL, 0, 0, "no randomness for the access token: %s",
                      strerror(errno));
        return -1;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL, 0, NULL,
        NULL, on_request, web, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_CONNECTION_LIMIT, 64,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024), MHD_OPTION_CONNECTION_TIMEOUT,
        60u, MHD_OPTION_END);
    if (!*daemon) {
        errors_add_at(errors, NULL, 0, 0, "cannot listen on 127.0.0.1:%d (is the port taken?)",
                      o->port);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(*daemon, MHD_DAEMON_INFO_BIND_PORT);
    web->port = info ? info->port : o->port;
    snprintf(web->cookie, sizeof web->cookie, "missive_token_%d", web->port);
    return 0;
}

int web_serve(const struct web_options *o, struct errors *errors)
{
    struct web web = {.root = o->root, .quit = {-1, -1}};
    pthread_mutex_init(&web.lock, NULL);
    /* Signals are taken by sigwait below; the server's threads inherit
     * the blocked mask, so none of them is interrupted. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *daemon = NULL;
    int status = start(&web, o, &daemon, errors);
    if (status == 0) {
        fprintf(o->out, "missive serve: %s\n  http://127.0.0.1:%d/?token=%s\n", web.real_root,
                web.port, web.token);
        fflush(o->out);
        int sig = 0;
        sigwait(&stop, &sig);
        /* Wakes every open change stream, so the threads can be joined. */
        if (write(web.quit[1], "q", 1) != 1)
            status = -1;
        MHD_stop_daemon(daemon);
        fprintf(o->out, "missive serve: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    }
    web_preview_free_all(&web);
    app_close(web.current);
    errors_clear(&web.current_errors);
    web_issues_free(&web);
    for (int i = 0; i < 2; i++)
        if (web.quit[i] >= 0)
            close(web.quit[i]);
    pthread_mutex_destroy(&web.lock);
    pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    return status;
}
