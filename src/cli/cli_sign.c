/* cli_sign.c — `missive verify-pdf`: prints each signature of each file,
 * in order, and exits 4 when one does not hold; `missive sign REF`: the
 * signatures still missing added to an issued letter. */
#include "cli_sign.h"

#include "app.h"
#include "cli.h"
#include "cli_events.h"

#include <stdio.h>
#include <stdlib.h>

static void print_signature(const char *file, size_t i, size_t count, const struct app_signature *r,
                            bool trust)
{
    printf("%s: signature %zu of %zu: %s (%s): %s", file, i + 1, count, r->signer, r->field,
           r->valid ? "valid" : "NOT VALID");
    if (r->valid)
        printf(", %s", !trust       ? "trust not checked (no trust store)"
                       : r->trusted ? "trusted"
                                    : "NOT TRUSTED");
    if (r->timestamped)
        printf(", timestamp %s %s", r->timestamp_time ? r->timestamp_time : "(unreadable)",
               r->timestamp_valid ? "valid" : "NOT VALID");
    if (r->whole_file)
        printf(", covers the whole file");
    putchar('\n');
}

static int verify_one(const char *file, const char *trust, const char *workspace)
{
    struct app_options ao = {.workspace = workspace, .start = file};
    struct app *app = app_open(&ao);
    struct arena *arena = arena_new();
    struct app_pdf_signatures report;
    struct errors errors = {0};
    if (app_verify_pdf(app, file, trust, arena, &report, &errors) != APP_OK) {
        errors_print(&errors, stderr);
        errors_clear(&errors);
        arena_free(arena);
        app_close(app);
        return APP_INPUT;
    }
    for (size_t i = 0; i < report.count; i++)
        print_signature(file, i, report.count, &report.items[i], report.trust_checked);
    for (size_t i = 0; i < report.count; i++)
        if (report.items[i].problem)
            errors_add_at(&errors, file, 0, 0, "signature %zu (%s): %s", i + 1,
                          report.items[i].signer, report.items[i].problem);
    if (!report.count)
        errors_add_at(&errors, file, 0, 0, "the file has no signature");
    else if (!report.items[report.count - 1].whole_file)
        errors_add_at(&errors, file, 0, 0, "bytes were added after the last signature");
    int status = errors.count ? APP_PROBLEMS : APP_OK;
    fflush(stdout); /* the signatures first, then what is wrong with them */
    errors_print(&errors, stderr);
    errors_clear(&errors);
    arena_free(arena);
    app_close(app);
    return status;
}

int cli_verify_pdf(const struct cli_args *args)
{
    int status = APP_OK;
    for (int i = 0; i < args->operand_count; i++) {
        int s = verify_one(args->operands[i], args->trust, args->workspace);
        if (s > status)
            status = s;
    }
    return status;
}

int cli_sign(struct cli *c)
{
    struct app_events events = cli_events(&c->events);
    struct arena *arena = arena_new();
    struct app_signed out;
    int status = app_sign_issued(c->app, c->args[0], arena, &out, &events, &c->errors);
    if (status == APP_OK && !c->quiet)
        printf("%s: signed by %s (%zu signature%s now, %zu signator%s)\n", out.reference, out.names,
               out.signatures, out.signatures == 1 ? "" : "s", out.signatories,
               out.signatories == 1 ? "y" : "ies");
    arena_free(arena);
    return cli_fail(c, status);
}
