/* sign_module.c — the program's side of signing: sign.h's functions that
 * need OpenSSL call into missive-sign.so (sign_key.c, sign_cms.c,
 * sign_verify.c, sign_pdf.c, loaded by the first command that signs or
 * verifies), so that the other commands start without libcrypto: mapping
 * and relocating it was a tenth of a one-letter render (issue 17). A
 * program that links those files itself (test_sign, bench_sign) calls them
 * directly. */
#include "sign_internal.h"

#include "module.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Defined when the program links missive-sign.so's code itself. */
#pragma weak sign_module_key_load
#pragma weak sign_module_key_free
#pragma weak sign_module_key_name
#pragma weak sign_module_pdf
#pragma weak sign_module_verify
#pragma weak sign_module_checkpoint
#pragma weak sign_module_checkpoint_verify

/* The module's function symbol (own, the same function when linked in),
 * or NULL with the reason added to errors (when not NULL). */
static module_fn *part(module_fn *own, const char *symbol, struct errors *errors)
{
    if (own)
        return own;
    char reason[600];
    module_fn *fn = module_function("sign", symbol, reason, sizeof reason);
    if (!fn && errors)
        errors_add_at(errors, NULL, 0, 0, "signatures are not available: %s", reason);
    return fn;
}

/* part() for function f of missive-sign.so, cast back to f's type. */
#define PART(f, errors) ((__typeof__(&f))part((module_fn *)(f), #f, errors))

struct sign_key *sign_key_load(const struct sign_key_source *source, time_t at,
                               struct errors *errors)
{
    __typeof__(&sign_module_key_load) fn = PART(sign_module_key_load, errors);
    return fn ? fn(source, at, errors) : NULL;
}

/* A key exists only when the module made it: these find it loaded. */
void sign_key_free(struct sign_key *key)
{
    __typeof__(&sign_module_key_free) fn = key ? PART(sign_module_key_free, NULL) : NULL;
    if (fn)
        fn(key);
}

const char *sign_key_name(const struct sign_key *key)
{
    __typeof__(&sign_module_key_name) fn = PART(sign_module_key_name, NULL);
    return fn ? fn(key) : "";
}

int sign_pdf(struct buffer *pdf, const struct sign_request *request, const char *who,
             struct errors *errors)
{
    __typeof__(&sign_module_pdf) fn = PART(sign_module_pdf, errors);
    return fn ? fn(pdf, request, who, errors) : -1;
}

int sign_verify(const char *data, size_t len, const char *file, const char *trust_file,
                struct sign_report *report, struct errors *errors)
{
    *report = (struct sign_report){0};
    __typeof__(&sign_module_verify) fn = PART(sign_module_verify, errors);
    return fn ? fn(data, len, file, trust_file, report, errors) : -1;
}

int sign_checkpoint(const struct sign_key *key, long long count, const char *hash,
                    struct buffer *out, const char *who, struct errors *errors)
{
    __typeof__(&sign_module_checkpoint) fn = PART(sign_module_checkpoint, errors);
    return fn ? fn(key, count, hash, out, who, errors) : -1;
}

int sign_checkpoint_verify(const unsigned char *der, size_t len, long long count, const char *hash,
                           const char *trust_file, char **signer)
{
    /* Without the module nothing can be shown valid. */
    __typeof__(&sign_module_checkpoint_verify) fn = PART(sign_module_checkpoint_verify, NULL);
    return fn ? fn(der, len, count, hash, trust_file, signer) : 0;
}

/* ---- reports (no OpenSSL) ---- */

bool sign_report_ok(const struct sign_report *report)
{
    if (!report->count)
        return false;
    for (size_t i = 0; i < report->count; i++) {
        const struct sign_signature_report *r = &report->items[i];
        if (!r->valid || r->problem)
            return false;
    }
    return report->items[report->count - 1].whole_file;
}

void sign_report_clear(struct sign_report *report)
{
    for (size_t i = 0; i < report->count; i++) {
        free(report->items[i].signer);
        free(report->items[i].field);
        free(report->items[i].timestamp_time);
        free(report->items[i].problem);
    }
    free(report->items);
    *report = (struct sign_report){0};
}

size_t sign_unsigned_length(const char *data, size_t len)
{
    struct sign_report report;
    struct errors errors = {0};
    size_t end = len;
    if (sign_verify(data, len, NULL, NULL, &report, &errors) == 0 && report.count) {
        /* The first signature's revision starts right after the bytes
         * before it: the "%%EOF" line its update follows. */
        size_t first = report.items[0].revision_end;
        for (size_t i = 1; i < report.count; i++)
            if (report.items[i].revision_end < first)
                first = report.items[i].revision_end;
        struct sign_file f;
        if (sign_file_open(&f, data, first) == 0) {
            size_t prev = f.startxref;
            struct sign_span trailer, v;
            const char *t = sign_find(data + prev, first - prev, "trailer", 7);
            if (t) {
                size_t start = sign_file_space(&f, (size_t)(t - data) + 7);
                trailer = (struct sign_span){start, sign_file_skip(&f, start)};
                if (sign_file_get(&f, trailer, "Prev", &v)) {
                    size_t old = (size_t)strtoull(data + v.start, NULL, 10);
                    const char *eof = sign_find(data + old, first - old, "%%EOF", 5);
                    if (eof) {
                        end = (size_t)(eof - data) + 5;
                        while (end < first && (data[end] == '\r' || data[end] == '\n'))
                            end++;
                    }
                }
            }
            sign_file_close(&f);
        }
    }
    sign_report_clear(&report);
    errors_clear(&errors);
    return end;
}
