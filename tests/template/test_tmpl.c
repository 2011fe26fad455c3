/* test_tmpl.c — the template language: each
 * feature applied to a small template and data, compared with an exact
 * dump of the document tree; each mistake compared with its exact
 * "file:line:col: error: message". Runs in a fresh temporary folder so
 * file names in messages are short and stable. */
#include "check.h"
#include "support.h"
#include "buffer.h"
#include "doc.h"
#include "tmpl.h"
#include "xmldoc.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char project_root[4096];
static struct arena *data; /* values for scopes, freed at the end */

/* ---- helpers ----------------------------------------------------------- */

static struct source_loc at_line(int line)
{
    return (struct source_loc){.file = "data.ini", .line = line, .column = 1};
}

static struct value *str(const char *s)
{
    return value_string(data, s, at_line(0));
}

static struct value *str_at(const char *s, int line)
{
    return value_string(data, s, at_line(line));
}

static struct value *map(void)
{
    return value_map(data, at_line(0));
}

static struct value *list_of(const char *const *items, size_t n)
{
    struct value *l = value_list(data, at_line(0));
    for (size_t i = 0; i < n; i++)
        value_list_push(data, l, str(items[i]));
    return l;
}

static void set(struct value *m, const char *key, struct value *v)
{
    value_map_set(data, m, key, v);
}

/* The usual scope: a recipient, a letter, two signatories. */
static struct value *sample_scope(void)
{
    struct value *scope = map();
    struct value *recipient = map();
    set(recipient, "name", str_at("Nursultan Nazarbaev", 3));
    set(recipient, "title", str_at("President of Republic of Kazakhstan", 4));
    set(recipient, "honorific", str("Mr."));
    set(recipient, "salutation", str("Dear Mr. President"));
    set(recipient, "country", str("KZ"));
    set(recipient, "address", value_list(data, at_line(0)));
    set(scope, "recipient", recipient);
    struct value *letter = map();
    set(letter, "reference", str("ICEM-IMF11/EN LT/107"));
    set(letter, "date", str("2011-09-06"));
    set(letter, "draft", str(""));
    set(scope, "letter", letter);
    struct value *signatories = value_list(data, at_line(0));
    const char *names[][2] = {{"Manfred Warda", "ICEM General Secretary"},
                              {"Jyrki Raina", "IMF General Secretary"}};
    for (size_t i = 0; i < 2; i++) {
        struct value *s = map();
        set(s, "name", str(names[i][0]));
        set(s, "title", str(names[i][1]));
        value_list_push(data, signatories, s);
    }
    set(scope, "signatories", signatories);
    return scope;
}

static void dump_inlines(struct buffer *b, const struct doc_inline *in)
{
    for (; in; in = in->next) {
        switch (in->kind) {
        case DOC_TEXT:
            buffer_puts(b, in->text);
            break;
        case DOC_EMPHASIS:
        case DOC_STRONG:
        case DOC_QUOTE: {
            const char *tag = in->kind == DOC_EMPHASIS ? "em"
                              : in->kind == DOC_STRONG ? "strong"
                                                       : "q";
            buffer_printf(b, "<%s>", tag);
            dump_inlines(b, in->first_child);
            buffer_printf(b, "</%s>", tag);
            break;
        }
        case DOC_LINEBREAK:
            buffer_puts(b, "<br/>");
            break;
        }
    }
}

/* One line per block, "kind: text" (collapsed, with quotation marks), or
 * with raw inline structure when raw is set; children indented. */
static void dump_block(struct buffer *b, struct arena *a, const struct doc_block *block, int depth,
                       bool raw)
{
    for (const struct doc_block *k = block->first_child; k; k = k->next) {
        buffer_repeat(b, ' ', (size_t)depth * 2);
        buffer_puts(b, doc_block_kind_name(k->kind));
        if (k->image)
            buffer_printf(b, " [%s]", k->image);
        if (k->first_inline) {
            buffer_puts(b, ": ");
            if (raw)
                dump_inlines(b, k->first_inline);
            else
                buffer_puts(b, doc_plain_text(a, k, "en"));
        }
        buffer_putc(b, '\n');
        dump_block(b, a, k, depth + 1, raw);
    }
}

static char *render(const struct tmpl *t, const struct value *scope, const char *locale,
                    const struct tmpl_node *body, bool raw)
{
    struct errors errors = {0};
    struct doc_document *doc = doc_new("en");
    struct tmpl_env env = {.scope = scope, .language = "en", .locale = locale, .body = body};
    char *out;
    if (tmpl_apply(t, &env, doc, &errors) != 0) {
        out = errors_text(&errors);
    } else {
        struct buffer b = {0};
        struct arena *a = arena_new();
        dump_block(&b, a, doc->root, 0, raw);
        arena_free(a);
        out = strdup(b.data ? b.data : "");
        buffer_free(&b);
    }
    errors_clear(&errors);
    doc_free(doc);
    return out;
}

/* Writes the template, loads and applies it; dump or error messages. */
static char *run_template(const char *source, const struct value *scope, const char *locale)
{
    write_file("t.xml", source);
    struct errors errors = {0};
    struct tmpl *t = tmpl_load("t.xml", &errors);
    char *out = t ? render(t, scope, locale, NULL, false) : errors_text(&errors);
    tmpl_free(t);
    errors_clear(&errors);
    return out;
}

#define EXPECT(source, scope, expected)                                                            \
    do {                                                                                           \
        char *out_ = run_template(source, scope, "en_GB");                                         \
        CHECK_STR(out_, expected);                                                                 \
        free(out_);                                                                                \
    } while (0)

#define EXPECT_LOCALE(source, scope, locale, expected)                                             \
    do {                                                                                           \
        char *out_ = run_template(source, scope, locale);                                          \
        CHECK_STR(out_, expected);                                                                 \
        free(out_);                                                                                \
    } while (0)

/* A one-paragraph template around an expression. */
#define P(inner) "<template><p>" inner "</p></template>"

/* ---- features ---------------------------------------------------------- */

static void test_substitution(void)
{
    struct value *scope = sample_scope();
    EXPECT(P("Dear {{ recipient.name }},"), scope, "paragraph: Dear Nursultan Nazarbaev,\n");
    EXPECT(P("{{ 'quoted' }} and {{ \"double\" }}"), scope, "paragraph: quoted and double\n");
    /* Data is text, never template code. */
    struct value *s = map();
    set(s, "name", str("{{ recipient.name }} & <b>"));
    EXPECT(P("{{ name }}"), s, "paragraph: {{ recipient.name }} & <b>\n");
    /* A literal brace pair can be written as a quoted literal. */
    EXPECT(P("{{ '{{' }} x {{ '}}' }}"), s, "paragraph: {{ x }}\n");
    /* Entities and character references are ordinary text. */
    EXPECT(P("A &amp; B &#8212; {{ 'c' }}"), s, "paragraph: A & B \u2014 c\n");
}

static void test_filters_date(void)
{
    struct value *scope = sample_scope();
    EXPECT(P("{{ letter.date | date:'long' }}"), scope, "paragraph: 6 September 2011\n");
    EXPECT(P("{{ letter.date | date }}"), scope, "paragraph: 6 September 2011\n");
    EXPECT(P("{{ letter.date | date:long }}"), scope, "paragraph: 6 September 2011\n");
    EXPECT(P("{{ letter.date | date:'full' }}"), scope, "paragraph: Tuesday, 6 September 2011\n");
    EXPECT(P("{{ letter.date | date:'short' }}"), scope, "paragraph: 06/09/2011\n");
    EXPECT(P("{{ letter.date | date:'MMMM d' }}"), scope, "paragraph: September 6\n");
    EXPECT_LOCALE(P("{{ letter.date | date:'long' }}"), scope, "en_US",
                  "paragraph: September 6, 2011\n");
    EXPECT_LOCALE(P("{{ letter.date | date:'long' }}"), scope, "fr_FR",
                  "paragraph: 6 septembre 2011\n");
    EXPECT_LOCALE(P("{{ letter.date | date:'long' }}"), scope, "de_DE",
                  "paragraph: 6. September 2011\n");
    EXPECT_LOCALE(P("{{ letter.date | date:'d MMMM y' }}"), scope, "ru_RU",
                  "paragraph: 6 сентября 2011\n");
}

static void test_filters_dates(void)
{
    struct value *scope = map();
    const char *same[] = {"2011-07-08", "2011-07-10"};
    const char *three[] = {"2011-07-08", "2011-07-09", "2011-07-10"};
    const char *apart[] = {"2011-07-30", "2011-08-02"};
    const char *one[] = {"2011-08-24"};
    set(scope, "same", list_of(same, 2));
    set(scope, "three", list_of(three, 3));
    set(scope, "apart", list_of(apart, 2));
    set(scope, "one", list_of(one, 1));
    set(scope, "single", str("2011-08-08"));
    EXPECT(P("{{ same | dates:'MMMM d' }}"), scope, "paragraph: July 8 and 10\n");
    EXPECT(P("{{ three | dates:'MMMM d' }}"), scope, "paragraph: July 8, 9 and 10\n");
    EXPECT(P("{{ apart | dates:'MMMM d' }}"), scope, "paragraph: July 30 and August 2\n");
    EXPECT(P("{{ one | dates:'MMMM d' }}"), scope, "paragraph: August 24\n");
    EXPECT(P("{{ single | dates:'MMMM d' }}"), scope, "paragraph: August 8\n");
    /* Day before month: the month goes with the last day of a run. */
    EXPECT(P("{{ same | dates:'d MMMM' }}"), scope, "paragraph: 8 and 10 July\n");
    EXPECT(P("{{ same | dates }}"), scope, "paragraph: 8 and 10 July 2011\n");
    EXPECT_LOCALE(P("{{ same | dates:'d MMMM' }}"), scope, "fr_FR", "paragraph: 8 et 10 juillet\n");
    EXPECT_LOCALE(P("{{ same | dates:'d MMMM' }}"), scope, "ru_RU", "paragraph: 8 и 10 июля\n");
    EXPECT_LOCALE(P("{{ same | dates:\"d 'de' MMMM\" }}"), scope, "es_ES",
                  "paragraph: 8 y 10 de julio\n");
    EXPECT_LOCALE(P("{{ apart | dates:'d. MMMM' }}"), scope, "de_DE",
                  "paragraph: 30. Juli und 2. August\n");
    /* The shared month keeps each locale's own order and punctuation. */
    EXPECT_LOCALE(P("{{ same | dates }}"), scope, "de_DE", "paragraph: 8. und 10. Juli 2011\n");
    EXPECT_LOCALE(P("{{ same | dates }}"), scope, "en", "paragraph: July 8 and 10, 2011\n");
    EXPECT_LOCALE(P("{{ same | dates }}"), scope, "kk_KZ",
                  "paragraph: 2011\u202Fж. 8 және 10 шілде\n");
    EXPECT_LOCALE(P("{{ same | dates }}"), scope, "ru_RU", "paragraph: 8 и 10 июля 2011\u202Fг.\n");
    /* Weekdays and numeric months: every date in full. */
    EXPECT(P("{{ same | dates:'full' }}"), scope,
           "paragraph: Friday, 8 July 2011 and Sunday, 10 July 2011\n");
    EXPECT(P("{{ same | dates:'short' }}"), scope, "paragraph: 08/07/2011 and 10/07/2011\n");
    EXPECT(P("{{ three | dates:'d MMMM' }} / {{ apart | dates:'d MMMM' }}"), scope,
           "paragraph: 8, 9 and 10 July / 30 July and 2 August\n");
    /* The first of the month is "1er" in French, alone, in a shared month
     * and after a weekday; never in numbers, never in other languages. */
    const char *firsts[] = {"2011-09-01", "2011-09-08"};
    const char *across[] = {"2011-08-30", "2011-09-01"};
    const char *eleven[] = {"2011-09-11", "2011-09-21"};
    set(scope, "firsts", list_of(firsts, 2));
    set(scope, "across", list_of(across, 2));
    set(scope, "eleven", list_of(eleven, 2));
    set(scope, "first", str("2011-09-01"));
    EXPECT_LOCALE(P("{{ first | date:'long' }}"), scope, "fr_FR",
                  "paragraph: 1er septembre 2011\n");
    EXPECT_LOCALE(P("{{ first | date:'full' }}"), scope, "fr_FR",
                  "paragraph: jeudi 1er septembre 2011\n");
    EXPECT_LOCALE(P("{{ first | date:'long' }}"), scope, "fr_BE",
                  "paragraph: 1er septembre 2011\n");
    EXPECT_LOCALE(P("{{ first | date:'short' }}"), scope, "fr_FR", "paragraph: 01/09/2011\n");
    EXPECT_LOCALE(P("{{ first | date:'d/M/y' }}"), scope, "fr_FR", "paragraph: 1/9/2011\n");
    EXPECT_LOCALE(P("{{ firsts | dates:'d MMMM' }}"), scope, "fr_FR",
                  "paragraph: 1er et 8 septembre\n");
    EXPECT_LOCALE(P("{{ across | dates:'d MMMM' }}"), scope, "fr_FR",
                  "paragraph: 30 août et 1er septembre\n");
    EXPECT_LOCALE(P("{{ eleven | dates:'d MMMM' }}"), scope, "fr_FR",
                  "paragraph: 11 et 21 septembre\n");
    EXPECT_LOCALE(P("{{ firsts | dates:\"d 'de' MMMM\" }}"), scope, "es_ES",
                  "paragraph: 1 y 8 de septiembre\n");
    EXPECT_LOCALE(P("{{ first | date:'long' }}"), scope, "es_ES",
                  "paragraph: 1 de septiembre de 2011\n");
    EXPECT_LOCALE(P("{{ first | date:'long' }}"), scope, "de_DE", "paragraph: 1. September 2011\n");
    EXPECT_LOCALE(P("{{ first | date:'long' }}"), scope, "en_GB", "paragraph: 1 September 2011\n");
    /* A pattern ICU accepts but prints nothing for is an error, not "". */
    EXPECT(P("{{ single | date:\"'\" }}"), scope,
           "t.xml:1:14: error: invalid date format ''' for locale 'en_GB'\n");
}

static void test_filters_text(void)
{
    struct value *scope = sample_scope();
    set(scope, "german", str("Straße"));
    set(scope, "turkish", str("istanbul"));
    set(scope, "cyrillic", str("Қазақстан"));
    EXPECT(P("{{ recipient.name | upper }}"), scope, "paragraph: NURSULTAN NAZARBAEV\n");
    EXPECT(P("{{ recipient.name | lower }}"), scope, "paragraph: nursultan nazarbaev\n");
    EXPECT(P("{{ german | upper }}"), scope, "paragraph: STRASSE\n");
    EXPECT(P("{{ cyrillic | upper }}"), scope, "paragraph: ҚАЗАҚСТАН\n");
    EXPECT_LOCALE(P("{{ turkish | upper }}"), scope, "tr_TR", "paragraph: İSTANBUL\n");
    EXPECT(P("{{ signatories | map:name | join }}"), scope,
           "paragraph: Manfred Warda, Jyrki Raina\n");
    EXPECT(P("{{ signatories | map:title | join:' / ' }}"), scope,
           "paragraph: ICEM General Secretary / IMF General Secretary\n");
    EXPECT(P("{{ signatories | count }} {{ recipient | count }}"), scope, "paragraph: 2 6\n");
    EXPECT(P("{{ signatories | map:name | first }}; {{ signatories | map:name | last }}"), scope,
           "paragraph: Manfred Warda; Jyrki Raina\n");
    EXPECT(P("{{ signatories | first | count }}"), scope, "paragraph: 2\n");
}

static void test_filters_take_skip(void)
{
    struct value *scope = sample_scope();
    const char *names[] = {"A", "B", "C", "D", "E"};
    set(scope, "orgs", list_of(names, 5));
    EXPECT(P("{{ orgs | take:2 | join:'; ' }}"), scope, "paragraph: A; B\n");
    EXPECT(P("{{ orgs | skip:2 | join:'; ' }}"), scope, "paragraph: C; D; E\n");
    EXPECT(P("{{ orgs | take:5 | join }} / {{ orgs | take:40 | join }}"), scope,
           "paragraph: A, B, C, D, E / A, B, C, D, E\n");
    EXPECT(P("[{{ orgs | skip:5 | count }}] [{{ orgs | skip:40 | join }}] [{{ orgs | take:0 | "
             "join }}]"),
           scope, "paragraph: [0] [] []\n");
    EXPECT(P("{{ orgs | take:'3' | last }} {{ orgs | skip:04 | first }}"), scope,
           "paragraph: C E\n");
    /* "The first 3, and 2 more": the petition template's words. */
    EXPECT(P("{{ orgs | take:3 | join:'; ' }}<if test=\"orgs | skip:3\">; and {{ orgs | skip:3 | "
             "count | number }} more <if test=\"orgs | skip:3 | count == '1'\">organisation<else/>"
             "organisations</if></if>."),
           scope, "paragraph: A; B; C; and 2 more organisations.\n");
    EXPECT(P("{{ orgs | take:4 | join:'; ' }}<if test=\"orgs | skip:4\">; and {{ orgs | skip:4 | "
             "count | number }} more <if test=\"orgs | skip:4 | count == '1'\">organisation<else/>"
             "organisations</if></if>."),
           scope, "paragraph: A; B; C; D; and 1 more organisation.\n");
    EXPECT(P("{{ orgs | take:5 | join:'; ' }}<if test=\"orgs | skip:5\">; and more</if>."), scope,
           "paragraph: A; B; C; D; E.\n");
}

static void test_filter_default(void)
{
    struct value *scope = sample_scope();
    EXPECT(P("{{ letter.reference | default:'DRAFT' }}"), scope,
           "paragraph: ICEM-IMF11/EN LT/107\n");
    EXPECT(P("{{ letter.draft | default:'empty' }}"), scope, "paragraph: empty\n");
    EXPECT(P("{{ letter.missing | default:'DRAFT' }}"), scope, "paragraph: DRAFT\n");
    EXPECT(P("[{{ recipient.address | default:'' }}]"), scope, "paragraph: []\n");
    EXPECT(P("{{ recipient.address | first | default:'none' }}"), scope, "paragraph: none\n");
    EXPECT(P("{{ letter.missing | upper | default:'skipped' }}"), scope, "paragraph: skipped\n");
    EXPECT(P("{{ nothing | default:'top' }}"), scope, "paragraph: top\n");
}

static void test_each(void)
{
    struct value *scope = sample_scope();
    EXPECT("<template><signatures><each in=\"signatories\" as=\"s\">"
           "<signature><line>{{ loop.index }}. {{ s.name }}</line>"
           "<line>first={{ loop.first }} last={{ loop.last }}</line></signature>"
           "</each></signatures></template>",
           scope,
           "signatures\n"
           "  signature\n"
           "    line: 1. Manfred Warda\n"
           "    line: first=yes last=\n"
           "  signature\n"
           "    line: 2. Jyrki Raina\n"
           "    line: first= last=yes\n");
    /* Inline each, nested loops shadowing loop, and an empty list. */
    const char *xs[] = {"a", "b"};
    set(scope, "xs", list_of(xs, 2));
    EXPECT(P("<each in=\"xs\" as=\"x\">{{ x }}<each in=\"xs\" as=\"y\">{{ loop.index }}</each>"
             "<if test=\"not loop.last\">,</if></each>"
             "<each in=\"recipient.address\" as=\"l\">never</each>"),
           scope, "paragraph: a12,b12\n");
}

static void test_if(void)
{
    struct value *scope = sample_scope();
    EXPECT(P("<if test=\"recipient.title\">T</if><if test=\"letter.draft\">D<else/>no draft</if>"),
           scope, "paragraph: Tno draft\n");
    EXPECT(P("<if test=\"recipient.country == 'KZ'\">kz</if>"
             "<if test=\"recipient.country != 'KZ'\">other<else/>-</if>"
             "<if test=\"not letter.draft\">+</if>"
             "<if test=\"not recipient.country == 'FR'\">!fr</if>"),
           scope, "paragraph: kz-+!fr\n");
    EXPECT(P("<if test=\"letter.missing | default:''\">x<else/>defaulted</if>"), scope,
           "paragraph: defaulted\n");
    EXPECT(P("{{ recipient.country == 'KZ' }}|{{ recipient.country == 'FR' }}|"), scope,
           "paragraph: yes||\n");
    /* if and each work between blocks too. */
    EXPECT("<template>\n  <if test=\"letter.reference\">\n    <reference>Ref: "
           "{{ letter.reference }}</reference>\n  <else/>\n    <reference>DRAFT</reference>\n"
           "  </if>\n</template>\n",
           scope, "reference: Ref: ICEM-IMF11/EN LT/107\n");
}

static void test_blocks_and_whitespace(void)
{
    struct value *scope = sample_scope();
    EXPECT("<template>\n"
           "  <!-- comments are fine -->\n"
           "  <letterhead><line logo=\"logos/{{ 'icem' }}.png\">ICEM</line>"
           "<line logo=\"{{ letter.draft }}\">IMF</line></letterhead>\n"
           "  <reference>Ref:   {{ letter.reference }}  </reference>\n"
           "  <date>{{ letter.date | date:'long' }}</date>\n"
           "  <address>\n    <line>{{ recipient.name }}</line>\n  </address>\n"
           "  <subject>About it</subject>\n"
           "  <salutation>{{ recipient.salutation }},</salutation>\n"
           "  <p>\n    One\n    two <em>three</em>\n  </p>\n"
           "  <closing>Yours faithfully,</closing>\n"
           "  <signatures><signature image=\"sig.png\"><line>A</line></signature>"
           "</signatures>\n"
           "</template>\n",
           scope,
           "letterhead\n"
           "  line [logos/icem.png]: ICEM\n"
           "  line: IMF\n"
           "reference: Ref: ICEM-IMF11/EN LT/107\n"
           "date: 6 September 2011\n"
           "address\n"
           "  line: Nursultan Nazarbaev\n"
           "subject: About it\n"
           "salutation: Dear Mr. President,\n"
           "paragraph: One two three\n"
           "closing: Yours faithfully,\n"
           "signatures\n"
           "  signature [sig.png]\n"
           "    line: A\n");
}

static void test_inline_structure(void)
{
    struct value *scope = sample_scope();
    write_file("t.xml", P("a <em>b <strong>c</strong></em> <q>d <q>e</q></q><br/>f"));
    struct errors errors = {0};
    struct tmpl *t = tmpl_load("t.xml", &errors);
    CHECK(t != NULL);
    if (!t)
        return;
    char *raw = render(t, scope, "en_GB", NULL, true);
    CHECK_STR(raw, "paragraph: a <em>b <strong>c</strong></em> <q>d <q>e</q></q><br/>f\n");
    free(raw);
    char *plain = render(t, scope, "en_GB", NULL, false);
    CHECK_STR(plain, "paragraph: a b c \u201Cd \u2018e\u2019\u201D\nf\n");
    free(plain);
    tmpl_free(t);
}

/* Text inlines point at their source: data values at their file:line,
 * template text at its own line:column. */
static void test_locations(void)
{
    struct value *scope = sample_scope();
    write_file("t.xml", "<template>\n  <p>Dear\n {{ recipient.name }} and &amp; "
                        "{{ 'lit' }}</p>\n</template>\n");
    struct errors errors = {0};
    struct tmpl *t = tmpl_load("t.xml", &errors);
    CHECK(t != NULL);
    if (!t)
        return;
    struct doc_document *doc = doc_new("en");
    struct tmpl_env env = {.scope = scope, .language = "en", .locale = "en_GB"};
    CHECK(tmpl_apply(t, &env, doc, &errors) == 0);
    char buf[512] = "";
    for (const struct doc_inline *in = doc->root->first_child->first_inline; in; in = in->next)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "[%s %s:%d:%d]", in->text,
                 in->loc.file, in->loc.line, in->loc.column);
    /* The entity makes raw and decoded text differ: pieces then point at
     * the first text, and each expression at its own '{{'. */
    CHECK_STR(buf, "[Dear\n  t.xml:2:6][Nursultan Nazarbaev data.ini:3:1][ and &  t.xml:2:6]"
                   "[lit t.xml:3:33]");
    doc_free(doc);
    tmpl_free(t);
    write_file("t.xml", "<template>\n  <p>Dear\n {{ recipient.name }}, <em>x</em> yes</p>\n"
                        "</template>\n");
    t = tmpl_load("t.xml", &errors);
    doc = doc_new("en");
    CHECK(t && tmpl_apply(t, &env, doc, &errors) == 0);
    buf[0] = '\0';
    for (const struct doc_inline *in = doc->root->first_child->first_inline; in; in = in->next)
        if (in->kind == DOC_TEXT)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "[%s %d:%d]", in->text,
                     in->loc.line, in->loc.column);
    CHECK_STR(buf, "[Dear\n  2:6][Nursultan Nazarbaev 3:1][,  3:22][ yes 3:35]");
    CHECK(errors.count == 0);
    doc_free(doc);
    tmpl_free(t);
    errors_clear(&errors);
}

static void test_include(void)
{
    struct value *scope = sample_scope();
    mkdir("parts", 0755);
    write_file("parts/closing.xml", "<template>\n  <closing>Yours faithfully,</closing>\n"
                                    "  <include src=\"sig.xml\"/>\n</template>\n");
    write_file("parts/sig.xml", "<template><signatures><each in=\"signatories\" as=\"s\">"
                                "<signature><line>{{ s.name }}</line></signature></each>"
                                "</signatures></template>");
    write_file("parts/line.xml", "<template>{{ recipient.name | upper }}</template>");
    EXPECT("<template><p>Hi <include src=\"parts/line.xml\"/>!</p>"
           "<include src=\"parts/closing.xml\"/></template>",
           scope,
           "paragraph: Hi NURSULTAN NAZARBAEV!\n"
           "closing: Yours faithfully,\n"
           "signatures\n"
           "  signature\n"
           "    line: Manfred Warda\n"
           "  signature\n"
           "    line: Jyrki Raina\n");
}

/* A letter: facts and a body compiled as markup, placed by the template. */
static void test_letter_markup(void)
{
    struct value *scope = sample_scope();
    write_file("letter.xml",
               "<letter>\n"
               "<fact>Natalia Sokolova was jailed for <q>inciting social hatred</q> "
               "by {{ recipient.title }}.</fact>\n"
               "<body>\n"
               "  <p>On behalf of <em>45 million</em> workers.</p>\n"
               "  <fact ref=\"sokolova\"/>\n"
               "  <if test=\"recipient.country == 'KZ'\"><p>Kazakhstan only.</p></if>\n"
               "</body>\n</letter>\n");
    struct arena *arena = arena_new();
    struct errors errors = {0};
    struct xmldoc *xml = xmldoc_load(arena, "letter.xml", PATH_TEMPLATE, &errors);
    CHECK(xml != NULL);
    if (!xml)
        return;
    const xmlNode *root = xmlDocGetRootElement(xml->doc);
    const xmlNode *fact_el = xmlFirstElementChild((xmlNode *)root);
    const xmlNode *body_el = xmlNextElementSibling((xmlNode *)fact_el);
    const struct tmpl_node *text = tmpl_compile_markup(arena, xml, fact_el, false, NULL, &errors);
    CHECK(text != NULL);
    struct value *facts = value_map(arena, (struct source_loc){0});
    struct value *fact = value_map(arena, (struct source_loc){0});
    const char *dates[] = {"2011-08-08"};
    value_map_set(arena, fact, "id", str("sokolova"));
    value_map_set(arena, fact, "dates", list_of(dates, 1));
    value_map_set(arena, fact, "text", value_markup(arena, text, xmldoc_node_loc(xml, fact_el)));
    value_map_set(arena, facts, "sokolova", fact);
    const struct tmpl_node *body = tmpl_compile_markup(arena, xml, body_el, true, facts, &errors);
    CHECK(body != NULL);
    xmldoc_free(xml);
    CHECK(errors.count == 0);

    write_file("t.xml", "<template>\n  <salutation>{{ recipient.salutation }},</salutation>\n"
                        "  <body/>\n  <closing>Bye</closing>\n"
                        "  <define name=\"fact\"><p>On {{ fact.dates | dates:'MMMM d' }} "
                        "{{ fact.text }}</p></define>\n</template>\n");
    struct tmpl *t = tmpl_load("t.xml", &errors);
    CHECK(t != NULL);
    char *out = t ? render(t, scope, "en_GB", body, true) : NULL;
    CHECK_STR(out, "salutation: Dear Mr. President,\n"
                   "paragraph: On behalf of <em>45 million</em> workers.\n"
                   "paragraph: On August 8 Natalia Sokolova was jailed for <q>inciting social "
                   "hatred</q> by President of Republic of Kazakhstan.\n"
                   "paragraph: Kazakhstan only.\n"
                   "closing: Bye\n");
    free(out);
    tmpl_free(t);

    /* Without <define name="fact"> the fact cannot be printed. */
    write_file("t.xml", "<template><body/></template>");
    t = tmpl_load("t.xml", &errors);
    out = t ? render(t, scope, "en_GB", body, true) : NULL;
    CHECK_STR(out, "letter.xml:5:3: error: fact 'sokolova' cannot be printed: template 't.xml' "
                   "has no <define name=\"fact\">\n");
    free(out);
    tmpl_free(t);

    /* A letter with a body needs a template that places it. */
    write_file("t.xml", "<template><closing>Bye</closing></template>");
    t = tmpl_load("t.xml", &errors);
    out = t ? render(t, scope, "en_GB", body, true) : NULL;
    CHECK_STR(out, "t.xml: error: template has no <body/>: the letter's text would not be "
                   "printed\n");
    free(out);
    tmpl_free(t);

    /* A fact whose text substitutes itself is stopped, not looped. */
    write_file("self.xml", "<letter><fact>again {{ fact.text }}</fact></letter>");
    xml = xmldoc_load(arena, "self.xml", PATH_TEMPLATE, &errors);
    const xmlNode *self_el = xmlFirstElementChild(xmlDocGetRootElement(xml->doc));
    value_map_set(arena, fact, "text",
                  value_markup(arena,
                               tmpl_compile_markup(arena, xml, self_el, false, NULL, &errors),
                               (struct source_loc){0}));
    xmldoc_free(xml);
    write_file("t.xml", "<template><body/><define name=\"fact\"><p>{{ fact.text }}</p>"
                        "</define></template>");
    t = tmpl_load("t.xml", &errors);
    out = t ? render(t, scope, "en_GB", body, true) : NULL;
    CHECK_STR(out, "self.xml:1:21: error: markup refers to itself (nested 16 deep)\n");
    free(out);
    tmpl_free(t);
    CHECK(errors.count == 0);
    errors_clear(&errors);
    arena_free(arena);
}

/* Image paths typed in a template are relative to the workspace root;
 * paths that come from data arrive resolved and are kept as they are. */
static void test_image_paths(void)
{
    struct value *scope = sample_scope();
    write_file("t.xml", "<template><signatures>"
                        "<signature image=\"letters/sig.png\"><line>a</line></signature>"
                        "<signature image=\"{{ recipient.name }}.png\"><line>b</line></signature>"
                        "<signature image=\"/abs/sig.png\"><line>c</line></signature>"
                        "</signatures></template>");
    struct errors errors = {0};
    struct tmpl *t = tmpl_load("t.xml", &errors);
    struct doc_document *doc = doc_new("en");
    struct tmpl_env env = {.scope = scope, .language = "en", .locale = "en_GB", .root = "ws"};
    CHECK(t && tmpl_apply(t, &env, doc, &errors) == 0);
    const struct doc_block *sig =
        doc->root->first_child ? doc->root->first_child->first_child : NULL;
    CHECK(sig != NULL);
    if (sig && sig->next && sig->next->next) {
        CHECK_STR(sig->image, "ws/letters/sig.png");
        CHECK_STR(sig->next->image, "Nursultan Nazarbaev.png");
        CHECK_STR(sig->next->next->image, "/abs/sig.png");
    }
    doc_free(doc);
    tmpl_free(t);
    errors_clear(&errors);
}

/* ---- mistakes ----------------------------------------------------------- */

static void test_name_errors(void)
{
    struct value *scope = sample_scope();
    EXPECT("<template>\n<p>To {{ recipient.honorfic }}</p></template>", scope,
           "t.xml:2:7: error: unknown name 'recipient.honorfic' (did you mean 'honorific'?)\n");
    EXPECT(P("{{ recipent.name }}"), scope,
           "t.xml:1:14: error: unknown name 'recipent' (did you mean 'recipient'?)\n");
    EXPECT(P("{{ recipent.name | default:'x' }}"), scope,
           "t.xml:1:14: error: unknown name 'recipent' (did you mean 'recipient'?)\n");
    EXPECT(P("{{ zzz }}"), scope, "t.xml:1:14: error: unknown name 'zzz'\n");
    EXPECT(P("{{ recipient.name.first }}"), scope,
           "t.xml:1:14: error: 'recipient.name' is a string, not a map: it has no 'first'\n");
    /* Loop variables are suggested too; a mistake in a loop is said once. */
    EXPECT("<template><each in=\"signatories\" as=\"sig\"><p>{{ sgi.name }}</p></each>"
           "</template>",
           scope, "t.xml:1:46: error: unknown name 'sgi' (did you mean 'sig'?)\n");
    /* Every mistake is reported, not only the first. */
    EXPECT(P("{{ a }} {{ recipient.nam }}\n{{ signatories }}"), scope,
           "t.xml:1:14: error: unknown name 'a'\n"
           "t.xml:1:22: error: unknown name 'recipient.nam' (did you mean 'name'?)\n"
           "t.xml:2:1: error: 'signatories' is a list: it cannot be printed as text (use a "
           "filter such as join or first)\n");
    EXPECT(P("{{ recipient }}"), scope,
           "t.xml:1:14: error: 'recipient' is a map: it cannot be printed as text (name one of "
           "its keys)\n");
}

static void test_filter_errors(void)
{
    struct value *scope = sample_scope();
    set(scope, "bad", str("2011-02-30"));
    const char *dates[] = {"2011-07-08", "July 10"};
    set(scope, "baddates", list_of(dates, 2));
    EXPECT(P("{{ recipient.name | uper }}"), scope,
           "t.xml:1:14: error: unknown filter 'uper' (did you mean 'upper'?)\n");
    EXPECT(P("{{ recipient.name | frobnicate }}"), scope,
           "t.xml:1:14: error: unknown filter 'frobnicate'\n");
    EXPECT(P("{{ signatories | upper }}"), scope,
           "t.xml:1:14: error: filter 'upper' needs a string, but 'signatories' is a list\n");
    EXPECT(P("{{ signatories | map:name | date }}"), scope,
           "t.xml:1:14: error: filter 'date' needs a date (a string yyyy-mm-dd), but "
           "'signatories | map:name' is a list\n");
    EXPECT(P("{{ recipient.name | join }}"), scope,
           "t.xml:1:14: error: filter 'join' needs a list, but 'recipient.name' is a string\n");
    EXPECT(P("{{ signatories | join }}"), scope,
           "t.xml:1:14: error: filter 'join' needs a list of strings, but item 1 of "
           "'signatories' is a map\n");
    EXPECT(P("{{ signatories | map:nmae | join }}"), scope,
           "t.xml:1:14: error: item 1 of 'signatories' has no 'nmae' (did you mean 'name'?)\n");
    EXPECT(P("{{ recipient.address | first }}"), scope,
           "t.xml:1:14: error: 'recipient.address' is an empty list: it has no first item\n");
    EXPECT(P("{{ bad | date:'long' }}"), scope,
           "t.xml:1:14: error: invalid date '2011-02-30' (expected a real day as yyyy-mm-dd)\n");
    EXPECT(P("{{ recipient.name | date }}"), scope,
           "t.xml:1:14: error: invalid date 'Nursultan Nazarbaev' (expected a real day as "
           "yyyy-mm-dd)\n");
    EXPECT(P("{{ baddates | dates }}"), scope,
           "t.xml:1:14: error: invalid date 'July 10' (expected a real day as yyyy-mm-dd)\n");
    EXPECT(P("{{ recipient.name | upper:'x' }}"), scope,
           "t.xml:1:14: error: filter 'upper' takes no argument\n");
    EXPECT(P("{{ recipient.name | default }}"), scope,
           "t.xml:1:14: error: filter 'default' needs an argument, as in default:'text'\n");
    EXPECT(P("{{ signatories | take }}"), scope,
           "t.xml:1:14: error: filter 'take' needs an argument, as in take:40\n");
    EXPECT(P("{{ signatories | take:many | join }}"), scope,
           "t.xml:1:14: error: filter 'take' needs a count of items in digits, as in take:40, "
           "not 'many'\n");
    EXPECT(P("{{ signatories | skip:4x | join }}"), scope,
           "t.xml:1:14: error: filter 'skip' needs a count of items in digits, as in skip:40, "
           "not '4x'\n");
    EXPECT(P("{{ signatories | skip:'-1' | join }}"), scope,
           "t.xml:1:14: error: filter 'skip' needs a count of items in digits, as in skip:40, "
           "not '-1'\n");
    EXPECT(P("{{ signatories | take:'' | join }}"), scope,
           "t.xml:1:14: error: filter 'take' needs a count of items in digits, as in take:40, "
           "not ''\n");
    EXPECT(P("{{ signatories | take:12345678901 | join }}"), scope,
           "t.xml:1:14: error: filter 'take' needs a count of items in digits, as in take:40, "
           "not '12345678901'\n");
    EXPECT(P("{{ recipient.name | take:2 }}"), scope,
           "t.xml:1:14: error: filter 'take' needs a list, but 'recipient.name' is a string\n");
}

static void test_syntax_errors(void)
{
    struct value *scope = sample_scope();
    EXPECT(P("a {{ recipient.name "), scope,
           "t.xml:1:16: error: unclosed '{{' (no matching '}}')\n");
    EXPECT(P("a {{  }} b"), scope, "t.xml:1:16: error: empty expression\n");
    EXPECT(P("a }} b"), scope, "t.xml:1:16: error: stray '}}' without an opening '{{'\n");
    EXPECT(P("{{ a b }}"), scope, "t.xml:1:14: error: unexpected 'b' in expression 'a b'\n");
    EXPECT(P("{{ a. }}"), scope,
           "t.xml:1:14: error: expected a name after '.' in expression 'a.'\n");
    EXPECT(P("{{ a | }}"), scope,
           "t.xml:1:14: error: expected a filter name after '|' in expression 'a |'\n");
    EXPECT(P("{{ 'abc }}"), scope, "t.xml:1:14: error: unclosed quote in expression ''abc'\n");
    EXPECT(P("{{ a == }}"), scope, "t.xml:1:14: error: expression 'a ==' ends too early\n");
    EXPECT(P("<if test=\"\">x</if>"), scope, "t.xml:1:18: error: empty expression\n");
    /* Several problems in one file are all reported. */
    EXPECT("<template>\n<p>{{ a | nope }}</p>\n<p>{{ }}</p>\n</template>", scope,
           "t.xml:2:4: error: unknown filter 'nope'\n"
           "t.xml:3:4: error: empty expression\n");
}

static void test_structure_errors(void)
{
    struct value *scope = sample_scope();
    EXPECT("<template>\n  <adress>x</adress>\n</template>", scope,
           "t.xml:2:3: error: unknown element <adress> (did you mean <address>?)\n");
    EXPECT("<template>\n  <para>x</para>\n</template>", scope,
           "t.xml:2:3: error: unknown element <para>\n");
    EXPECT("<template>\n  <p colour=\"red\">x</p>\n</template>", scope,
           "t.xml:2:6: error: unknown attribute 'colour': <p> takes no attributes\n");
    EXPECT("<template><letterhead><line lgo=\"x\"/></letterhead></template>", scope,
           "t.xml:1:29: error: unknown attribute 'lgo' on <line> (did you mean 'logo'?)\n");
    EXPECT("<template>\n  <line>x</line>\n</template>", scope,
           "t.xml:2:3: error: <line> is not allowed inside <template>\n");
    EXPECT("<template><p><p>x</p></p></template>", scope,
           "t.xml:1:14: error: <p> is not allowed inside <p>\n");
    EXPECT("<template>\n  Hello\n</template>", scope,
           "t.xml:2:3: error: text is not allowed directly in <template>: put it in a block "
           "such as <p>\n");
    EXPECT("<template><address>\n x</address></template>", scope,
           "t.xml:2:2: error: text is not allowed directly in <address>: put it in a <line>\n");
    EXPECT("<template><each as=\"x\"/></template>", scope,
           "t.xml:1:11: error: <each> needs the attribute 'in'\n");
    EXPECT("<template><each in=\"signatories\" as=\"loop\"/></template>", scope,
           "t.xml:1:34: error: 'loop' cannot name a variable (use letters, digits, '_' or '-'; "
           "'loop' is taken)\n");
    EXPECT("<template><p>a<else/></p></template>", scope,
           "t.xml:1:15: error: <else/> belongs directly inside an <if>\n");
    EXPECT(P("<if test=\"a\">1<else/>2<else/>3</if>"), scope,
           "t.xml:1:36: error: <if> has more than one <else/>\n");
    EXPECT("<template><p><br>x</br></p></template>", scope,
           "t.xml:1:18: error: <br> must be empty\n");
    EXPECT("<letter/>", scope,
           "t.xml:1:1: error: a template's root element must be <template>, not <letter>\n");
    EXPECT("<template><define name=\"facts\"/></template>", scope,
           "t.xml:1:19: error: unknown definition 'facts' (did you mean 'fact'?): only 'fact' "
           "is defined (for <fact ref> in letters)\n");
    EXPECT("<template><define name=\"fact\"/>\n<define name=\"fact\"/></template>", scope,
           "t.xml:2:1: error: 'fact' is already defined at t.xml:1:11\n");
    EXPECT("<template><p><define name=\"fact\"/></p></template>", scope,
           "t.xml:1:14: error: <define> must stand directly in <template>\n");
    EXPECT("<template><fact ref=\"x\"/></template>", scope,
           "t.xml:1:11: error: <fact> is not allowed inside <template>\n");
    EXPECT("<template><?php echo 1 ?></template>", scope,
           "t.xml:1:11: error: processing instructions (<?php ...?>) are not allowed\n");
    EXPECT(P("{{ signatories | first }}<each in=\"recipient.name\" as=\"x\"/>"), scope,
           "t.xml:1:14: error: 'signatories | first' is a map: it cannot be printed as text "
           "(name one of its keys)\n"
           "t.xml:1:45: error: <each in=\"recipient.name\"> needs a list, but 'recipient.name' "
           "is a string\n");
    EXPECT(P("{{ signatories | first | upper }}"), scope,
           "t.xml:1:14: error: filter 'upper' needs a string, but 'signatories | first' is a "
           "map\n");
    EXPECT("<template><address>\n<line logo=\"x.png\">x</line></address></template>", scope,
           "t.xml:2:7: error: logo is only drawn on lines of <letterhead>, not in <address>\n");
    EXPECT("<template><body/>\n<p>x</p>\n<body/></template>", scope,
           "t.xml:3:1: error: second <body/> (first at line 1): the letter's text would be "
           "printed twice\n");
    EXPECT("<template><each in=\"signatories\" as=\"s\">\n<body/></each></template>", scope,
           "t.xml:2:1: error: <body/> inside <each> would print the letter's text more than "
           "once\n");
    EXPECT("<template><letterhead><line logo=\"{{ signatories }}\">x</line></letterhead>"
           "</template>",
           scope, "t.xml:1:29: error: 'signatories' is a list: an image needs a file name\n");
}

static void test_include_errors(void)
{
    struct value *scope = sample_scope();
    EXPECT("<template>\n  <include src=\"nope.xml\"/>\n</template>", scope,
           "t.xml:2:12: error: cannot include 'nope.xml': No such file or directory\n");
    write_file("loop_a.xml", "<template><include src=\"loop_b.xml\"/></template>");
    write_file("loop_b.xml", "<template>\n<include src=\"loop_a.xml\"/></template>");
    EXPECT("<template><include src=\"loop_a.xml\"/></template>", scope,
           "loop_b.xml:2:10: error: include cycle: 'loop_a.xml' is already being included\n");
    EXPECT("<template><include src=\"t.xml\"/></template>", scope,
           "t.xml:1:20: error: include cycle: 't.xml' is already being included\n");
    write_file("broken.xml", "<template>\n<p>x</template>");
    EXPECT("<template><include src=\"broken.xml\"/></template>", scope,
           "broken.xml:2:16: error: opening and ending tag mismatch: p line 2 and template\n"
           "broken.xml:2:16: error: premature end of data in tag template line 1\n");
    write_file("notpl.xml", "<p/>");
    EXPECT("<template><include src=\"notpl.xml\"/></template>", scope,
           "notpl.xml:1:1: error: a template's root element must be <template>, not <p>\n");
}

static void test_markup_errors(void)
{
    write_file("l.xml", "<letter><body>\n  <fact ref=\"sokolva\"/>\n  Loose text\n"
                        "  <letterhead/>\n  <p>a <p>b</p> <include src=\"x\"/></p>\n"
                        "</body></letter>");
    struct arena *arena = arena_new();
    struct errors errors = {0};
    struct xmldoc *xml = xmldoc_load(arena, "l.xml", PATH_TEMPLATE, &errors);
    struct value *facts = value_map(arena, (struct source_loc){0});
    value_map_set(arena, facts, "sokolova", value_map(arena, (struct source_loc){0}));
    const xmlNode *body = xmlFirstElementChild(xmlDocGetRootElement(xml->doc));
    CHECK(tmpl_compile_markup(arena, xml, body, true, facts, &errors) == NULL);
    char *text = errors_text(&errors);
    CHECK_STR(text, "l.xml:2:9: error: unknown fact 'sokolva' (did you mean 'sokolova'?)\n"
                    "l.xml:3:3: error: text is not allowed directly in <body>: put it in a <p>\n"
                    "l.xml:4:3: error: <letterhead> is not allowed in a letter's <body>\n"
                    "l.xml:5:8: error: <p> is not allowed in a letter's <p>\n"
                    "l.xml:5:17: error: <include> is not allowed in a letter's <p>\n");
    free(text);
    errors_clear(&errors);
    /* Inline markup (a fact's text) takes no paragraphs. */
    const xmlNode *p = xmlFirstElementChild((xmlNode *)body);
    while (p && strcmp((const char *)p->name, "p") != 0)
        p = xmlNextElementSibling((xmlNode *)p);
    CHECK(tmpl_compile_markup(arena, xml, p, false, NULL, &errors) == NULL);
    text = errors_text(&errors);
    CHECK_STR(text, "l.xml:5:8: error: <p> is not allowed in a letter's <p>\n"
                    "l.xml:5:17: error: <include> is not allowed in a letter's <p>\n");
    free(text);
    errors_clear(&errors);
    xmldoc_free(xml);
    arena_free(arena);
}

/* ---- the shipped template ---------------------------------------------- */

static void test_solidarity_template(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/templates/solidarity/en.xml", project_root);
    struct errors errors = {0};
    struct tmpl *t = tmpl_load(path, &errors);
    CHECK(t != NULL);
    if (!t) {
        errors_print(&errors, stderr);
        errors_clear(&errors);
        return;
    }
    struct value *scope = sample_scope();
    struct value *orgs = value_list(data, at_line(0));
    const char *org_names[] = {"ICEM", "IMF"};
    for (size_t i = 0; i < 2; i++) {
        struct value *o = map();
        set(o, "name", str(org_names[i]));
        set(o, "short", str(org_names[i]));
        /* The second has no address: no line break, no footer column. */
        struct value *address = value_list(data, at_line(0));
        if (i == 0) {
            value_list_push(data, address, str("Avenue Emile de Béco 109"));
            value_list_push(data, address, str("1050 Brussels"));
        }
        set(o, "address", address);
        value_list_push(data, orgs, o);
    }
    set(scope, "organisations", orgs);
    char *out = render(t, scope, "en_GB", NULL, false);
    /* A line break starts the organisation's address (the first page's
     * footer); the sender line is the first organisation's. */
    CHECK_STR(out, "letterhead\n"
                   "  line: ICEM\n"
                   "ICEM\n"
                   "Avenue Emile de Béco 109, 1050 Brussels\n"
                   "  line: IMF\n"
                   "sender: ICEM, Avenue Emile de Béco 109, 1050 Brussels\n"
                   "reference: Ref: ICEM-IMF11/EN LT/107\n"
                   "date: 6 September 2011\n"
                   "address\n"
                   "  line: Nursultan Nazarbaev\n"
                   "  line: President of Republic of Kazakhstan\n"
                   "salutation: Dear Mr. President,\n"
                   "closing: Yours faithfully,\n"
                   "signatures\n"
                   "  signature\n"
                   "    line: Manfred Warda\n"
                   "    line: ICEM General Secretary\n"
                   "  signature\n"
                   "    line: Jyrki Raina\n"
                   "    line: IMF General Secretary\n");
    free(out);
    tmpl_free(t);
    errors_clear(&errors);
}

static void run_all(void)
{
    if (!getcwd(project_root, sizeof project_root))
        exit(2);
    data = arena_new();
    test_solidarity_template();
    char dir[] = "/tmp/missive-tmpl-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("temporary folder");
        exit(2);
    }
    test_substitution();
    test_filters_date();
    test_filters_dates();
    test_filters_text();
    test_filters_take_skip();
    test_filter_default();
    test_each();
    test_if();
    test_blocks_and_whitespace();
    test_inline_structure();
    test_locations();
    test_include();
    test_letter_markup();
    test_image_paths();
    test_name_errors();
    test_filter_errors();
    test_syntax_errors();
    test_structure_errors();
    test_include_errors();
    test_markup_errors();
    const char *files[] = {"t.xml",         "l.xml",         "letter.xml",
                           "self.xml",      "loop_a.xml",    "loop_b.xml",
                           "broken.xml",    "notpl.xml",     "parts/closing.xml",
                           "parts/sig.xml", "parts/line.xml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        unlink(files[i]);
    rmdir("parts");
    if (chdir(project_root) != 0 || rmdir(dir) != 0)
        perror(dir);
    arena_free(data);
    xmlCleanupParser();
}

CHECK_MAIN("tmpl", run_all())
