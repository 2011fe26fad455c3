/* test_merge.c — merge takes what the caller decides (reference, issue
 * time, a petition's signers) from its input, never from or into the
 * loaded letter, and reads no file itself. */
#include "buffer.h"
#include "check.h"
#include "letter.h"
#include "merge.h"
#include "signers.h"
#include "support.h"
#include "tmpl.h"
#include "workspace.h"

#include <string.h>

/* The text of every inline of kind's blocks, in order. */
static void block_text(const struct doc_block *b, enum doc_block_kind kind, struct buffer *out)
{
    for (; b; b = b->next) {
        for (const struct doc_inline *i = b->kind == kind ? b->first_inline : NULL; i; i = i->next)
            if (i->kind == DOC_TEXT)
                buffer_puts(out, i->text);
        block_text(b->first_child, kind, out);
    }
}

static struct doc_document *merge_file(const struct workspace *ws, const char *path,
                                       const struct merge_input *input, struct letter **letter,
                                       struct errors *errors)
{
    *letter = letter_load(path, errors);
    if (!*letter)
        return NULL;
    char relative[256];
    snprintf(relative, sizeof relative, "templates/%s/%s.xml", (*letter)->template_name.id,
             (*letter)->language);
    struct tmpl *t = tmpl_load(workspace_path(ws, relative), errors);
    struct doc_document *doc = t ? merge_letter(ws, *letter, t, input, errors) : NULL;
    tmpl_free(t);
    return doc;
}

static void test_input_decides(void)
{
    struct errors errors = {0};
    struct workspace *ws = workspace_load(".", &errors);
    CHECK(ws != NULL);
    if (!ws)
        return;
    struct letter *letter = NULL;
    struct merge_input input = {.reference = "ICEM-IMF21/EN LT/9",
                                .timestamp = "2021-12-16T09:30:00Z"};
    struct doc_document *doc =
        merge_file(ws, "letters/zhanaozen-2021.xml", &input, &letter, &errors);
    CHECK(doc != NULL);
    CHECK_STR(doc ? doc->reference : NULL, "ICEM-IMF21/EN LT/9");
    CHECK_STR(doc ? doc->timestamp : NULL, "2021-12-16T09:30:00Z");
    /* The loaded letter is a draft and stays one. */
    CHECK(letter && letter->reference == NULL);
    struct buffer text = {0};
    if (doc)
        block_text(doc->root, DOC_REFERENCE, &text);
    CHECK(text.data && strstr(text.data, "ICEM-IMF21/EN LT/9") != NULL);
    buffer_free(&text);
    doc_free(doc);
    letter_free(letter);

    /* No input: a draft, undated, whatever the letter says. */
    struct merge_input none = {0};
    doc = merge_file(ws, "letters/kazakhstan-2011.xml", &none, &letter, &errors);
    CHECK(doc && doc->reference == NULL && doc->timestamp == NULL);
    CHECK(letter && letter->reference && strcmp(letter->reference, "ICEM-IMF11/EN LT/107") == 0);
    doc_free(doc);
    letter_free(letter);
    char *printed = errors_text(&errors);
    CHECK_STR(printed, "");
    free(printed);
    errors_clear(&errors);
    workspace_free(ws);
}

static bool has_block(const struct doc_block *b, enum doc_block_kind kind)
{
    for (; b; b = b->next)
        if (b->kind == kind || has_block(b->first_child, kind))
            return true;
    return false;
}

/* A petition is merged with the signers its caller read; merge does not
 * open the CSV itself. */
static void test_petition_needs_signers(void)
{
    struct errors errors = {0};
    struct workspace *ws = workspace_load(".", &errors);
    CHECK(ws != NULL);
    if (!ws)
        return;
    struct letter *letter = NULL;
    struct merge_input none = {0};
    struct doc_document *doc = merge_file(ws, "letters/petition-2022.xml", &none, &letter, &errors);
    CHECK(doc == NULL);
    CHECK(errors.count == 1 && strstr(errors.items[0].message, "merged with its signers"));
    errors_clear(&errors);
    struct signers *signers = letter ? signers_load(letter->petition, "en", false, &errors) : NULL;
    CHECK(signers != NULL);
    struct letter *again = NULL;
    struct merge_input with = {.signers = signers};
    doc = merge_file(ws, "letters/petition-2022.xml", &with, &again, &errors);
    CHECK(doc && has_block(doc->root, DOC_ANNEX));
    CHECK(errors.count == 0);
    doc_free(doc);
    signers_free(signers);
    letter_free(again);
    letter_free(letter);
    errors_clear(&errors);
    workspace_free(ws);
}

CHECK_MAIN("merge", test_input_decides(); test_petition_needs_signers())
