#define _GNU_SOURCE
/* test_campaign.c — campaigns: loading <recipients> and <translation>s,
 * planning the variants (recipients, groups, countries, languages,
 * fallback, --only and --lang) with exact messages, plain quotes and
 * country-limited text in letter markup, the ordered thread pool and
 * batch output. */
#include "batch.h"
#include "buffer.h"
#include "campaign.h"
#include "check.h"
#include "support.h"
#include "letter.h"
#include "output.h"
#include "tmpl.h"
#include "workspace.h"

#include <sched.h>
#include <stdatomic.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void expect_letter_errors(const char *path, const char *expected)
{
    struct errors errors = {0};
    struct letter *letter = letter_load(path, &errors);
    CHECK(letter == NULL);
    char *text = errors_text(&errors);
    CHECK_STR(text, expected);
    free(text);
    errors_clear(&errors);
    letter_free(letter);
}

static void test_structure_errors(void)
{
    expect_letter_errors(
        "tests/campaign/structure-errors.xml",
        "tests/campaign/structure-errors.xml:6:16: error: recipient 'kz-embassy-fr' is listed "
        "twice (first at line 5)\n"
        "tests/campaign/structure-errors.xml:7:31: error: country code 'fr' must be upper-case "
        "('FR')\n"
        "tests/campaign/structure-errors.xml:8:16: error: empty attribute 'codes' on "
        "<countries>\n"
        "tests/campaign/structure-errors.xml:9:5: error: unknown element <embassy> in "
        "<recipients> (expected recipient, group or countries)\n"
        "tests/campaign/structure-errors.xml:17:40: error: unknown country code 'XX' (expected "
        "an ISO 3166 alpha-2 code such as 'KZ')\n"
        "tests/campaign/structure-errors.xml:20:16: error: the letter itself is in 'en': a "
        "<translation> gives another language\n"
        "tests/campaign/structure-errors.xml:21:16: error: unknown language code 'xq' "
        "(expected an ISO 639 code such as 'en')\n"
        "tests/campaign/structure-errors.xml:30:5: error: unknown element <closing> in "
        "<translation> (expected subject, facts or body)\n"
        "tests/campaign/structure-errors.xml:26:13: error: fact 'one' is translated twice "
        "(first at line 25)\n"
        "tests/campaign/structure-errors.xml:27:13: error: unknown fact 'tow' (did you mean "
        "'two'?)\n"
        "tests/campaign/structure-errors.xml:32:16: error: duplicate <translation "
        "language=\"fr\"> (first at line 22)\n"
        "tests/campaign/structure-errors.xml:2:45: error: fallback language 'de' is not one of "
        "the letter's (en, fr)\n"
        "tests/campaign/structure-errors.xml:4:3: error: a letter names one <recipient> or a "
        "campaign's <recipients>, not both\n");
    expect_letter_errors("tests/campaign/petition.xml",
                         "tests/campaign/petition.xml:4:3: error: a petition goes to one "
                         "<recipient>: campaigns of petitions are not supported\n");
    expect_letter_errors("tests/campaign/not-campaign.xml",
                         "tests/campaign/not-campaign.xml:2:1: error: <translation> is for "
                         "campaigns: a letter with <recipients> instead of <recipient>\n");
}

/* The example campaign: its picks, its texts and what each one has. */
static void test_example_letter(void)
{
    struct errors errors = {0};
    struct letter *letter = letter_load("letters/mangystau-2011.xml", &errors);
    CHECK(letter != NULL);
    if (!letter)
        return;
    CHECK(campaign_is(letter));
    CHECK(letter->pick_count == 2);
    CHECK(letter->picks[0].kind == LETTER_PICK_RECIPIENT);
    CHECK_STR(letter->picks[0].id, "kz-president-ru");
    CHECK(letter->picks[1].kind == LETTER_PICK_GROUP && letter->picks[1].countries == NULL);
    CHECK(letter->text_count == 5);
    const char *languages[] = {"en", "fr", "de", "es", "ru"};
    for (size_t i = 0; i < 5 && i < letter->text_count; i++) {
        CHECK_STR(letter->texts[i].language, languages[i]);
        CHECK(letter->texts[i].missing == NULL);
        CHECK(letter->texts[i].facts->count == 5);
    }
    CHECK_STR(letter->texts[4].subject,
              "Репрессии против бастующих нефтяников в Мангистауской области");
    CHECK(letter->fallback == NULL);
    letter_free(letter);

    letter = letter_load("tests/campaign/incomplete.xml", &errors);
    CHECK(letter && letter->text_count == 2);
    if (letter && letter->text_count == 2)
        CHECK_STR(letter->texts[1].missing, "<body>, fact 'one'");
    letter_free(letter);
    errors_clear(&errors);
}

static struct campaign *plan(const struct workspace *ws, const char *path, const char *only,
                             const char *languages, char **messages)
{
    struct errors errors = {0};
    struct letter *letter = letter_load(path, &errors);
    struct campaign_filter filter = {only, languages, false, 0};
    struct campaign *c = letter ? campaign_plan(ws, letter, &filter, &errors) : NULL;
    *messages = errors_text(&errors);
    errors_clear(&errors);
    if (!c)
        letter_free(letter);
    return c;
}

static void done(struct campaign *c)
{
    if (!c)
        return;
    struct letter *letter = (struct letter *)c->letter;
    campaign_free(c);
    letter_free(letter);
}

/* Each variant as "recipient:language", joined by spaces. */
static char *variants(const struct campaign *c)
{
    struct buffer b = {0};
    for (size_t i = 0; c && i < c->count; i++) {
        buffer_puts(&b, i ? " " : "");
        buffer_puts(&b, campaign_recipient(c, i));
        buffer_puts(&b, ":");
        buffer_puts(&b, campaign_language(c, i));
    }
    char *s = xstrdup(b.data ? b.data : "");
    buffer_free(&b);
    return s;
}

static void expect_plan(const struct workspace *ws, const char *path, const char *only,
                        const char *languages, const char *expected, const char *messages)
{
    char *got_messages;
    struct campaign *c = plan(ws, path, only, languages, &got_messages);
    char *got = variants(c);
    CHECK_STR(got, expected);
    CHECK_STR(got_messages, messages);
    free(got);
    free(got_messages);
    done(c);
}

static void test_plan(void)
{
    struct errors errors = {0};
    struct workspace *ws = workspace_load(".", &errors);
    CHECK(ws != NULL);
    if (!ws)
        return;
    /* The group's members come in the order recipients.ini lists them. */
    expect_plan(ws, "letters/mangystau-2011.xml", NULL, NULL,
                "kz-president-ru:ru kz-embassy-fr:fr kz-embassy-de:de kz-embassy-es:es "
                "kz-embassy-gb:en kz-embassy-ru:ru",
                "");
    expect_plan(ws, "letters/mangystau-2011.xml", "kz-embassy-ru, kz-president-ru", NULL,
                "kz-president-ru:ru kz-embassy-ru:ru", "");
    expect_plan(ws, "letters/mangystau-2011.xml", NULL, "fr,ru",
                "kz-president-ru:ru kz-embassy-fr:fr kz-embassy-ru:ru", "");
    expect_plan(ws, "letters/mangystau-2011.xml", "kz-embassy-fr", "ru", "",
                "missive: error: --only and --lang leave no letter of "
                "letters/mangystau-2011.xml to make\n");
    expect_plan(ws, "letters/mangystau-2011.xml", "kz-embasy-fr", NULL, "",
                "missive: error: --only: 'kz-embasy-fr' is not a recipient of "
                "letters/mangystau-2011.xml (did you mean 'kz-embassy-fr'?)\n");
    expect_plan(ws, "letters/mangystau-2011.xml", NULL, "it,xq", "",
                "missive: error: --lang: no recipient of letters/mangystau-2011.xml gets the "
                "letter in 'it' (it goes out in ru, fr, de, es, en)\n"
                "missive: error: unknown language code 'xq' (expected an ISO 639 code such as "
                "'en')\n");
    /* Recipients without their language get the fallback; one named twice
     * (by a group and by country) gets one letter. */
    expect_plan(ws, "tests/campaign/fallback.xml", NULL, NULL,
                "kz-president-ru:en kz-embassy-fr:fr kz-embassy-de:en kz-embassy-es:en "
                "kz-embassy-gb:en kz-embassy-ru:en kz-president-2011:en kz-president-2021:en",
                "");
    expect_plan(
        ws, "tests/campaign/incomplete.xml", NULL, NULL, "",
        "tests/campaign/incomplete.xml:7:12: error: the translation into 'fr' (line 16) lacks "
        "<body>, fact 'one', which recipient 'kz-embassy-fr' needs\n"
        "tests/campaign/incomplete.xml:7:12: error: no text in 'de' for recipient "
        "'kz-embassy-de': the letter is in en, fr (add a <translation language=\"de\"> with "
        "<subject>, <body> and each fact, or name a fallback language with <letter "
        "fallback=\"...\">)\n"
        "tests/campaign/incomplete.xml:7:12: error: no text in 'es' for recipient "
        "'kz-embassy-es': the letter is in en, fr (add a <translation language=\"es\"> with "
        "<subject>, <body> and each fact, or name a fallback language with <letter "
        "fallback=\"...\">)\n"
        "tests/campaign/incomplete.xml:7:12: error: no text in 'ru' for recipient "
        "'kz-embassy-ru': the letter is in en, fr (add a <translation language=\"ru\"> with "
        "<subject>, <body> and each fact, or name a fallback language with <letter "
        "fallback=\"...\">)\n");
    expect_plan(ws, "tests/campaign/unknown-names.xml", NULL, NULL, "",
                "tests/campaign/unknown-names.xml:5:16: error: unknown recipient 'kz-embassy-gr' "
                "in recipients.ini (did you mean 'kz-embassy-fr'?)\n"
                "tests/campaign/unknown-names.xml:6:16: error: unknown recipient 'nobody-at-all' "
                "in recipients.ini\n"
                "tests/campaign/unknown-names.xml:7:12: error: unknown group 'kz-embasies' in "
                "recipients.ini (did you mean 'kz-embassies'?)\n"
                "tests/campaign/unknown-names.xml:8:12: error: group 'kz-embassies' has no "
                "member in the countries given\n"
                "tests/campaign/unknown-names.xml:9:16: error: no recipient in recipients.ini has "
                "country 'IT'\n");

    /* A variant is the letter as its recipient gets it. */
    char *messages;
    struct campaign *c = plan(ws, "letters/mangystau-2011.xml", NULL, NULL, &messages);
    free(messages);
    if (c && c->count == 6) {
        struct letter view;
        campaign_letter(c, 1, &view);
        CHECK_STR(view.recipient.id, "kz-embassy-fr");
        CHECK_STR(view.language, "fr");
        CHECK_STR(view.subject, "Répression des travailleurs du pétrole en grève dans la région de "
                                "Manguistaou");
        CHECK(view.picks == NULL && view.texts == NULL);
        char name[64];
        campaign_name(c, 4, name, sizeof name);
        CHECK_STR(name, "mangystau-2011-kz-embassy-gb");
    }
    done(c);
    const struct value *group = value_map_get(ws->groups, "kz-embassies");
    size_t members = 0;
    CHECK(group && workspace_group_members(ws, "kz-embassies", &members) && members == 5);
    const struct value *president = workspace_recipient(ws, "kz-president-ru", ws->arena, &errors);
    CHECK_STR(value_map_get(president, "language")->string, "ru");
    CHECK(value_map_get(president, "languages")->count == 2);
    workspace_free(ws);
    errors_clear(&errors);
}

/* ---- letter markup: plain quotes and countries ---- */

static char *apply_markup(const char *xml_text, const char *language, const char *country,
                          char **messages)
{
    const char *path = "/tmp/missive-test-campaign-markup.xml";
    /* Temporary files, outside the workspace an earlier check loaded. */
    path_policy_clear();
    FILE *f = fopen(path, "w");
    fputs(xml_text, f);
    fclose(f);
    struct errors errors = {0};
    struct arena *arena = arena_new();
    struct xmldoc *xml = xmldoc_load(arena, path, PATH_NAMED_LETTER, &errors);
    const struct tmpl_node *body =
        xml ? tmpl_compile_markup(arena, xml, xmlDocGetRootElement(xml->doc), true, NULL, &errors)
            : NULL;
    if (xml)
        xmldoc_free(xml);
    struct doc_document *doc = doc_new(language);
    struct value *scope = value_map(arena, (struct source_loc){0});
    /* A template that is only the letter's body. */
    const char *tpath = "/tmp/missive-test-campaign-template.xml";
    f = fopen(tpath, "w");
    fputs("<template><body/></template>", f);
    fclose(f);
    struct tmpl *t = tmpl_load(tpath, &errors);
    struct tmpl_env env = {.scope = scope, .language = language, .body = body, .country = country};
    struct buffer out = {0};
    if (body && t && tmpl_apply(t, &env, doc, &errors) == 0) {
        for (const struct doc_block *b = doc->root->first_child; b; b = b->next) {
            buffer_puts(&out, doc_plain_text(arena, b, language));
            buffer_puts(&out, "|");
        }
    }
    char *s = xstrdup(out.data ? out.data : "");
    *messages = errors_text(&errors);
    buffer_free(&out);
    tmpl_free(t);
    doc_free(doc);
    arena_free(arena);
    errors_clear(&errors);
    unlink(path);
    unlink(tpath);
    return s;
}

static void expect_markup(const char *xml_text, const char *language, const char *country,
                          const char *expected, const char *messages)
{
    char *got_messages;
    char *got = apply_markup(xml_text, language, country, &got_messages);
    CHECK_STR(got, expected);
    CHECK_STR(got_messages, messages);
    free(got);
    free(got_messages);
}

static void test_plain_quotes(void)
{
    const char *text = "<body><p>He said \"inciting <em>social</em> hatred\" twice.</p></body>";
    expect_markup(text, "en", NULL, "He said \u201Cinciting social hatred\u201D twice.|", "");
    expect_markup(text, "fr", NULL,
                  "He said \u00AB\u00A0inciting social hatred\u00A0\u00BB twice.|", "");
    expect_markup(text, "de", NULL, "He said \u201Einciting social hatred\u201C twice.|", "");
    expect_markup(text, "ru", NULL, "He said \u00ABinciting social hatred\u00BB twice.|", "");
    /* Inside <q>, and around {{ }}: the marks nest; quotes in expressions
     * stay what they are. */
    expect_markup("<body><p><q>a \"b\" c</q> {{ \"x\" }} \"{{ 'y' }}\"</p></body>", "de", NULL,
                  "\u201Ea \u201Ab\u2018 c\u201C x \u201Ey\u201C|", "");
    expect_markup("<body><p>one \"two</p><p>three <em>\"four</em>\"</p></body>", "en", NULL, "",
                  "/tmp/missive-test-campaign-markup.xml:1:14: error: quotation mark '\"' is "
                  "not closed within <p> (plain quotes pair up: add the closing one)\n"
                  "/tmp/missive-test-campaign-markup.xml:1:35: error: quotation mark '\"' is "
                  "not closed within <em> (plain quotes pair up: add the closing one)\n"
                  "/tmp/missive-test-campaign-markup.xml:1:45: error: quotation mark '\"' is "
                  "not closed within <p> (plain quotes pair up: add the closing one)\n");
}

static void test_countries(void)
{
    const char *text = "<body><p>All.</p><p countries=\"KZ RU\">East.</p>"
                       "<p countries=\"FR\">West.</p></body>";
    expect_markup(text, "en", "KZ", "All.|East.|", "");
    expect_markup(text, "en", "FR", "All.|West.|", "");
    expect_markup(text, "en", "GB", "All.|", "");
    expect_markup("<body><p countries=\"kz  XY\">x</p><p countries=\" \">y</p>"
                  "<p lang=\"en\">z</p></body>",
                  "en", "KZ", "",
                  "/tmp/missive-test-campaign-markup.xml:1:10: error: country code 'kz' must be "
                  "upper-case ('KZ')\n"
                  "/tmp/missive-test-campaign-markup.xml:1:10: error: unknown country code 'XY' "
                  "(expected an ISO 3166 alpha-2 code such as 'KZ')\n"
                  "/tmp/missive-test-campaign-markup.xml:1:37: error: empty 'countries' "
                  "(expected country codes such as 'KZ RU')\n"
                  "/tmp/missive-test-campaign-markup.xml:1:59: error: unknown attribute 'lang' "
                  "on <p>\n");
}

/* ---- the thread pool ---- */

struct squares {
    size_t taken;
    long sum;
    int order_ok;
    size_t stop_at;
    size_t discarded;
    atomic_size_t worked;
};

static void square(void *context, size_t index, void *slot)
{
    atomic_fetch_add(&((struct squares *)context)->worked, 1);
    *(long *)slot = (long)(index * index);
}

static int take(void *context, size_t index, void *slot)
{
    struct squares *s = context;
    s->order_ok = s->order_ok && s->taken == index && *(long *)slot == (long)(index * index);
    s->taken++;
    s->sum += *(long *)slot;
    return index + 1 == s->stop_at ? 7 : 0;
}

static void discard(void *context, size_t index, void *slot)
{
    (void)index;
    (void)slot;
    ((struct squares *)context)->discarded++;
}

static void test_batch(void)
{
    for (unsigned threads = 1; threads <= 8; threads *= 2) {
        struct squares s = {.order_ok = 1};
        int status = batch_run(&(struct batch){.count = 1000,
                                               .slot_size = sizeof(long),
                                               .threads = threads,
                                               .work = square,
                                               .done = take,
                                               .discard = discard,
                                               .context = &s});
        CHECK(status == 0 && s.order_ok && s.taken == 1000 && s.sum == 332833500);
        CHECK(s.discarded == 0);
    }
    struct squares s = {.order_ok = 1, .stop_at = 10};
    int status = batch_run(&(struct batch){.count = 1000,
                                           .slot_size = sizeof(long),
                                           .threads = 4,
                                           .work = square,
                                           .done = take,
                                           .discard = discard,
                                           .context = &s});
    CHECK(status == 7 && s.taken == 10 && s.order_ok);
    /* Every job that ran is either taken or handed back: none is lost
     * (its slot would leak). */
    CHECK(s.worked == s.taken + s.discarded);
    /* The jobs run ahead of the stop stay within the window. */
    CHECK(s.worked < 1000);
    /* The cores are those this process may run on: pinned to one, one. */
    cpu_set_t saved, one;
    if (sched_getaffinity(0, sizeof saved, &saved) == 0) {
        CPU_ZERO(&one);
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
            if (CPU_ISSET(cpu, &saved)) {
                CPU_SET(cpu, &one);
                break;
            }
        }
        CHECK(sched_setaffinity(0, sizeof one, &one) == 0);
        CHECK(batch_cores() == 1);
        CHECK(sched_setaffinity(0, sizeof saved, &saved) == 0);
        CHECK(batch_cores() == (unsigned)CPU_COUNT(&saved));
    }
}

/* ---- batch output: nothing appears before the commit ---- */

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d))
        n += e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, "..") != 0);
    if (d)
        closedir(d);
    return n;
}

static void test_output_batch(void)
{
    char dir[] = "/tmp/missive-test-batch-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct errors errors = {0};
    struct buffer content = {0};
    buffer_puts(&content, "hello");
    struct output_file files[] = {{"pdf", &content}, {"txt", &content}};
    struct output_batch *b = output_batch_open(dir, &errors);
    CHECK(b && output_batch_add(b, "a", files, 2, &errors) == 0);
    CHECK(b && output_batch_add(b, "b", files, 2, &errors) == 0);
    CHECK(entries(dir) == 1); /* only the hidden temporary folder */
    output_batch_free(b);
    CHECK(entries(dir) == 0);
    b = output_batch_open(dir, &errors);
    CHECK(b && output_batch_add(b, "a", files, 2, &errors) == 0);
    CHECK(b && output_batch_commit(b, &errors) == 0);
    output_batch_free(b);
    CHECK(entries(dir) == 2);
    char path[128];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    struct stat st;
    CHECK(stat(path, &st) == 0 && st.st_size == 5);
    /* Made again: an unchanged draft is left alone (the same inode), a
     * changed one replaced. */
    ino_t first = st.st_ino;
    struct buffer changed = {0};
    buffer_puts(&changed, "hello again");
    struct output_file again[] = {{"pdf", &content}, {"txt", &changed}};
    b = output_batch_open(dir, &errors);
    CHECK(b && output_batch_add(b, "a", again, 2, &errors) == 0);
    CHECK(b && output_batch_commit(b, &errors) == 0);
    output_batch_free(b);
    char pdf[128];
    snprintf(pdf, sizeof pdf, "%s/a.pdf", dir);
    struct stat st_pdf;
    CHECK(stat(path, &st) == 0 && st.st_size == 11 && st.st_ino != first);
    CHECK(stat(pdf, &st_pdf) == 0 && st_pdf.st_size == 5);
    ino_t pdf_ino = st_pdf.st_ino;
    b = output_batch_open(dir, &errors);
    CHECK(b && output_batch_add(b, "a", again, 2, &errors) == 0);
    CHECK(b && output_batch_commit(b, &errors) == 0);
    output_batch_free(b);
    CHECK(stat(pdf, &st_pdf) == 0 && st_pdf.st_ino == pdf_ino);
    CHECK(stat(path, &st) == 0 && st.st_size == 11);
    CHECK(entries(dir) == 2);
    buffer_free(&changed);
    unlink(path);
    snprintf(path, sizeof path, "%s/a.pdf", dir);
    unlink(path);
    CHECK(rmdir(dir) == 0);
    char *text = errors_text(&errors);
    CHECK_STR(text, "");
    free(text);
    buffer_free(&content);
}

CHECK_MAIN("campaign", test_structure_errors(); test_example_letter(); test_plan();
           test_plain_quotes(); test_countries(); test_batch(); test_output_batch())
