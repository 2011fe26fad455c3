/* cli_events.c — progress bar, notes, verbose lines and the summary
 * table of the command line, fed by the application layer's events. */
#include "cli_events.h"

#include "arena.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void progress(void *context, const char *what, size_t done, size_t total)
{
    struct cli_events *e = context;
    if (e->quiet || total < 2 || !isatty(STDERR_FILENO))
        return;
    int width = 40, filled = (int)(done * (size_t)width / total);
    if (e->drawing && e->what == what && filled == e->shown && done != total)
        return;
    e->what = what;
    e->shown = filled;
    e->drawing = true;
    fprintf(stderr, "\r%-10s [%.*s%*s] %zu/%zu", what, filled,
            "########################################", width - filled, "", done, total);
    fflush(stderr);
}

static void end_progress(struct cli_events *e)
{
    if (e->drawing)
        fprintf(stderr, "\r%*s\r", 70, "");
    e->drawing = false;
}

static void note(void *context, const char *message)
{
    struct cli_events *e = context;
    end_progress(e);
    if (!e->quiet)
        fprintf(stderr, "missive: note: %s\n", message);
}

/* Warnings are told even with -q: they are about the letters. With
 * --json they go into the letter's report, as its errors do. */
static void warning(void *context, const struct error *w)
{
    struct cli_events *e = context;
    end_progress(e);
    if (e->keep_warnings)
        errors_add_at(&e->warnings, w->file, w->line, w->column, "%s", w->message);
    else
        warning_print(w, stderr);
}

/* "DIR/NAME.pdf, .txt, .xml": the first file whole, the others by their
 * extension. */
static char *files_cell(const struct app_letter *l)
{
    size_t n = 1;
    for (size_t i = 0; i < l->file_count; i++)
        n += strlen(l->files[i]) + 2;
    char *cell = xcalloc(1, n);
    for (size_t i = 0; i < l->file_count; i++) {
        const char *dot = i ? strrchr(l->files[i], '.') : NULL;
        if (i)
            strcat(cell, ", ");
        strcat(cell, dot ? dot : l->files[i]);
    }
    return cell;
}

static void letter(void *context, const struct app_letter *l)
{
    struct cli_events *e = context;
    e->told++;
    e->campaign_letters += l->campaign;
    if (!e->forget) {
        e->rows = xrealloc(e->rows, (e->count + 1) * sizeof *e->rows);
        e->rows[e->count++] =
            (struct cli_row){.reference = xstrdup(l->name),
                             .recipient = xstrdup(l->recipient ? l->recipient : ""),
                             .language = xstrdup(l->language ? l->language : ""),
                             .files = files_cell(l)};
        struct cli_row *row = &e->rows[e->count - 1];
        for (size_t i = 0; i < l->file_count && i < 4; i++)
            row->paths[row->path_count++] = xstrdup(l->files[i]);
    }
    if (e->verbose && l->campaign && e->verb)
        fprintf(stderr, "%s: %s (%s) %s\n", l->name, l->recipient, l->language, e->verb);
    /* A petition that lost or merged rows says so even with --quiet: its
     * report file has the details. */
    if (l->petition && (l->signers_left_out || l->signers_merged)) {
        fprintf(stderr, "%s: %zu signers; %zu wrong row%s left out, %zu duplicate%s merged",
                l->source, l->signers, l->signers_left_out, l->signers_left_out == 1 ? "" : "s",
                l->signers_merged, l->signers_merged == 1 ? "" : "s");
        if (l->file_count)
            fprintf(stderr, " (listed in %s)", l->files[l->file_count - 1]);
        fputc('\n', stderr);
    }
}

struct app_events cli_events(struct cli_events *e)
{
    return (struct app_events){
        .context = e, .progress = progress, .letter = letter, .note = note, .warning = warning};
}

void cli_events_reset(struct cli_events *e)
{
    end_progress(e);
    for (size_t i = 0; i < e->count; i++) {
        free(e->rows[i].reference);
        free(e->rows[i].recipient);
        free(e->rows[i].language);
        free(e->rows[i].files);
        for (size_t k = 0; k < e->rows[i].path_count; k++)
            free(e->rows[i].paths[k]);
    }
    free(e->rows);
    e->rows = NULL;
    e->count = e->told = e->campaign_letters = 0;
    errors_clear(&e->warnings);
}

static size_t widest(const struct cli_events *e, size_t field, size_t least)
{
    size_t w = least;
    for (size_t i = 0; i < e->count; i++) {
        const char *cells[] = {e->rows[i].reference, e->rows[i].recipient, e->rows[i].language};
        size_t len = strlen(cells[field]);
        w = len > w ? len : w;
    }
    return w;
}

void cli_events_table(const struct cli_events *e, FILE *out, const char *first_heading)
{
    int a = (int)widest(e, 0, strlen(first_heading));
    int b = (int)widest(e, 1, strlen("recipient"));
    int c = (int)widest(e, 2, strlen("language"));
    fprintf(out, "%-*s  %-*s  %-*s  files\n", a, first_heading, b, "recipient", c, "language");
    for (size_t i = 0; i < e->count; i++)
        fprintf(out, "%-*s  %-*s  %-*s  %s\n", a, e->rows[i].reference, b, e->rows[i].recipient, c,
                e->rows[i].language, e->rows[i].files);
}
