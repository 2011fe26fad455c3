/* bench_sign.c — owns the signing benchmark: one merged letter rendered
 * COUNT times as a batch would (fonts and keys loaded once), then the same
 * renders each followed by two PAdES B-B signatures (RSA 2048, SHA-256),
 * alternating RUNS times; prints the median CPU time per letter of each,
 * what signing adds per letter and the ratio, all measured in one run.
 *
 * usage: bench_sign WORKSPACE LETTER.xml CADIR COUNT RUNS
 * (CADIR as tests/sign/make-ca.sh makes it: warda.p12, malentacchi.p12,
 * passphrase "secret"). */
#include "bench.h"
#include "path.h"
#include "pdf.h"
#include "sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
    struct workspace *ws;
    struct doc_document *doc;
    struct font_set *fonts;
    struct sign_key *keys[2];
    size_t bytes;
};

/* COUNT letters, signed or not: CPU seconds per letter, or -1. */
static double letters(struct run *r, int count, bool sign, struct errors *errors)
{
    double start = bench_cpu_seconds();
    for (int i = 0; i < count; i++) {
        struct buffer pdf = {0};
        struct pdf_places places = {0};
        int status = pdf_render_places(r->doc, &r->ws->settings, r->fonts, &pdf, &places, errors);
        for (size_t k = 0; sign && status == 0 && k < 2 && k < places.count; k++) {
            struct sign_request q = {r->keys[k],        places.items[k], sign_key_name(r->keys[k]),
                                     r->doc->reference, 1315310400,      NULL};
            status = sign_pdf(&pdf, &q, "bench", errors);
        }
        r->bytes = pdf.len;
        buffer_free(&pdf);
        free(places.items);
        if (status != 0)
            return -1;
    }
    return (bench_cpu_seconds() - start) / count;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_sign WORKSPACE LETTER.xml CADIR COUNT RUNS\n");
        return 2;
    }
    int count = atoi(argv[4]), runs = atoi(argv[5]);
    struct errors errors = {0};
    struct run r = {.ws = workspace_load(argv[1], &errors)};
    r.doc = r.ws ? bench_load_doc(r.ws, argv[2], &errors) : NULL;
    r.fonts = r.doc ? font_set_open(&r.ws->settings.fonts, &errors) : NULL;
    const char *names[2] = {"warda.p12", "malentacchi.p12"};
    path_policy_allow(argv[3]); /* the test CA's folder, as [paths] allow would */
    for (int k = 0; k < 2 && r.fonts; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", argv[3], names[k]);
        struct sign_key_source s = {names[k], path, "secret", {path, 0, 0}};
        r.keys[k] = sign_key_load(&s, 1315310400, &errors);
    }
    int status = 1;
    double *plain = calloc((size_t)runs, sizeof *plain),
           *signd = calloc((size_t)runs, sizeof *signd);
    if (r.keys[0] && r.keys[1] && count > 0 && runs > 0) {
        size_t unsigned_bytes = 0;
        status = 0;
        for (int i = 0; i < runs && status == 0; i++) {
            plain[i] = letters(&r, count, false, &errors);
            unsigned_bytes = r.bytes;
            signd[i] = letters(&r, count, true, &errors);
            status = plain[i] < 0 || signd[i] < 0;
        }
        if (status == 0) {
            qsort(plain, (size_t)runs, sizeof *plain, by_value);
            qsort(signd, (size_t)runs, sizeof *signd, by_value);
            double a = plain[runs / 2] * 1000, b = signd[runs / 2] * 1000;
            printf("| letter | runs x letters | render ms | render + 2 signatures ms | signing "
                   "adds ms | ratio | bytes unsigned | bytes signed |\n");
            printf("| %s | %d x %d | %.3f | %.3f | %.3f | %.2f | %zu | %zu |\n", argv[2], runs,
                   count, a, b, b - a, b / a, unsigned_bytes, r.bytes);
        }
    }
    errors_print(&errors, stderr);
    free(plain);
    free(signd);
    sign_key_free(r.keys[0]);
    sign_key_free(r.keys[1]);
    font_set_free(r.fonts);
    doc_free(r.doc);
    workspace_free(r.ws);
    errors_clear(&errors);
    return status;
}
