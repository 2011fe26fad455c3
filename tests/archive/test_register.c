/* test_register.c — reference patterns (format, scope, parse, every
 * pattern error), the archived document form (a tree written and read back
 * is the same tree), SHA-256, and the register: allocation, collisions,
 * voids, filters, the hash chain and what verify says when it is broken. */
#include "output.h"
#include "check.h"

#include "archive.h"
#include "buffer.h"
#include "snapshot.h"
#include "reference.h"
#include "register.h"
#include "register_internal.h"

#include <sqlite3.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
              "{yy}, {yyyy}, {LANG}, {lang}, {series}, {country}, {office}, {seq}, {seq:N} with N "
              "from 1 "
              "to 9)\n"
              "missive.ini:3:29: '{seq}' directly follows another part of varying width in the "
              "reference pattern (put text between them, or references could be read two "
              "ways)\n"
              "missive.ini:3:21: unclosed '{' in the reference pattern\n"
              "missive.ini:3:23: unknown part '{seq:0}' in the reference pattern (parts: {org}, "
              "{yy}, {yyyy}, {LANG}, {lang}, {series}, {country}, {office}, {seq}, {seq:N} with N "
              "from 1 "
              "to 9)\n"
              "missive.ini:3:11: the reference pattern must hold {seq} (or {seq:N}) exactly "
              "once, not 0 times\n"
              "missive.ini:4:14: scope part 'country' is not printed by the reference pattern "
              "(letters in different scopes would get the same reference)\n"
              "missive.ini:4:23: unknown scope part 'colour' (expected a comma-separated list "
              "of org, year, language, series, country, office, or 'none')\n"
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

/* ---- files ---- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static char *tmp_dir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/missive-register-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    return dir;
}

static void remove_tree(const char *dir)
{
    char command[600];
    snprintf(command, sizeof command, "chmod -R u+w %s && rm -rf %s", dir, dir);
    CHECK(system(command) == 0);
}

static void test_buffer_read_file(void)
{
    char *dir = tmp_dir();
    char path[128];
    snprintf(path, sizeof path, "%s/f", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite("a\0b\n", 1, 4, f) == 4);
    if (f)
        fclose(f);
    struct buffer b = {0};
    buffer_puts(&b, ">");
    CHECK(buffer_read_file(&b, path) == 0);
    CHECK(b.len == 5 && memcmp(b.data, ">a\0b\n", 6) == 0); /* appended, NUL-terminated */
    buffer_free(&b);
    write_text(path, "");
    CHECK(buffer_read_file(&b, path) == 0);
    CHECK(b.data != NULL && b.len == 0 && b.data[0] == '\0');
    buffer_free(&b);
    /* fopen succeeds on a folder; only ferror tells that reading failed. */
    errno = 0;
    CHECK(buffer_read_file(&b, dir) == -1);
    CHECK(errno == EISDIR);
    snprintf(path, sizeof path, "%s/none", dir);
    errno = 0;
    CHECK(buffer_read_file(&b, path) == -1);
    CHECK(errno == ENOENT);
    buffer_free(&b);
    remove_tree(dir);
}

static void test_archive_files(void)
{
    struct errors errors = {0};
    CHECK(archive_mkdirs("", &errors) == -1);
    CHECK_STR(printed(&errors), "missive: cannot create a folder with an empty name\n");
    char *dir = tmp_dir();
    char path[128];
    snprintf(path, sizeof path, "%s/a/b", dir);
    CHECK(archive_mkdirs(path, &errors) == 0);
    snprintf(path, sizeof path, "%s/a/b/out.pdf", dir);
    char *tmp = output_write_temp(path, "pdf", 3, 0640, &errors);
    CHECK(tmp != NULL);
    if (!tmp)
        return;
    struct stat st;
    CHECK(stat(tmp, &st) == 0 && (st.st_mode & 07777) == 0640 && st.st_size == 3);
    const char *name = strrchr(tmp, '/') + 1;
    CHECK(strncmp(name, "out.pdf.missive-", 16) == 0 && strlen(name) == 26);
    CHECK(output_is_temp(name));
    CHECK(output_install(tmp, path, &errors) == 0);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640);
    free(tmp);
    CHECK(archive_write_file(path, "x", 1, &errors) == 0);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == ARCHIVE_FILE_MODE);
    CHECK_STR(printed(&errors), "");
    /* Recovery removes only what has output_write_temp's form. */
    CHECK(output_is_temp("000002-REF.pdf.missive-aB3xY9.tmp"));
    CHECK(!output_is_temp("x.tmp"));
    CHECK(!output_is_temp("notes.abcdef.tmp"));
    CHECK(!output_is_temp(".missive-aB3xY9.tmp"));
    CHECK(!output_is_temp("a.missive-aB3xY.tmp"));
    CHECK(!output_is_temp("a.missive-aB3x-9.tmp"));
    CHECK(!output_is_temp("a.missive-aB3xY9.tmp.old"));
    remove_tree(dir);
}

/* ---- snapshot ---- */

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
        for (size_t i = 0; i < block->entry_count; i++)
            buffer_printf(b, "{%s}", block->entries[i].text);
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
    /* Every other kind of block, so that none is forgotten by snapshot. */
    static const enum doc_block_kind others[] = {
        DOC_REFERENCE, DOC_DATE,  DOC_ADDRESS, DOC_SUBJECT, DOC_SALUTATION,
        DOC_CLOSING,   DOC_ANNEX, DOC_GROUP,   DOC_SIGNER,  DOC_SENDER};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        doc_text_add(doc, doc_block_add(doc, doc->root, others[i], here), NULL, "k", 1, here);
    /* A group's signers are a list of entries, archived as <signer>s. */
    struct doc_block *group = doc_block_add(doc, doc->root, DOC_GROUP, here);
    static const struct doc_entry entries[] = {
        {.text = "Ann Lee, \"Local\" <9> & Co", .len = 25, .line = 4},
        {.text = "Гүлнар Жақсыбекова", .len = 35, .line = 5}};
    group->entries = entries;
    group->entry_count = 2;
    group->entries_file = "s.csv";
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

static void test_snapshot_round_trip(void)
{
    struct errors errors = {0};
    struct doc_document *doc = sample_doc();
    struct settings s = sample_settings();
    struct buffer xml = {0}, a = {0}, b = {0};
    CHECK(snapshot_write(doc, &s, fake_hash, NULL, &xml, &errors) == 0);
    struct snapshot *x = snapshot_read("archived.xml", xml.data, xml.len, "blobs", &errors);
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
    snapshot_free(x);
    buffer_free(&xml);
    doc_free(doc);
}

static void test_snapshot_refuses(void)
{
    struct errors errors = {0};
    struct doc_document *doc = sample_doc();
    struct settings s = sample_settings();
    struct buffer xml = {0};
    doc_text_add(doc, signature_line, NULL, "bell\a", 5,
                 (struct source_loc){"signatories.ini", 7, 8});
    CHECK(snapshot_write(doc, &s, fake_hash, NULL, &xml, &errors) == -1);
    CHECK_STR(printed(&errors),
              "signatories.ini:7:8: cannot archive text holding control character U+0007\n");
    const char *damaged = "<missive-archive version=\"2\"><settings/><document language=\"en\">"
                          "<paragraph><t>x<em/></t><blink/></paragraph></document>"
                          "</missive-archive>";
    CHECK(snapshot_read("a.xml", damaged, strlen(damaged), "blobs", &errors) == NULL);
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

/* fake_hash, keeping a copy named by that hash whose content is the path,
 * so the copy matches its name. */
static int blob_hash(void *context, const char *path, char hex[65], struct errors *errors)
{
    fake_hash(NULL, path, hex, errors);
    char *blob = archive_join(context, hex);
    struct stat st;
    int status = stat(blob, &st) == 0 ? 0 : archive_write_file(blob, path, strlen(path), errors);
    free(blob);
    return status;
}

static void test_snapshot_read_archived(void)
{
    struct errors errors = {0};
    char *dir = tmp_dir();
    char blobs[128], source[128], expected[2048];
    snprintf(blobs, sizeof blobs, "%s/blobs", dir);
    snprintf(source, sizeof source, "%s/source.xml", dir);
    CHECK(archive_mkdirs(blobs, &errors) == 0);
    struct doc_document *doc = sample_doc();
    struct settings s = sample_settings();
    s.fonts.italic = "fonts/Other.ttf"; /* also a fallback */
    struct buffer xml = {0};
    CHECK(snapshot_write(doc, &s, blob_hash, blobs, &xml, &errors) == 0);
    CHECK(archive_write_file(source, xml.data, xml.len, &errors) == 0);
    char sha[65], other[65], changed[65];
    archive_sha256(xml.data, xml.len, sha);
    struct snapshot *x = snapshot_read_archived(source, sha, blobs, true, &errors);
    CHECK(x != NULL && x->hash_count == 9);
    snapshot_free(x);
    CHECK_STR(printed(&errors), "");

    archive_sha256("other", 5, other);
    CHECK(snapshot_read_archived(source, other, blobs, true, &errors) == NULL);
    snprintf(expected, sizeof expected,
             "%s: the archived source has changed since it was issued (SHA-256 %s, recorded %s): "
             "it cannot be trusted for a reprint\n",
             source, sha, other);
    CHECK_STR(printed(&errors), expected);

    /* A font gone: refused, named once though two roles use it. */
    fake_hash(NULL, "fonts/Other.ttf", other, NULL);
    char *blob = archive_join(blobs, other);
    CHECK(unlink(blob) == 0);
    CHECK(snapshot_read_archived(source, sha, blobs, false, &errors) == NULL);
    snprintf(expected, sizeof expected, "%s: the font or image that %s names is missing\n", blob,
             source);
    CHECK_STR(printed(&errors), expected);

    /* A font changed: only a reprint (check_content) looks inside. */
    write_text(blob, "changed");
    archive_sha256("changed", 7, changed);
    x = snapshot_read_archived(source, sha, blobs, false, &errors);
    CHECK(x != NULL);
    snapshot_free(x);
    CHECK_STR(printed(&errors), "");
    CHECK(snapshot_read_archived(source, sha, blobs, true, &errors) == NULL);
    snprintf(expected, sizeof expected,
             "%s: the font or image that %s names has changed since it was archived (SHA-256 "
             "%s)\n",
             blob, source, changed);
    CHECK_STR(printed(&errors), expected);
    free(blob);

    snprintf(source, sizeof source, "%s/none.xml", dir);
    CHECK(snapshot_read_archived(source, sha, blobs, true, &errors) == NULL);
    snprintf(expected, sizeof expected,
             "%s: cannot read the archived source: No such file or directory\n", source);
    CHECK_STR(printed(&errors), expected);
    buffer_free(&xml);
    doc_free(doc);
    remove_tree(dir);
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
                        NULL, &errors) == 0);
    CHECK(register_void(db, arena, "ICEM-IMF11/EN LT/108", "again", "2024-05-02T00:00:00Z", NULL,
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

/* Database failures, leftovers and strays: each is reported, none is
 * mistaken for "nothing there" or removed when missive did not make it. */
static void test_register_failures(void)
{
    char *dir = tmp_dir();
    struct errors errors = {0};
    struct arena *arena = arena_new();
    struct register_db *db = register_open(dir, 1000, &errors);
    CHECK(db != NULL);
    if (!db)
        return;
    struct register_entry *one = entry(arena, "ICEM-IMF11/EN LT/1", 1, "a");
    struct register_entry *two = entry(arena, "ICEM-IMF11/EN LT/2", 2, "b");
    CHECK(register_begin(db, &errors) == 0);
    CHECK(register_append(db, arena, one, here, &errors) == 0);
    CHECK(register_append(db, arena, two, here, &errors) == 0);
    CHECK(register_commit(db, &errors) == 0);
    struct register_entry *taken = entry(arena, "ICEM-IMF11/EN LT/2", 3, "c");
    CHECK(register_check_free(db, arena, taken, here, &errors) == 1);
    CHECK(register_check_free(db, arena, entry(arena, "ICEM-IMF11/EN LT/3", 3, "c"), here,
                              &errors) == 0);
    CHECK_STR(printed(&errors), "t.xml:1:1: reference 'ICEM-IMF11/EN LT/2' is already in the "
                                "register (entry 2, 2024-05-01T12:00:00Z)\n");
    char where[600], failed[700], expected[4096];
    snprintf(where, sizeof where, "%s/register.sqlite", dir);
    snprintf(failed, sizeof failed, "%s: register database: integer overflow\n", where);

    /* SQLite failing in the middle of a statement (a view whose expression
     * overflows on one row) is an error, never "no more rows". */
    sql(dir, "ALTER TABLE signatories RENAME TO signatories_real;"
             "CREATE VIEW signatories AS SELECT entry_id, position, CASE WHEN entry_id = 1"
             " THEN abs(-9223372036854775807 - 1) ELSE id END AS id, name FROM signatories_real");
    CHECK(register_find(db, arena, "ICEM-IMF11/EN LT/1", &errors) == NULL);
    CHECK_STR(printed(&errors), failed);
    sql(dir, "DROP VIEW signatories; ALTER TABLE signatories_real RENAME TO signatories;"
             "ALTER TABLE entries RENAME TO entries_real;"
             "CREATE VIEW entries AS SELECT id, event, reference, scope, seq, CASE WHEN id = 2"
             " THEN abs(-9223372036854775807 - 1) ELSE recorded_at END AS recorded_at,"
             " letter_date, language, series, country, recipient_id, recipient_name, subject,"
             " template, reason, prev_hash, hash, libraries, office FROM entries_real");
    CHECK(register_check_free(db, arena, taken, here, &errors) == -1);
    CHECK_STR(printed(&errors), failed);
    CHECK(register_check_head(db, &errors) == 0);
    /* verify counts the chain walk cut short as a problem of its own (the
     * slice that failed is unchecked) */
    CHECK(verify(db, &errors) == 2);
    snprintf(expected, sizeof expected,
             "%s"
             "%s: the register's head records 2 entries ending in %.12s..., but the chain has 0 "
             "ending in 000000000000... (entries deleted at the end, or the head edited)\n",
             failed, where, two->hash);
    CHECK_STR(printed(&errors), expected);

    /* With no files table, neither the chain nor letters/ can be checked. */
    sql(dir, "DROP VIEW entries; ALTER TABLE entries_real RENAME TO entries;"
             "ALTER TABLE files RENAME TO files_gone");
    char path[600];
    snprintf(path, sizeof path, "%s/letters", dir);
    CHECK(archive_mkdirs(path, &errors) == 0);
    snprintf(path, sizeof path, "%s/letters/stray.pdf", dir);
    write_text(path, "x");
    CHECK(verify(db, &errors) == 2);
    snprintf(failed, sizeof failed, "%s: register database: no such table: files\n", where);
    snprintf(expected, sizeof expected,
             "%s"
             "%s: the register's head records 2 entries ending in %.12s..., but the chain has 0 "
             "ending in 000000000000... (entries deleted at the end, or the head edited)\n",
             failed, where, two->hash);
    CHECK_STR(printed(&errors), expected);
    sql(dir, "ALTER TABLE files_gone RENAME TO files");

    /* Recovery removes missive's temporaries and the unrecorded files the
     * journal names, nothing else; verify reports the rest. */
    const char *made[] = {"letters/000003-X.pdf",
                          "letters/000003-X.pdf.missive-aB3xY9.tmp",
                          "blobs/0123.missive-000000.tmp",
                          "pending.journal.missive-Zz9Zz9.tmp",
                          "x.tmp",
                          "blobs/y.tmp",
                          "letters/notes.tmp"};
    snprintf(path, sizeof path, "%s/blobs", dir);
    CHECK(archive_mkdirs(path, &errors) == 0);
    for (size_t i = 0; i < sizeof made / sizeof *made; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, made[i]);
        write_text(path, "x");
    }
    char *journal[] = {"letters/000003-X.pdf", "letters/stray.pdf.none"};
    CHECK(archive_journal_write(dir, journal, 2, &errors) == 0);
    CHECK(register_begin(db, &errors) == 0);
    char **removed = register_recover(db, &errors);
    register_rollback(db);
    struct buffer list = {0};
    for (size_t i = 0; removed[i]; i++)
        buffer_printf(&list, "%s\n", removed[i]);
    register_strings_free(removed);
    CHECK_STR(list.data, "letters/000003-X.pdf\n"
                         "letters/000003-X.pdf.missive-aB3xY9.tmp\n"
                         "blobs/0123.missive-000000.tmp\n"
                         "pending.journal.missive-Zz9Zz9.tmp\n");
    buffer_free(&list);
    CHECK(verify(db, &errors) == 4);
    snprintf(expected, sizeof expected,
             "%s/letters/notes.tmp: no entry records this file (an orphan: its entry was deleted, "
             "or the file was put there by hand)\n"
             "%s/letters/stray.pdf: no entry records this file (an orphan: its entry was deleted, "
             "or the file was put there by hand)\n"
             "%s/blobs/y.tmp: missive did not make this file: copies of fonts and images are "
             "named by their SHA-256 (an orphan: put there by hand?)\n"
             "%s/x.tmp: missive did not make this file (an orphan in the archive folder: put "
             "there by hand?)\n",
             dir, dir, dir, dir);
    CHECK_STR(printed(&errors), expected);
    register_close(db);
    arena_free(arena);
    remove_tree(dir);
}

/* The entry hash is the register's one durable on-disk format: a known
 * answer, computed apart from missive from the text docs/register.md
 * gives (a NULL field is "name:", text escapes backslash and newline). */
static void test_entry_hash_known_answer(void)
{
    struct register_person people[] = {{"warda", "Manfred Warda"}, {NULL, "Jyrki Raina"}};
    char sha[65];
    memset(sha, 0, sizeof sha);
    for (int i = 0; i < 64; i += 2)
        memcpy(sha + i, "ab", 2);
    struct register_file files[] = {{"pdf", "letters/000007-ICEM-IMF11-EN-LT-107.pdf", sha, 15360}};
    struct register_entry e = {.id = 7,
                               .event = "issue",
                               .reference = "ICEM-IMF11/EN LT/107",
                               .scope = "ICEM-IMF|2011|en|LT",
                               .seq = 107,
                               .recorded_at = "2011-09-06T10:00:00Z",
                               .letter_date = "2011-09-06",
                               .language = "en",
                               .series = "LT",
                               .recipient_id = "nazarbayev",
                               .recipient_name = "Нұрсұлтан Назарбаев",
                               .subject = "Line one\nback\\slash",
                               .template_name = "solidarity",
                               .signatories = people,
                               .signatory_count = 2,
                               .files = files,
                               .file_count = 1,
                               .prev_hash = REGISTER_ZERO_HASH};
    char hex[65];
    register_entry_hash(&e, hex);
    CHECK_STR(hex, "680f7a8e2e7aa0c69ec06472d1c5bc5edb3ab736793965679eb566051f2e2626");
    /* Any field changes it. */
    e.country = "";
    register_entry_hash(&e, hex);
    CHECK(strcmp(hex, "680f7a8e2e7aa0c69ec06472d1c5bc5edb3ab736793965679eb566051f2e2626") != 0);
}

CHECK_MAIN("register", test_entry_hash_known_answer(); test_reference_format();
           test_reference_parse(); test_pattern_errors(); test_sha256(); test_buffer_read_file();
           test_archive_files(); test_snapshot_round_trip(); test_snapshot_refuses();
           test_snapshot_read_archived(); test_register(); test_register_failures())
