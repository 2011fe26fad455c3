/* test_text.c — the plain-text backend on hand-built documents: block
 * spacing, filling by display columns (Cyrillic, CJK, combining marks),
 * signatures side by side, wrapped in their columns or into rows, errors. */
#include "check.h"

#include "buffer.h"
#include "doc.h"
#include "error.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

#include <unicode/utf8.h>

static const struct source_loc here = {"letter.xml", 3, 5};

/* A block of kind under parent holding text as its inline content. */
static struct doc_block *add(struct doc_document *doc, struct doc_block *parent,
                             enum doc_block_kind kind, const char *text)
{
    struct doc_block *block = doc_block_add(doc, parent, kind, here);
    if (text)
        doc_text_add(doc, block, NULL, text, strlen(text), here);
    return block;
}

static void add_signature(struct doc_document *doc, struct doc_block *signatures, const char *name,
                          const char *title)
{
    struct doc_block *s = add(doc, signatures, DOC_SIGNATURE, NULL);
    add(doc, s, DOC_LINE, name);
    add(doc, s, DOC_LINE, title);
}

/* Renders doc at width; the text, or the first error's message. */
static char *render(struct doc_document *doc, int width)
{
    struct buffer out = {0};
    struct errors errors = {0};
    char *result;
    if (text_render(doc, width, &out, &errors) == 0)
        result = arena_strdup(doc->arena, out.data ? out.data : "");
    else
        result =
            arena_printf(doc->arena, "%s:%d:%d: %s (%zu errors, %zu bytes out)",
                         errors.items[0].file ? errors.items[0].file : "-", errors.items[0].line,
                         errors.items[0].column, errors.items[0].message, errors.count, out.len);
    buffer_free(&out);
    errors_clear(&errors);
    return result;
}

/* The shape of the seed letter, with two signatories. */
static struct doc_document *letter(void)
{
    struct doc_document *doc = doc_new("en");
    struct doc_block *head = add(doc, doc->root, DOC_LETTERHEAD, NULL);
    add(doc, head, DOC_LINE, "International Metalworkers\u2019 Federation");
    add(doc, doc->root, DOC_REFERENCE, "Ref: ICEM-IMF11/EN LT/107");
    add(doc, doc->root, DOC_DATE, "6 September 2011");
    struct doc_block *address = add(doc, doc->root, DOC_ADDRESS, NULL);
    add(doc, address, DOC_LINE, "Nursultan Nazarbaev");
    add(doc, address, DOC_LINE, "  ");
    add(doc, address, DOC_LINE, "President of Republic of Kazakhstan");
    add(doc, doc->root, DOC_SUBJECT, "Repression of striking oil workers in Mangystau Province");
    add(doc, doc->root, DOC_SALUTATION, "Dear Mr. President,");
    struct doc_block *p = add(doc, doc->root, DOC_PARAGRAPH, "On August 8 Natalia Sokolova, a ");
    struct doc_inline *em = doc_inline_add(doc, p, NULL, DOC_EMPHASIS, here);
    doc_text_add(doc, p, em, "union", 5, here);
    doc_text_add(doc, p, NULL, " lawyer, was sentenced for alleged offence of ", 46, here);
    struct doc_inline *q = doc_inline_add(doc, p, NULL, DOC_QUOTE, here);
    doc_text_add(doc, p, q, "inciting social hatred", 22, here);
    doc_text_add(doc, p, NULL, ".", 1, here);
    add(doc, doc->root, DOC_PARAGRAPH, "Oil workers are frequently beaten\n   by thugs.");
    add(doc, doc->root, DOC_CLOSING, "Yours faithfully,");
    struct doc_block *signatures = add(doc, doc->root, DOC_SIGNATURES, NULL);
    add_signature(doc, signatures, "Manfred Warda", "ICEM General Secretary");
    add_signature(doc, signatures, "Jyrki Raina", "IMF General Secretary");
    return doc;
}

static void test_letter(void)
{
    struct doc_document *doc = letter();
    CHECK_STR(render(doc, 48), "Ref: ICEM-IMF11/EN LT/107\n"
                               "\n"
                               "6 September 2011\n"
                               "\n"
                               "Nursultan Nazarbaev\n"
                               "President of Republic of Kazakhstan\n"
                               "\n"
                               "Repression of striking oil workers in Mangystau\n"
                               "Province\n"
                               "\n"
                               "Dear Mr. President,\n"
                               "\n"
                               "On August 8 Natalia Sokolova, a union lawyer,\n"
                               "was sentenced for alleged offence of \u201Cinciting\n"
                               "social hatred\u201D.\n"
                               "\n"
                               "Oil workers are frequently beaten by thugs.\n"
                               "\n"
                               "Yours faithfully,\n"
                               "\n"
                               "\n"
                               "\n"
                               "Manfred Warda             Jyrki Raina\n"
                               "ICEM General Secretary    IMF General Secretary\n");
    doc_free(doc);
}

/* The flowed form for mail: a space ends each line a paragraph goes on
 * after (subject and paragraphs here), none ends a line of its own. */
static void test_flowed(void)
{
    struct doc_document *doc = letter();
    struct buffer out = {0};
    struct errors errors = {0};
    CHECK(text_render_flowed(doc, 48, &out, &errors) == 0);
    buffer_putc(&out, '\0');
    CHECK_STR(out.data, "Ref: ICEM-IMF11/EN LT/107\n"
                        "\n"
                        "6 September 2011\n"
                        "\n"
                        "Nursultan Nazarbaev\n"
                        "President of Republic of Kazakhstan\n"
                        "\n"
                        "Repression of striking oil workers in Mangystau \n"
                        "Province\n"
                        "\n"
                        "Dear Mr. President,\n"
                        "\n"
                        "On August 8 Natalia Sokolova, a union lawyer, \n"
                        "was sentenced for alleged offence of \u201Cinciting \n"
                        "social hatred\u201D.\n"
                        "\n"
                        "Oil workers are frequently beaten by thugs.\n"
                        "\n"
                        "Yours faithfully,\n"
                        "\n"
                        "\n"
                        "\n"
                        "Manfred Warda             Jyrki Raina\n"
                        "ICEM General Secretary    IMF General Secretary\n");
    buffer_free(&out);
    errors_clear(&errors);
    doc_free(doc);
}

static void test_three_signatures(void)
{
    struct doc_document *doc = doc_new("en");
    add(doc, doc->root, DOC_CLOSING, "Yours,");
    struct doc_block *signatures = add(doc, doc->root, DOC_SIGNATURES, NULL);
    add_signature(doc, signatures, "Ann Lee", "President");
    add_signature(doc, signatures, "Bo Zhang", "General Secretary");
    add_signature(doc, signatures, "Carla Diaz", "Treasurer");
    /* 9 + 4 + 17 + 4 + 10 = 44 columns. */
    CHECK_STR(render(doc, 44), "Yours,\n"
                               "\n\n\n"
                               "Ann Lee      Bo Zhang             Carla Diaz\n"
                               "President    General Secretary    Treasurer\n");
    /* One column less: the third signature moves to a row of its own,
     * after room to sign. */
    CHECK_STR(render(doc, 43), "Yours,\n"
                               "\n\n\n"
                               "Ann Lee      Bo Zhang\n"
                               "President    General Secretary\n"
                               "\n\n\n"
                               "Carla Diaz\n"
                               "Treasurer\n");
    /* Titles too long for a row of three: each signature gets an equal
     * column, as in the PDF, and its title wraps inside it. */
    struct doc_document *wide = doc_new("en");
    struct doc_block *three = add(wide, wide->root, DOC_SIGNATURES, NULL);
    add_signature(wide, three, "Elena Marchetti", "IndustriALL General Secretary");
    add_signature(wide, three, "Kwame Mensah", "ITUC General Secretary");
    add_signature(wide, three, "Gulnar Zhaksybekova",
                  "Chair, Independent Union of Mangystau Oil Workers");
    CHECK_STR(render(wide, 72),
              "Elena Marchetti          Kwame Mensah             Gulnar Zhaksybekova\n"
              "IndustriALL General      ITUC General             Chair, Independent\n"
              "Secretary                Secretary                Union of Mangystau\n"
              "                                                  Oil Workers\n");
    /* Too narrow for three columns of 12: two to a row, still wrapped. */
    CHECK_STR(render(wide, 40), "Elena Marchetti       Kwame Mensah\n"
                                "IndustriALL           ITUC General\n"
                                "General Secretary     Secretary\n"
                                "\n\n\n"
                                "Gulnar Zhaksybekova\n"
                                "Chair, Independent Union of Mangystau\n"
                                "Oil Workers\n");
    doc_free(wide);
    /* Signatures of different heights and a missing title line. */
    add_signature(doc, signatures, "Dmitri Ivanov", NULL);
    struct doc_block *tall = add(doc, signatures, DOC_SIGNATURE, NULL);
    add(doc, tall, DOC_LINE, "Eve Roe");
    add(doc, tall, DOC_LINE, "Chair");
    add(doc, tall, DOC_LINE, "Youth Committee");
    CHECK_STR(render(doc, 46), "Yours,\n"
                               "\n\n\n"
                               "Ann Lee      Bo Zhang             Carla Diaz\n"
                               "President    General Secretary    Treasurer\n"
                               "\n\n\n"
                               "Dmitri Ivanov    Eve Roe\n"
                               "                 Chair\n"
                               "                 Youth Committee\n");
    doc_free(doc);
}

static void test_columns(void)
{
    struct doc_document *doc = doc_new("ru");
    /* Cyrillic (two bytes a letter) is counted in code points. */
    add(doc, doc->root, DOC_PARAGRAPH,
        "\u0423\u0432\u0430\u0436\u0430\u0435\u043C\u044B\u0439 "  /* Уважаемый */
        "\u0433\u043E\u0441\u043F\u043E\u0434\u0438\u043D "        /* господин */
        "\u041F\u0440\u0435\u0437\u0438\u0434\u0435\u043D\u0442"); /* Президент */
    CHECK_STR(render(doc, 18), "\u0423\u0432\u0430\u0436\u0430\u0435\u043C\u044B\u0439 "
                               "\u0433\u043E\u0441\u043F\u043E\u0434\u0438\u043D\n"
                               "\u041F\u0440\u0435\u0437\u0438\u0434\u0435\u043D\u0442\n");
    doc_free(doc);

    /* A CJK ideograph takes two columns (ICU may break between any two),
     * a combining accent none. */
    doc = doc_new("en");
    add(doc, doc->root, DOC_PARAGRAPH, "\u4E2D\u4E2D\u4E2D\u4E2D\u4E2D x");
    CHECK_STR(render(doc, 11), "\u4E2D\u4E2D\u4E2D\u4E2D\u4E2D\nx\n");
    CHECK_STR(render(doc, 12), "\u4E2D\u4E2D\u4E2D\u4E2D\u4E2D x\n");
    doc_free(doc);
    doc = doc_new("fr");
    add(doc, doc->root, DOC_PARAGRAPH, "Cafe\u0301 Cafe\u0301 noir");
    CHECK_STR(render(doc, 10), "Cafe\u0301 Cafe\u0301\nnoir\n");
    doc_free(doc);
}

static void test_forced_break_and_nbsp(void)
{
    struct doc_document *doc = doc_new("fr");
    struct doc_block *p = add(doc, doc->root, DOC_PARAGRAPH, "Lettre \u00E0 M.\u00A0Dupont");
    doc_inline_add(doc, p, NULL, DOC_LINEBREAK, here);
    doc_text_add(doc, p, NULL, " et ", 4, here);
    struct doc_inline *q = doc_inline_add(doc, p, NULL, DOC_QUOTE, here);
    doc_text_add(doc, p, q, "bonjour", 7, here);
    CHECK_STR(render(doc, 15),
              "Lettre \u00E0\nM.\u00A0Dupont\net \u00AB\u00A0bonjour\u00A0\u00BB\n");
    doc_free(doc);
}

/* The text backend keeps the ties of a day and its month and of Czech
 * "č." and its number: untied, "8" and "č." would end the first lines. */
static void test_date_ties(void)
{
    struct doc_document *doc = doc_new("en");
    add(doc, doc->root, DOC_PARAGRAPH, "we wrote on 8 August to you");
    CHECK_STR(render(doc, 13), "we wrote on\n8 August to\nyou\n");
    doc_free(doc);
    doc = doc_new("cs");
    add(doc, doc->root, DOC_PARAGRAPH, "viz dopis \u010D. 107 ze dne");
    CHECK_STR(render(doc, 12), "viz dopis\n\u010D. 107 ze\ndne\n");
    doc_free(doc);
}

/* The body of the seed letter; NULL is the paragraph with a quotation. */
static const char *const seed_paragraphs[] = {
    "On behalf of 45 million industrial workers represented by the International "
    "Metalworkers\u2019 Federation (IMF) and the International Federation of Chemical, "
    "Energy, Mine and General Workers' Unions (ICEM) we are writing to you to express our"
    " serious concern with the situation in Mangystau Province, Kazakhstan.",
    "We have been informed that oil workers of Karazahnbasmunaigaz had to work in harmful"
    " conditions. After numerous attempts to settle the issue with the employers with no "
    "results oil workers decided to go on strike in May 2011 demanding the employer to "
    "improve working conditions and pay additional compensation for the work in bad "
    "conditions. Workers of Uzenmunaigaz and other operations in the region joined the "
    "strike later on. Unfortunately instead of engaging in good faith negotiations with "
    "the workers the employers recurred to tactics of pressure. This led to the "
    "aggravation of the social situation in the region.",
    "To our knowledge, the oil workers\u2019 strike resulted in numerous acts of "
    "repression.",
    NULL,
    "A number of other workers and activists involved in the strike were also accused of "
    "participation in illegal protests and spent some time in prison and/or were ordered "
    "to pay substantial fines. Hundreds of workers were fired.",
    "On July 8 and 10 workers\u2019 rally in Aktau was stormed by riot police. The "
    "participants of the rally were violently beaten.",
    "The situation in the region was aggravated by a number of horrendous murders.",
    "On August 2 Zhalsylyk Turbaev, 28-year old drill operator and a union activist, was "
    "murdered right at his workplace, his skull was broken.",
    "On August 24 Zhansaule Karabalaeva, 18-year old daughter of the president of the "
    "union committee at Uzenmunaigaz, was found dead on the outskirts of Zhanaosen. She "
    "received multiple knife wounds; her skull was broken, her jaw was crushed.",
    "Oil workers and their family members are frequently beaten by thugs. Every day "
    "workers also receive death threats.",
    "Mr. President, we believe that human rights issues are one of your central concerns."
    " In 2010 Kazakhstan took the presidency in the OSCE. At the OSCE summit in "
    "Kazakhstan, Astana Commemorative Declaration was adopted, once again reinstating the"
    " commitment of OSCE members to human rights. In the word and spirit of this "
    "declaration, as well as the Constitution of Kazakhstan and international standards, "
    "we urge you to start immediate investigation of the facts of persecution and "
    "violence in Mangystau province, and take all the necessary measures to stop the "
    "suffering of the workers.",
};

/* The seed letter, built by hand as merge would build it. */
static struct doc_document *seed_letter(void)
{
    struct doc_document *doc = doc_new("en");
    struct doc_block *head = add(doc, doc->root, DOC_LETTERHEAD, NULL);
    add(doc, head, DOC_LINE,
        "International Federation of Chemical, Energy, Mine and General "
        "Workers\u2019 Unions");
    add(doc, doc->root, DOC_REFERENCE, "Ref: ICEM-IMF11/EN LT/107");
    add(doc, doc->root, DOC_DATE, "6 September 2011");
    struct doc_block *address = add(doc, doc->root, DOC_ADDRESS, NULL);
    add(doc, address, DOC_LINE, "Nursultan Nazarbaev");
    add(doc, address, DOC_LINE, "President of Republic of Kazakhstan");
    add(doc, doc->root, DOC_SALUTATION, "Dear Mr. President,");
    for (size_t i = 0; i < sizeof seed_paragraphs / sizeof *seed_paragraphs; i++) {
        if (seed_paragraphs[i]) {
            add(doc, doc->root, DOC_PARAGRAPH, seed_paragraphs[i]);
            continue;
        }
        struct doc_block *p = add(doc, doc->root, DOC_PARAGRAPH,
                                  "On August 8 Natalia Sokolova, a union lawyer, was sentenced to "
                                  "six year imprisonment for alleged offence of ");
        struct doc_inline *q = doc_inline_add(doc, p, NULL, DOC_QUOTE, here);
        doc_text_add(doc, p, q, "inciting social hatred", 22, here);
        const char *rest = ". During her one week trial, the judge allowed neither testimonies "
                           "of defense, nor evidence by independent experts.";
        doc_text_add(doc, p, NULL, rest, strlen(rest), here);
    }
    add(doc, doc->root, DOC_CLOSING, "Yours faithfully,");
    struct doc_block *signatures = add(doc, doc->root, DOC_SIGNATURES, NULL);
    add_signature(doc, signatures, "Manfred Warda", "ICEM General Secretary");
    add_signature(doc, signatures, "Jyrki Raina", "IMF General Secretary");
    return doc;
}

/* Whole file as a string in arena, or "(missing PATH)". */
static char *slurp(struct arena *arena, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return arena_printf(arena, "(missing %s)", path);
    struct buffer b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buffer_append(&b, chunk, n);
    fclose(f);
    char *s = arena_strdup(arena, b.data ? b.data : "");
    buffer_free(&b);
    return s;
}

static void test_seed(void)
{
    struct doc_document *doc = seed_letter();
    CHECK_STR(render(doc, 88), slurp(doc->arena, "tests/text/seed-88.txt"));
    CHECK_STR(render(doc, 60), slurp(doc->arena, "tests/text/seed-60.txt"));
    doc_free(doc);
}

static void test_errors(void)
{
    struct doc_document *doc = doc_new("en");
    add(doc, doc->root, DOC_PARAGRAPH, "fine");
    add(doc, doc->root, DOC_PARAGRAPH, "bad \xC3( byte");
    CHECK_STR(render(doc, 9), "-:0:0: text width 9 is too narrow (at least 10 columns) "
                              "(1 errors, 0 bytes out)");
    CHECK_STR(render(doc, 72),
              "letter.xml:3:5: invalid UTF-8 in the paragraph's text (1 errors, 0 bytes out)");
    doc_free(doc);

    doc = doc_new("en");
    CHECK_STR(render(doc, 72), "");
    doc_free(doc);
}

/* The columns of every code point below U+0800, each alone and after
 * others, and of a text of all of them, from text.c's table as from
 * ICU's properties. */
static void test_columns_table(void)
{
    size_t differ = 0;
    struct buffer all = {0};
    for (UChar32 c = 1; c < 0x800; c++) {
        char bytes[8];
        int32_t n = 0;
        U8_APPEND_UNSAFE(bytes, n, c);
        buffer_append(&all, bytes, (size_t)n);
        text_icu_always = true;
        int icu = text_columns(bytes, (size_t)n);
        text_icu_always = false;
        if (text_columns(bytes, (size_t)n) != icu) {
            differ++;
            printf("U+%04X: %d columns, ICU %d\n", (unsigned)c, text_columns(bytes, (size_t)n),
                   icu);
        }
    }
    text_icu_always = true;
    int icu = text_columns(all.data, all.len);
    text_icu_always = false;
    CHECK(text_columns(all.data, all.len) == icu);
    /* Marks take none, the wide two, a broken byte one. */
    CHECK(text_columns("e\u0301\u4E2D\xC3", strlen("e\u0301\u4E2D\xC3")) == 4);
    printf("columns table: %zu code points counted differently\n", differ);
    CHECK(differ == 0);
    buffer_free(&all);
}

CHECK_MAIN("text", test_columns_table(); test_date_ties(); test_letter(); test_flowed();
           test_three_signatures(); test_columns(); test_forced_break_and_nbsp(); test_seed();
           test_errors())
