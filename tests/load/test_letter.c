/* test_letter.c — letter loading (letter.c): every part of a letter with
 * its location, every structural error with its exact message and place,
 * and the two example letters in letters/. */
#include "check.h"
#include "support.h"
#include "letter.h"

#include <stdlib.h>

/* Loads tests/letter/NAME and checks it fails with exactly expected. */
static void expect_errors(const char *name, const char *expected)
{
    char path[256];
    snprintf(path, sizeof path, "tests/letter/%s", name);
    struct errors errors = {0};
    struct letter *letter = letter_load(path, &errors);
    CHECK(letter == NULL);
    char *text = errors_text(&errors);
    CHECK_STR(text, expected);
    free(text);
    errors_clear(&errors);
    letter_free(letter);
}

static struct letter *load_clean(const char *path)
{
    struct errors errors = {0};
    struct letter *letter = letter_load(path, &errors);
    char *text = errors_text(&errors);
    CHECK_STR(text, "");
    free(text);
    errors_clear(&errors);
    CHECK(letter != NULL);
    return letter;
}

static bool at(struct source_loc loc, int line, int column)
{
    return loc.line == line && loc.column == column;
}

static void test_dates(void)
{
    CHECK(letter_date_valid("2011-09-06"));
    CHECK(letter_date_valid("2012-02-29"));
    CHECK(letter_date_valid("2000-02-29"));
    CHECK(letter_date_valid("2011-12-31"));
    CHECK(!letter_date_valid("2011-02-29"));
    CHECK(!letter_date_valid("1900-02-29"));
    CHECK(!letter_date_valid("2011-04-31"));
    CHECK(!letter_date_valid("2011-13-01"));
    CHECK(!letter_date_valid("2011-00-10"));
    CHECK(!letter_date_valid("2011-01-00"));
    CHECK(!letter_date_valid("0000-01-01"));
    CHECK(!letter_date_valid("2011-9-06"));
    CHECK(!letter_date_valid("2011-09-06 "));
    CHECK(!letter_date_valid("2011/09/06"));
    CHECK(!letter_date_valid(""));
}

static void test_good(void)
{
    struct letter *l = load_clean("tests/letter/good.xml");
    if (!l)
        return;
    CHECK_STR(l->path, "tests/letter/good.xml");
    CHECK_STR(l->name, "good");
    CHECK(at(l->loc, 3, 1));
    CHECK_STR(l->template_name.id, "solidarity");
    CHECK(at(l->template_name.loc, 3, 9));
    CHECK_STR(l->language, "fr");
    CHECK_STR(l->reference, "X/1");
    CHECK_STR(l->date, "2012-02-29");
    CHECK(at(l->date_loc, 16, 9));
    CHECK_STR(l->subject, "Un sujet sur deux lignes");
    CHECK_STR(l->recipient.id, "someone");
    CHECK(at(l->recipient.loc, 15, 14));
    CHECK(l->signatory_count == 2);
    if (l->signatory_count == 2) {
        CHECK_STR(l->signatories[0].id, "one");
        CHECK(at(l->signatories[0].loc, 12, 14));
        CHECK_STR(l->signatories[1].id, "two");
        CHECK(at(l->signatories[1].loc, 14, 14));
    }
    CHECK(l->body != NULL);
    CHECK(l->facts->kind == VALUE_LIST && l->facts->count == 2);
    if (l->facts->count == 2) {
        const struct value *a = l->facts->items[0], *b = l->facts->items[1];
        CHECK(a->kind == VALUE_MAP && at(a->loc, 19, 5));
        CHECK_STR(value_map_get(a, "id")->string, "a");
        CHECK(at(value_map_get(a, "id")->loc, 19, 11));
        CHECK_STR(value_map_get(a, "date")->string, "2011-07-30");
        const struct value *dates = value_map_get(a, "dates");
        CHECK(dates->kind == VALUE_LIST && dates->count == 2);
        if (dates->count == 2) {
            CHECK_STR(dates->items[0]->string, "2011-07-30");
            CHECK_STR(dates->items[1]->string, "2011-08-02");
            CHECK(at(dates->loc, 19, 18));
        }
        CHECK_STR(value_map_get(a, "source")->string, "https://example.org/a");
        const struct value *text = value_map_get(a, "text");
        CHECK(text->kind == VALUE_MARKUP && text->markup != NULL);
        CHECK(at(text->loc, 19, 79));
        CHECK(value_map_get(b, "source") == NULL);
        CHECK_STR(value_map_get(b, "dates")->items[0]->string, "2011-12-16");
    }
    letter_free(l);

    l = load_clean("tests/letter/draft.xml");
    if (l) {
        CHECK(l->reference == NULL);
        CHECK(l->facts->count == 0);
        letter_free(l);
    }
}

static void test_examples(void)
{
    struct letter *l = load_clean("letters/kazakhstan-2011.xml");
    if (l) {
        CHECK_STR(l->name, "kazakhstan-2011");
        CHECK_STR(l->reference, "ICEM-IMF11/EN LT/107");
        CHECK_STR(l->date, "2011-09-06");
        CHECK_STR(l->recipient.id, "kz-president-2011");
        CHECK(l->signatory_count == 2);
        if (l->signatory_count == 2)
            CHECK_STR(l->signatories[1].id, "raina");
        CHECK(l->facts->count == 4);
        if (l->facts->count == 4) {
            const struct value *rally = l->facts->items[1];
            CHECK_STR(value_map_get(rally, "id")->string, "rally");
            CHECK(value_map_get(rally, "dates")->count == 2);
            CHECK_STR(value_map_get(l->facts->items[3], "date")->string, "2011-08-24");
        }
        letter_free(l);
    }
    l = load_clean("letters/zhanaozen-2021.xml");
    if (l) {
        CHECK(l->reference == NULL);
        CHECK_STR(l->recipient.id, "kz-president-2021");
        CHECK(l->signatory_count == 3);
        if (l->signatory_count == 3)
            CHECK_STR(l->signatories[2].id, "zhaksybekova");
        CHECK(l->facts->count == 2);
        letter_free(l);
    }
}

static void test_errors(void)
{
    expect_errors("not-letter.xml", "tests/letter/not-letter.xml:2:1: error: the root element "
                                    "must be <letter>, not <memo>\n");
    expect_errors("missing-parts.xml",
                  "tests/letter/missing-parts.xml:2:1: error: missing <date> in <letter>\n"
                  "tests/letter/missing-parts.xml:2:1: error: missing <recipient> in <letter>\n"
                  "tests/letter/missing-parts.xml:2:1: error: missing <signatory> in <letter>\n"
                  "tests/letter/missing-parts.xml:2:1: error: missing <subject> in <letter>\n"
                  "tests/letter/missing-parts.xml:2:1: error: missing <body> in <letter>\n");
    expect_errors("root-attributes.xml",
                  "tests/letter/root-attributes.xml:2:9: error: unknown attribute 'lang' on "
                  "<letter> (expected 'template', 'language' or 'fallback')\n"
                  "tests/letter/root-attributes.xml:2:19: error: empty attribute 'template' on "
                  "<letter>\n"
                  "tests/letter/root-attributes.xml:2:1: error: missing attribute 'language' on "
                  "<letter>\n");
    expect_errors("unknown-element.xml",
                  "tests/letter/unknown-element.xml:6:3: error: unknown element <cc> in <letter> "
                  "(expected reference, series, date, recipient, recipients, signatory, "
                  "subject, facts, body, translation or petition)\n"
                  "tests/letter/unknown-element.xml:9:5: error: unknown element <note> in "
                  "<facts> (expected <fact>)\n");
    expect_errors("unknown-attribute.xml",
                  "tests/letter/unknown-attribute.xml:3:9: error: unknown attribute 'format' on "
                  "<date> (it takes none)\n"
                  "tests/letter/unknown-attribute.xml:4:22: error: unknown attribute 'name' on "
                  "<recipient> (expected 'ref')\n"
                  "tests/letter/unknown-attribute.xml:8:36: error: unknown attribute 'when' on "
                  "<fact> (expected 'id', 'date', 'source', 'countries' or 'groups')\n"
                  "tests/letter/unknown-attribute.xml:10:9: error: unknown attribute 'class' on "
                  "<body> (it takes none)\n");
    expect_errors("duplicates.xml",
                  "tests/letter/duplicates.xml:4:3: error: duplicate <date> (first at line 3)\n"
                  "tests/letter/duplicates.xml:6:3: error: duplicate <recipient> (first at line "
                  "5)\n"
                  "tests/letter/duplicates.xml:8:14: error: signatory 's' is listed twice (first "
                  "at line 7)\n"
                  "tests/letter/duplicates.xml:12:11: error: duplicate fact id 'f' (first at "
                  "line 11)\n");
    expect_errors("bad-dates.xml",
                  "tests/letter/bad-dates.xml:4:5: error: invalid date '2011-02-29' (expected a "
                  "real day as yyyy-mm-dd)\n"
                  "tests/letter/bad-dates.xml:10:18: error: invalid date '2011-13-10' in the "
                  "fact's date (expected real days as yyyy-mm-dd, separated by spaces)\n"
                  "tests/letter/bad-dates.xml:11:18: error: invalid date '8' in the fact's date "
                  "(expected real days as yyyy-mm-dd, separated by spaces)\n");
    expect_errors("text-only.xml",
                  "tests/letter/text-only.xml:3:3: error: empty <reference>\n"
                  "tests/letter/text-only.xml:7:18: error: <subject> holds plain text only, not "
                  "<em>\n");
    expect_errors("stray-text.xml",
                  "tests/letter/stray-text.xml:3:3: error: unexpected text in <letter>\n"
                  "tests/letter/stray-text.xml:5:22: error: <recipient> must be empty: the "
                  "person is named by its ref\n"
                  "tests/letter/stray-text.xml:6:3: error: missing attribute 'ref' on "
                  "<signatory>\n"
                  "tests/letter/stray-text.xml:8:10: error: unexpected text in <facts>\n"
                  "tests/letter/stray-text.xml:10:3: error: unexpected processing instruction "
                  "<?render?> in <letter>\n");
    expect_errors("bad-facts.xml",
                  "tests/letter/bad-facts.xml:5:14: error: empty attribute 'ref' on "
                  "<signatory>\n"
                  "tests/letter/bad-facts.xml:8:11: error: invalid fact id 'a b' (use letters, "
                  "digits, '-' and '_')\n"
                  "tests/letter/bad-facts.xml:9:36: error: empty attribute 'source' on <fact> "
                  "(leave it out instead)\n"
                  "tests/letter/bad-facts.xml:10:5: error: missing attribute 'date' on <fact>\n"
                  "tests/letter/bad-facts.xml:11:18: error: empty attribute 'date' on <fact>\n"
                  "tests/letter/bad-facts.xml:12:5: error: empty <fact>: its text says what "
                  "happened\n"
                  "tests/letter/bad-facts.xml:14:3: error: empty <body>\n");
    expect_errors("namespace.xml", "tests/letter/namespace.xml:7:3: error: unexpected element "
                                   "<x:extra> (namespaces are not used in letters)\n");
    /* Markup is compiled by tmpl.c: its messages, at the places letter.c
     * hands it (each fact's text, then the body with the facts known). */
    expect_errors("markup-errors.xml",
                  "tests/letter/markup-errors.xml:8:38: error: unknown element <b> (did you mean "
                  "<p>?)\n"
                  "tests/letter/markup-errors.xml:9:45: error: unclosed '{{' (no matching "
                  "'}}')\n"
                  "tests/letter/markup-errors.xml:10:38: error: <p> is not allowed in a letter's "
                  "<fact>\n"
                  "tests/letter/markup-errors.xml:14:11: error: unknown fact 'nope'\n"
                  "tests/letter/markup-errors.xml:15:5: error: unknown element <table>\n");
    expect_errors("malformed.xml",
                  "tests/letter/malformed.xml:4:10: error: opening and ending tag mismatch: "
                  "signatory line 3 and letter\n"
                  "tests/letter/malformed.xml:5:1: error: premature end of data in tag letter "
                  "line 2\n");
    expect_errors("does-not-exist.xml", "tests/letter/does-not-exist.xml: error: cannot read "
                                        "file: No such file or directory\n");
}

/* <petition>: the CSV beside the letter, the column mapping, show= and
 * group-by=, and every mistake in them. */
static void test_petition(void)
{
    struct letter *l = load_clean("tests/letter/petition.xml");
    const struct letter_petition *p = l ? l->petition : NULL;
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->signers, "tests/letter/petitions/list.csv");
        CHECK(at(p->signers_loc, 7, 13));
        CHECK(p->group_by == LETTER_GROUP_COUNTRY);
        CHECK(p->show_count == 3);
        if (p->show_count == 3) {
            CHECK_STR(p->show[0], "name");
            CHECK_STR(p->show[1], "city");
            CHECK_STR(p->show[2], "union");
        }
        CHECK(p->column_count == 6);
        if (p->column_count == 6) {
            CHECK_STR(p->columns[1].field, "city");
            CHECK_STR(p->columns[1].header, "Town");
            CHECK(at(p->columns[1].loc, 9, 5));
            CHECK_STR(p->columns[4].organisation, "Org");
            CHECK_STR(p->columns[4].individual, "Person");
            CHECK(p->columns[5].field == NULL);
            CHECK_STR(p->columns[5].header, "Comment");
        }
    }
    letter_free(l);
    /* A letter that is not a petition has none; show= defaults to the
     * descriptive fields that have a column. */
    l = load_clean("letters/kazakhstan-2011.xml");
    CHECK(l && l->petition == NULL);
    letter_free(l);
    l = load_clean("letters/petition-2022.xml");
    p = l ? l->petition : NULL;
    CHECK(p && p->group_by == LETTER_GROUP_TYPE && p->show_count == 5);
    if (p && p->show_count == 5)
        CHECK_STR(p->show[4], "country");
    letter_free(l);
    expect_errors(
        "petition-errors.xml",
        "tests/letter/petition-errors.xml:7:53: error: unknown attribute 'sort' on <petition> "
        "(expected 'signers', 'group-by' or 'show')\n"
        "tests/letter/petition-errors.xml:7:3: error: missing attribute 'signers' on "
        "<petition>\n"
        "tests/letter/petition-errors.xml:8:13: error: invalid field name 'City' (use lower-case "
        "letters, digits, '-' and '_')\n"
        "tests/letter/petition-errors.xml:9:5: error: 'organisation' and 'individual' belong on "
        "the column of field 'type', not 'city'\n"
        "tests/letter/petition-errors.xml:10:5: error: field 'city' is mapped twice (first at "
        "line 9)\n"
        "tests/letter/petition-errors.xml:11:5: error: column 'Ville' is mapped twice (first at "
        "line 9)\n"
        "tests/letter/petition-errors.xml:12:5: error: missing attribute 'field' on <column>\n"
        "tests/letter/petition-errors.xml:13:5: error: <ignore> must be empty: it names a "
        "column by its attributes\n"
        "tests/letter/petition-errors.xml:14:5: error: unknown element <row> in <petition> "
        "(expected column or ignore)\n"
        "tests/letter/petition-errors.xml:7:3: error: missing <column field=\"name\"> in "
        "<petition>: every signer needs a name\n"
        "tests/letter/petition-errors.xml:7:13: error: unknown group-by 'town' (expected type, "
        "country or none)\n"
        "tests/letter/petition-errors.xml:7:29: error: 'email' cannot be shown: e-mail "
        "addresses are never printed\n"
        "tests/letter/petition-errors.xml:7:29: error: 'phone' in show is not a field of any "
        "<column>\n"
        "tests/letter/petition-errors.xml:7:29: error: show must start with 'name': an entry "
        "begins with the signer's name\n"
        "tests/letter/petition-errors.xml:16:3: error: duplicate <petition> (first at line 7)\n");
    expect_errors("petition-country.xml",
                  "tests/letter/petition-country.xml:7:32: error: group-by=\"country\" needs a "
                  "<column field=\"country\">\n");
}

CHECK_MAIN("letter", test_dates(); test_good(); test_examples(); test_errors(); test_petition())
