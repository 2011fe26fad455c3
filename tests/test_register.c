/* test_register.c — reference patterns (format, scope, parse, every
 * pattern error), the archived document form (a tree written and read back
 * is the same tree), SHA-256, and the register: allocation, collisions,
 * voids, filters, the hash chain and what verify says when it is broken. */
#include "check.h"

#include "archive.h"
#include "buffer.h"
#include "docxml.h"
#include "reference.h"
#include "register.h"

#include <sqlite3.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct source_loc ini_loc = {"missive.ini", 3, 11};

/* Every error of list as printed, joined. */
static char *printed(struct errors *list)
{
    static char text[8192];
    text[0] = '\0';
    for (size_t i = 0; i < list->count; i++) {
        const struct error *e = &list->items[i];
        char line[1024];
        if (e->file && e->line)
            snprintf(line, sizeof line, "%s:%d:%d: %s\n", e->file, e->line, e->column, e->message);
        else
            snprintf(line, sizeof line, "%s: %s\n", e->file ? e->file : "missive", e->message);
        strncat(text, line, sizeof text - strlen(text) - 1);
    }
    errors_clear(list);
    return text;
}

static struct reference_fields seed_fields(void)
{
    struct reference_fields f;
    reference_fields_init(&f);
    f.org = "ICEM-IMF";
    f.year = 2011;
    f.yy = 11;
    f.language = "en";
    f.series = "LT";
    f.country = "KZ";
    return f;
}

static const struct reference_pattern *compile(struct arena *arena, const char *pattern,
                                               const char *scope, struct errors *errors)
{
    return reference_pattern_compile(arena, pattern, ini_loc, scope,
                                     (struct source_loc){"missive.ini", 4, 9}, errors);
}

static void test_reference_format(void)
{
    struct arena *arena = arena_new();
    struct errors errors = {0};
    const struct reference_pattern *p = compile(arena, REFERENCE_DEFAULT_PATTERN, NULL, &errors);
    CHECK(p != NULL);
    struct reference_fields f = seed_fields();
    CHECK(reference_check_fields(p, &f, ini_loc, &errors) == 0);
    CHECK_STR(reference_format(arena, p, &f, 107), "ICEM-IMF11/EN LT/107");
    CHECK_STR(reference_scope(arena, p, &f), "org=ICEM-IMF;year=11;language=en;series=LT");

    const struct reference_pattern *q =
        compile(arena, "{country}-{yyyy}-{lang}-{seq:4}", "year, country", &errors);
    CHECK(q != NULL);
    if (!p || !q)
        return;
    CHECK_STR(reference_format(arena, q, &f, 7), "KZ-2011-en-0007");
    CHECK_STR(reference_scope(arena, q, &f), "year=2011;country=KZ");
    const struct reference_pattern *none = compile(arena, "{org}/{seq}", "none", &errors);
    CHECK_STR(reference_scope(arena, none, &f), "");

    f.series = "L T";
    f.country = "kz";
    CHECK(reference_check_fields(p, &f, ini_loc, &errors) == 1);
    CHECK(reference_check_fields(q, &f, ini_loc, &errors) == 1);
    CHECK_STR(printed(&errors),
              "missive.ini:3:11: invalid series 'L T' (1 to 16 ASCII letters and digits, e.g. "
              "LT)\n"
              "missive.ini:3:11: invalid country 'kz' for references (2 upper-case letters, "
              "e.g. KZ)\n");
    arena_free(arena);
}

static void test_reference_parse(void)
{
    struct arena *arena = arena_new();
    struct errors errors = {0};
    const struct reference_pattern *p = compile(arena, REFERENCE_DEFAULT_PATTERN, NULL, &errors);
    struct reference_fields f;
    CHECK(reference_parse(arena, p, "ICEM-IMF11/EN LT/107", ini_loc, &f, &errors));
    CHECK_STR(f.org, "ICEM-IMF");
    CHECK(f.yy == 11 && f.year == -1 && f.seq == 107);
    CHECK_STR(f.language, "en");
    CHECK_STR(f.series, "LT");
    CHECK(f.country == NULL);
    CHECK_STR(reference_scope(arena, p, &f), "org=ICEM-IMF;year=11;language=en;series=LT");

    CHECK(!reference_parse(arena, p, "ICEM-IMF11/EN LT/0107", ini_loc, &f, &errors));
    CHECK(!reference_parse(arena, p, "ICEM-IMF11/E LT/1", ini_loc, &f, &errors));
    CHECK(!reference_parse(arena, p, "ICEM-IMF11/EN LT/0", ini_loc, &f, &errors));
    CHECK_STR(printed(&errors),
              "missive.ini:3:11: reference 'ICEM-IMF11/EN LT/0107' is not in the exact form the "
              "pattern '{org}{yy}/{LANG} {series}/{seq}' gives ('ICEM-IMF11/EN LT/107')\n"
              "missive.ini:3:11: reference 'ICEM-IMF11/E LT/1' does not follow the pattern "
              "'{org}{yy}/{LANG} {series}/{seq}'\n"
              "missive.ini:3:11: reference 'ICEM-IMF11/EN LT/0' is not in the exact form the "
              "pattern '{org}{yy}/{LANG} {series}/{seq}' gives ('ICEM-IMF11/EN LT/0')\n");

    const struct reference_pattern *q = compile(arena, "{country}-{yyyy}-{seq:4}", "", &errors);
    CHECK(reference_parse(arena, q, "KZ-2011-0042", ini_loc, &f, &errors));
    CHECK(f.year == 2011 && f.yy == 11 && f.seq == 42);
    CHECK_STR(f.country, "KZ");
    CHECK(errors.count == 0);
    arena_free(arena);
}

static void test_pattern_errors(void)
{
    struct arena *arena = arena_new();
    struct errors errors = {0};
    CHECK(compile(arena, "{org}{yy}/{LNG} {series}/{seq}", NULL, &errors) == NULL);
    CHECK(compile(arena, "{org}{yy}/{series}{seq}", NULL, &errors) == NULL);
    CHECK(compile(arena, "{org}{yy}/{series", NULL, &errors) == NULL);
    CHECK(compile(arena, "{org}/{seq}/{seq:0}", NULL, &errors) == NULL);
    CHECK(compile(arena, "{org}/{series}", NULL, &errors) == NULL);
    CHECK(compile(arena, "{org}/{seq}", "org, country, colour, org", &errors) == NULL);
    CHECK_STR(printed(&errors),
              "missive.ini:3:21: unknown part '{LNG}' in the reference pattern (parts: {org}, "
              "{yy}, {yyyy}, {LANG}, {lang}, {series}, {country}, {seq}, {seq:N} with N from 1 "
              "to 9)\n"
              "missive.ini:3:29: '{seq}' directly follows another part of varying width in the "
              "reference pattern (put text between them, or references could be read two "
              "ways)\n"
              "missive.ini:3:21: unclosed '{' in the reference pattern\n"
              "missive.ini:3:23: unknown part '{seq:0}' in the reference pattern (parts: {org}, "
              "{yy}, {yyyy}, {LANG}, {lang}, {series}, {country}, {seq}, {seq:N} with N from 1 "
              "to 9)\n"
              "missive.ini:3:11: the reference pattern must hold {seq} (or {seq:N}) exactly "
              "once, not 0 times\n"
              "missive.ini:4:14: scope part 'country' is not printed by the reference pattern "
              "(letters in different scopes would get the same reference)\n"
              "missive.ini:4:23: unknown scope part 'colour' (expected a comma-separated list "
              "of org, year, language, series, country, or 'none')\n"
              "missive.ini:4:31: scope part 'org' is listed twice\n");
    arena_free(arena);
}

static void test_sha256(void)
{
    char hex[65];
    archive_sha256("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    archive_sha256("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* ---- docxml ---- */

static int fake_hash(void *context, const char *path, char hex[65], struct errors *errors)
{
    (void)context;
    (void)errors;
    archive_sha256(path, strlen(path), hex);
    return 0;
}

/* The tree as text: kinds, texts (bytes escaped), images by blob name. */
static void dump_inlines(struct buffer *b, const struct doc_inline *in)
{
    static const char *const names[] = {"t", "em", "strong", "q", "br"};
    for (; in; in = in->next) {
        buffer_printf(b, "(%s", names[in->kind]);
        if (in->text)
            buffer_printf(b, " [%s]", in->text);
        dump_inlines(b, in->first_child);
        buffer_puts(b, ")");
    }
}

static void dump_blocks(struct buffer *b, const struct doc_block *block)
{
    for (; block; block = block->next) {
        buffer_printf(b, "<%s", doc_block_kind_name(block->kind));
        if (block->image) {
            /* Written as fake_hash(path), read back as blobs/HASH. */
            char hex[65];
            if (strncmp(block->image, "blobs/", 6) == 0)
                snprintf(hex, sizeof hex, "%s", block->image + 6);
            else
                fake_hash(NULL, block->image, hex, NULL);
            buffer_printf(b, " image=%.8s", hex);
        }
        dump_inlines(b, block->first_inline);
        dump_blocks(b, block->first_child);
        buffer_puts(b, ">");
    }
}

static const struct source_loc here = {"t.xml", 1, 1};
static struct doc_block *signature_line; /* of the last sample_doc */

static struct doc_document *sample_doc(void)
{
    struct doc_document *doc = doc_new("kk");
    doc->reference = "ICEM-IMF11/EN LT/107";
    doc->date = "2011-09-06";
    doc->title = "Тоқаев & <Co> \"quoted\"";
    doc->author = "Manfred Warda, Jyrki Raina";
    doc->name = "kazakhstan-2011";
    doc->timestamp = "2024-05-01T12:34:56Z";
    struct doc_block *head = doc_block_add(doc, doc->root, DOC_LETTERHEAD, here);
    struct doc_block *line = doc_block_add(doc, head, DOC_LINE, here);
    line->image = "letters/logo.png";
    doc_text_add(doc, line, NULL, "ICEM", 4, here);
    struct doc_block *p = doc_block_add(doc, doc->root, DOC_PARAGRAPH, here);
    const char *text = "  lead\tspace\r\nand CR; <&> ' \" Әә Қ  ";
    doc_text_add(doc, p, NULL, text, strlen(text), here);
    struct doc_inline *em = doc_inline_add(doc, p, NULL, DOC_EMPHASIS, here);
    struct doc_inline *q = doc_inline_add(doc, p, em, DOC_QUOTE, here);
    doc_text_add(doc, p, q, "inciting", 8, here);
    doc_inline_add(doc, p, NULL, DOC_LINEBREAK, here);
    doc_text_add(doc, p, NULL, " x ", 3, (struct source_loc){"t.xml", 2, 1});
    struct doc_block *sigs = doc_block_add(doc, doc->root, DOC_SIGNATURES, here);
    struct doc_block *sig = doc_block_add(doc, sigs, DOC_SIGNATURE, here);
    sig->image = "letters/signatures/warda.png";
    signature_line = doc_block_add(doc, sig, DOC_LINE, here);
    doc_text_add(doc, signature_line, NULL, "Manfred Warda", 13, here);
    /* Every other kind of block, so that none is forgotten by docxml. */
    static const enum doc_block_kind others[] = {DOC_REFERENCE, DOC_DATE,       DOC_ADDRESS,
                                                 DOC_SUBJECT,   DOC_SALUTATION, DOC_CLOSING,
                                                 DOC_ANNEX,     DOC_GROUP,      DOC_SIGNER};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        doc_text_add(doc, doc_block_add(doc, doc->root, others[i], here), NULL, "k", 1, here);
    return doc;
}

static struct settings sample_settings(void)
{
    static const char *fallbacks[] = {"fonts/DejaVuSerif.ttf", "fonts/Other.ttf"};
    struct settings s = {0};
    s.page = (struct page_settings){"A4",
                                    595.27559055118115,
                                    841.8897637795277,
                                    56.69291338582678,
                                    56.69291338582678,
                                    70.866141732283467,
                                    56.69291338582678};
    static const char *bold[] = {"fonts/DejaVuSerif-Bold.ttf"};
    s.fonts = (struct font_settings){.regular = "fonts/R.ttf",
                                     .italic = "fonts/I.ttf",
                                     .bold = "fonts/B.ttf",
                                     .bold_italic = "fonts/BI.ttf",
                                     .fallbacks = fallbacks,
                                     .fallback_count = 2,
                                     .size = 11,
                                     .leading = 13.75};
    s.fonts.style_fallbacks[DOC_STYLE_BOLD] = bold;
    s.fonts.style_fallback_count[DOC_STYLE_BOLD] = 1;
    s.text_width = 72;
    return s;
}

static void test_docxml_round_trip(void)
{
    struct errors errors = {0};
    struct doc_document *doc = sample_doc();
    struct settings s = sample_settings();
    struct buffer xml = {0}, a = {0}, b = {0};
    CHECK(docxml_write(doc, &s, fake_hash, NULL, &xml, &errors) == 0);
    struct docxml *x = docxml_read("archived.xml", xml.data, xml.len, "blobs", &errors);
    CHECK_STR(printed(&errors), "");
    CHECK(x != NULL);
    if (!x)
        return;
    dump_blocks(&a, doc->root->first_child);
    dump_blocks(&b, x->doc->root->first_child);
    CHECK_STR(b.data, a.data);
    CHECK_STR(x->doc->title, doc->title);
    CHECK_STR(x->doc->timestamp, doc->timestamp);
    CHECK_STR(x->doc->language, "kk");
    CHECK(x->settings.page.width == s.page.width &&
          x->settings.page.margin_left == s.page.margin_left);
    CHECK(x->settings.fonts.leading == 13.75 && x->settings.text_width == 72);
    CHECK(x->settings.fonts.fallback_count == 2);
    char hex[65];
    fake_hash(NULL, "fonts/Other.ttf", hex, NULL);
    char expected[128];
    snprintf(expected, sizeof expected, "blobs/%s", hex);
    CHECK_STR(x->settings.fonts.fallbacks[1], expected);
    CHECK(x->settings.fonts.style_fallback_count[DOC_STYLE_BOLD] == 1);
    CHECK(x->settings.fonts.style_fallback_count[DOC_STYLE_ITALIC] == 0);
    CHECK(x->hash_count == 9); /* 7 font files and 2 images */
    buffer_free(&a);
    buffer_free(&b);
    docxml_free(x);
    buffer_free(&xml);
    doc_free(doc);
}

static void test_docxml_refuses(void)
{
    struct errors errors = {0};
    struct doc_document *doc = sample_doc();
    struct settings s = sample_settings();
    struct buffer xml = {0};
    doc_text_add(doc, signature_line, NULL, "bell\a", 5,
                 (struct source_loc){"signatories.ini", 7, 8});
    CHECK(docxml_write(doc, &s, fake_hash, NULL, &xml, &errors) == -1);
    CHECK_STR(printed(&errors),
              "signatories.ini:7:8: cannot archive text holding control character U+0007\n");
    const char *damaged = "<missive-archive version=\"2\"><settings/><document language=\"en\">"
                          "<paragraph><t>x<em/></t><blink/></paragraph></document>"
                          "</missive-archive>";
    CHECK(docxml_read("a.xml", damaged, strlen(damaged), "blobs", &errors) == NULL);
    CHECK_STR(printed(&errors),
              "a.xml:1:0: damaged archived source: format version '2' is not known (this missive "
              "reads 1)\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'paper'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'width'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'height'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'margin-top'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'margin-bottom'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'margin-left'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'margin-right'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'font-size'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'leading'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks attribute 'text-width'\n"
              "a.xml:1:0: damaged archived source: <settings> lacks one of the four font styles\n"
              "a.xml:1:0: damaged archived source: <t> holds text only\n"
              "a.xml:1:0: damaged archived source: unexpected <blink> in <paragraph>\n");
    buffer_free(&xml);
    doc_free(doc);
}

/* ---- the register ---- */

static struct register_entry *entry(struct arena *arena, const char *reference, long long seq,
                                    const char *subject)
{
    struct register_entry *e = arena_alloc(arena, sizeof *e);
    *e = (struct register_entry){.event = "issue",
                                 .reference = reference,
                                 .scope = "org=ICEM-IMF;year=11;language=en;series=LT",
                                 .seq = seq,
                                 .recorded_at = "2024-05-01T12:00:00Z",
                                 .letter_date = "2011-09-06",
                                 .language = "en",
                                 .series = "LT",
                                 .country = "KZ",
                                 .recipient_id = "kz-president-2011",
                                 .recipient_name = "Нұрсұлтан Назарбаев",
                                 .subject = subject};
    e->signatories = arena_alloc(arena, 2 * sizeof *e->signatories);
    e->signatories[0] = (struct register_person){"warda", "Manfred Warda"};
    e->signatories[1] = (struct register_person){"raina", "Jyrki Raina"};
    e->signatory_count = 2;
    return e;
}

static void sql(const char *dir, const char *statement)
{
    char path[512];
    snprintf(path, sizeof path, "%s/register.sqlite", dir);
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, statement, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
}

static long verify(struct register_db *db, struct errors *errors)
{
    long long count;
    char head[65];
    register_begin(db, errors);
    long problems = register_verify(db, &count, head, errors);
    register_rollback(db);
    return problems;
}

static void test_register(void)
{
    char dir[] = "/tmp/missive-register-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct errors errors = {0};
    struct arena *arena = arena_new();
    struct register_db *db = register_open(dir, 1000, &errors);
    CHECK(db != NULL);
    if (!db)
        return;
    const char *scope = "org=ICEM-IMF;year=11;language=en;series=LT";
    CHECK(register_begin(db, &errors) == 0);
    CHECK(register_next_seq(db, scope, &errors) == 1);
    struct register_entry *e = entry(arena, "ICEM-IMF11/EN LT/107", 107, "Repression");
    e->event = "import";
    CHECK(register_append(db, arena, e, here, &errors) == 0);
    CHECK(e->id == 1);
    CHECK(register_next_seq(db, scope, &errors) == 108);
    CHECK(register_append(db, arena, entry(arena, "ICEM-IMF11/EN LT/108", 108, "Забастовка"), here,
                          &errors) == 0);
    CHECK(register_append(db, arena, entry(arena, "ICEM-IMF11/EN LT/108", 109, "x"), here,
                          &errors) == -1);
    CHECK(register_append(db, arena, entry(arena, "other", 108, "x"), here, &errors) == -1);
    CHECK(register_void(db, arena, "ICEM-IMF11/EN LT/108", "wrong address", "2024-05-02T00:00:00Z",
                        &errors) == 0);
    CHECK(register_void(db, arena, "ICEM-IMF11/EN LT/108", "again", "2024-05-02T00:00:00Z",
                        &errors) == -1);
    CHECK(register_next_seq(db, scope, &errors) == 109);
    CHECK(register_commit(db, &errors) == 0);
    CHECK_STR(printed(&errors),
              "t.xml:1:1: reference 'ICEM-IMF11/EN LT/108' is already in the register (entry 2, "
              "2024-05-01T12:00:00Z)\n"
              "t.xml:1:1: number 108 of scope 'org=ICEM-IMF;year=11;language=en;series=LT' is "
              "already taken by 'ICEM-IMF11/EN LT/108' (entry 2)\n"
              "missive: 'ICEM-IMF11/EN LT/108' is already void (since 2024-05-02T00:00:00Z: "
              "wrong address)\n");

    struct register_entry **list;
    struct register_filter filter = {.text = "ЗАБАСТОВКА"};
    CHECK(register_list(db, arena, &filter, &list, &errors) == 1);
    CHECK_STR(list[0]->reference, "ICEM-IMF11/EN LT/108");
    CHECK_STR(list[0]->void_reason, "wrong address");
    filter = (struct register_filter){.year = 2011, .signatory = "RAINA", .recipient = "назарбаев"};
    CHECK(register_list(db, arena, &filter, &list, &errors) == 2);
    filter = (struct register_filter){.year = 2012};
    CHECK(register_list(db, arena, &filter, &list, &errors) == 0);
    filter = (struct register_filter){.country = "KZ", .language = "en", .signatory = "warda"};
    CHECK(register_list(db, arena, &filter, &list, &errors) == 2);
    CHECK(verify(db, &errors) == 0);
    CHECK_STR(printed(&errors), "");

    char where[600];
    snprintf(where, sizeof where, "%s/register.sqlite", dir);
    sql(dir, "UPDATE entries SET subject = 'Nothing' WHERE id = 1");
    CHECK(verify(db, &errors) == 1);
    char expected[4096];
    snprintf(expected, sizeof expected,
             "%s: entry 1 (ICEM-IMF11/EN LT/107): its content does not match its hash (the "
             "entry was edited)\n",
             where);
    CHECK_STR(printed(&errors), expected);
    sql(dir, "UPDATE entries SET subject = 'Repression' WHERE id = 1; "
             "DELETE FROM entries WHERE id = 2");
    CHECK(verify(db, &errors) == 3);
    snprintf(expected, sizeof expected,
             "%s: entry 2 is missing (deleted from the register)\n"
             "%s: entry 3 (ICEM-IMF11/EN LT/108): its link to the entry before is broken (an "
             "earlier entry was edited, deleted or reordered)\n"
             "%s: entry 3 (ICEM-IMF11/EN LT/108): voids a reference that no earlier entry "
             "records\n",
             where, where, where);
    CHECK_STR(printed(&errors), expected);
    register_close(db);
    arena_free(arena);
    char command[600];
    snprintf(command, sizeof command, "rm -rf %s", dir);
    CHECK(system(command) == 0);
}

CHECK_MAIN("register", test_reference_format(); test_reference_parse(); test_pattern_errors();
           test_sha256(); test_docxml_round_trip(); test_docxml_refuses(); test_register())
