/* test_core.c — the lead's modules below merge: document runs (whitespace,
 * quotation marks per language), safe output names and atomic writes, the
 * error list's printed form. */
#include "check.h"

#include "buffer.h"
#include "doc.h"
#include "error.h"
#include "kept.h"
#include "output.h"
#include "value.h"
#include "words.h"

#include <glob.h>

#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

static const struct source_loc here = {"t.xml", 1, 1};

static char *plain(struct doc_document *doc, struct doc_block *block, const char *lang)
{
    return doc_plain_text(doc->arena, block, lang);
}

static void test_whitespace(void)
{
    struct doc_document *doc = doc_new("en");
    struct doc_block *p = doc_block_add(doc, doc->root, DOC_PARAGRAPH, here);
    doc_text_add(doc, p, NULL, "\n   On behalf  of\n\t45 million ", 31, here);
    struct doc_inline *em = doc_inline_add(doc, p, NULL, DOC_EMPHASIS, here);
    doc_text_add(doc, p, em, " industrial ", 12, (struct source_loc){"t.xml", 2, 1});
    doc_text_add(doc, p, NULL, "workers\u00A0(IMF)  \n", 17, (struct source_loc){"t.xml", 3, 1});
    CHECK_STR(plain(doc, p, "en"), "On behalf of 45 million industrial workers\u00A0(IMF)");

    struct doc_run *runs;
    size_t n = doc_runs(doc->arena, p, "en", &runs);
    CHECK(n == 3);
    CHECK(runs[1].style == DOC_STYLE_ITALIC);
    CHECK(runs[1].len == strlen(" industrial"));
    doc_free(doc);
}

static void test_quotes(void)
{
    const char *cases[][2] = {
        {"en", "of \u201Cinciting \u2018social\u2019 hatred\u201D."},
        {"fr", "of \u00AB\u00A0inciting \u201Csocial\u201D hatred\u00A0\u00BB."},
        {"de", "of \u201Einciting \u201Asocial\u2018 hatred\u201C."},
        {"ru", "of \u00ABinciting \u201Esocial\u201C hatred\u00BB."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct doc_document *doc = doc_new(cases[i][0]);
        struct doc_block *p = doc_block_add(doc, doc->root, DOC_PARAGRAPH, here);
        doc_text_add(doc, p, NULL, "of ", 3, here);
        struct doc_inline *q = doc_inline_add(doc, p, NULL, DOC_QUOTE, here);
        doc_text_add(doc, p, q, " inciting ", 10, here);
        struct doc_inline *inner = doc_inline_add(doc, p, q, DOC_QUOTE, here);
        doc_text_add(doc, p, inner, "social", 6, here);
        doc_text_add(doc, p, q, " hatred ", 8, (struct source_loc){"t.xml", 9, 9});
        doc_text_add(doc, p, NULL, ".", 1, (struct source_loc){"t.xml", 10, 1});
        CHECK_STR(plain(doc, p, cases[i][0]), cases[i][1]);
        doc_free(doc);
    }
}

/* Random text of pieces doc_runs treats apart: ASCII words, letters of
 * other scripts, quotes, French signs and spaces, guillemets, dashes,
 * broken UTF-8. */
static size_t random_text(char *out, size_t room, unsigned *seed)
{
    static const char *const pieces[] = {
        "a",      "Zw",     "9",        "10:30",  " ",      "  ",     "\t",     "\n",
        "'",      "\"",     ";",        ":",      "!",      "?",      ",",      ".",
        "(",      ")",      "ą",        "ó",      "é",      "Ł",      "д",      "Θ",
        "ø",      "ł",      "\u00A0",   "\u202F", "\u00AB", "\u00BB", "\u201C", "\u201D",
        "\u2018", "\u2019", "\u201E",   "\u201A", "\u2013", "\u2014", "\u3042", "\xF0\x9F\x98\x80",
        "\xC3",   "\x80",   "\xE2\x80", "\x01"};
    size_t count = sizeof pieces / sizeof pieces[0], len = 0;
    for (size_t k = (size_t)rand_r(seed) % 12; k > 0; k--) {
        const char *piece = pieces[(size_t)rand_r(seed) % count];
        size_t n = strlen(piece);
        if (len + n + 1 > room)
            break;
        memcpy(out + len, piece, n);
        len += n;
    }
    out[len] = '\0';
    return len;
}

/* A paragraph of random texts, some quoted or emphasised. */
static struct doc_block *random_paragraph(struct doc_document *doc, unsigned *seed)
{
    struct doc_block *p = doc_block_add(doc, doc->root, DOC_PARAGRAPH, here);
    char text[128];
    for (int k = 1 + rand_r(seed) % 3; k > 0; k--) {
        struct doc_inline *parent = NULL;
        int kind = rand_r(seed) % 4;
        if (kind == 1)
            parent = doc_inline_add(doc, p, NULL, DOC_QUOTE, here);
        else if (kind == 2)
            parent = doc_inline_add(doc, p, NULL, DOC_EMPHASIS, here);
        size_t n = random_text(text, sizeof text, seed);
        doc_text_add(doc, p, parent, text, n, here);
    }
    return p;
}

/* doc_runs copies the letters of other scripts in its word loop: the same
 * runs as taking them the long way, in every language's rules. */
static void test_runs_word_loop(void)
{
    static const char *const languages[] = {"en", "fr", "fr-CH", "de", "ru", "pl"};
    unsigned seed = 17;
    size_t different = 0, texts = 0;
    for (size_t l = 0; l < sizeof languages / sizeof languages[0]; l++) {
        for (int t = 0; t < 4000; t++, texts++) {
            struct doc_document *doc = doc_new(languages[l]);
            struct doc_block *p = random_paragraph(doc, &seed);
            struct doc_run *fast, *slow;
            doc_runs_ascii_only = false;
            size_t n = doc_runs(doc->arena, p, languages[l], &fast);
            doc_runs_ascii_only = true;
            size_t m = doc_runs(doc->arena, p, languages[l], &slow);
            doc_runs_ascii_only = false;
            bool same = n == m;
            for (size_t i = 0; same && i < n; i++)
                same = fast[i].len == slow[i].len && fast[i].style == slow[i].style &&
                       fast[i].line_break == slow[i].line_break &&
                       memcmp(fast[i].text, slow[i].text, fast[i].len) == 0;
            different += !same;
            doc_free(doc);
        }
    }
    if (different)
        fprintf(stderr, "test_runs_word_loop: %zu of %zu texts differ\n", different, texts);
    CHECK(different == 0);
}

static void test_line_break(void)
{
    struct doc_document *doc = doc_new("en");
    struct doc_block *p = doc_block_add(doc, doc->root, DOC_PARAGRAPH, here);
    doc_text_add(doc, p, NULL, "first line ", 11, here);
    doc_inline_add(doc, p, NULL, DOC_LINEBREAK, here);
    doc_text_add(doc, p, NULL, " second", 7, (struct source_loc){"t.xml", 2, 1});
    struct doc_run *runs;
    size_t n = doc_runs(doc->arena, p, "en", &runs);
    CHECK(n == 3);
    CHECK(n == 3 && runs[1].line_break);
    CHECK_STR(plain(doc, p, "en"), "first line\nsecond");
    doc_free(doc);
}

static void test_safe_names(void)
{
    const char *cases[][2] = {
        {"ICEM-IMF11/EN LT/107", "ICEM-IMF11-EN-LT-107"},
        {"../../etc/passwd", "etc-passwd"},
        {"/abs/path", "abs-path"},
        {"..", "letter"},
        {"", "letter"},
        {"Жаңаөзен 2021", "2021"},
        {".hidden", "hidden"},
        {"a//b", "a-b"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *name = output_safe_name(cases[i][0]);
        CHECK_STR(name, cases[i][1]);
        free(name);
    }
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* A spooled draft (output_spool_open on the output's file system) is
 * linked into its folder, not copied: the same inode, one name; on another
 * file system (/dev/shm) it is copied, the same bytes. */
static void test_spool_linked(void)
{
    char dir[] = "/tmp/missive-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    static const char *const spools[] = {"/tmp", "/dev/shm"};
    for (int k = 0; k < 2; k++) {
        setenv("TMPDIR", spools[k], 1);
        struct errors errors = {0};
        int fd = output_spool_open(&errors);
        CHECK(fd >= 0 && output_spool_write(fd, "spooled bytes", 13) == 0);
        struct buffer none = {0};
        struct output_file files[] = {{"pdf", &none}};
        char stem[8];
        snprintf(stem, sizeof stem, "P-%d", k);
        CHECK(output_write_all_from(dir, stem, files, &fd, 1, &errors) == 0);
        char path[256];
        snprintf(path, sizeof path, "%s/%s.pdf", dir, stem);
        struct stat out, spool;
        CHECK(stat(path, &out) == 0 && fstat(fd, &spool) == 0);
        CHECK((out.st_ino == spool.st_ino) == (k == 0) && out.st_nlink == 1 && out.st_size == 13 &&
              output_holds(path, "spooled bytes", 13));
        close(fd);
        unlink(path);
        errors_clear(&errors);
    }
    unsetenv("TMPDIR");
    CHECK(count_entries(dir) == 0);
    rmdir(dir);
}

/* A group for a setgid folder other than the process's own, or the own
 * one when the process may set no other (not root, no other groups). */
static gid_t other_group(void)
{
    if (geteuid() == 0)
        return getegid() + 1;
    gid_t groups[64];
    int n = getgroups(64, groups);
    for (int i = 0; i < n; i++)
        if (groups[i] != getegid())
            return groups[i];
    return getegid();
}

/* A spooled draft linked into a setgid folder takes the folder's group, as
 * a file made there (or the copy) does, not the spool's. */
static void test_spool_group(void)
{
    char dir[] = "/tmp/missive-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    gid_t group = other_group();
    CHECK(chown(dir, (uid_t)-1, group) == 0 && chmod(dir, 02700) == 0);
    setenv("TMPDIR", "/tmp", 1);
    struct errors errors = {0};
    int fd = output_spool_open(&errors);
    CHECK(fd >= 0 && output_spool_write(fd, "grouped", 7) == 0);
    struct buffer none = {0};
    struct output_file files[] = {{"pdf", &none}};
    CHECK(output_write_all_from(dir, "G", files, &fd, 1, &errors) == 0);
    char path[256];
    snprintf(path, sizeof path, "%s/G.pdf", dir);
    struct stat out, spool;
    CHECK(stat(path, &out) == 0 && fstat(fd, &spool) == 0);
    CHECK(out.st_ino == spool.st_ino && out.st_gid == group);
    if (group == getegid())
        printf("test_spool_group: no other group to set; the group's check is weak\n");
    close(fd);
    unlink(path);
    unsetenv("TMPDIR");
    errors_clear(&errors);
    rmdir(dir);
}

static void test_atomic_write(void)
{
    char dir[] = "/tmp/missive-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct buffer a = {0}, b = {0};
    buffer_puts(&a, "pdf bytes");
    buffer_puts(&b, "text bytes\n");
    struct output_file files[] = {{"pdf", &a}, {"txt", &b}};
    struct errors errors = {0};
    CHECK(output_write_all(dir, "L-1", files, 2, &errors) == 0);
    CHECK(count_entries(dir) == 2);
    char path[256];
    snprintf(path, sizeof path, "%s/L-1.txt", dir);
    FILE *f = fopen(path, "r");
    char got[32] = {0};
    CHECK(f && fread(got, 1, sizeof got - 1, f) == 11);
    if (f)
        fclose(f);
    CHECK_STR(got, "text bytes\n");
    /* Written again the same: left alone, not replaced. */
    struct stat before, after;
    CHECK(stat(path, &before) == 0);
    CHECK(output_write_all(dir, "L-1", files, 2, &errors) == 0);
    CHECK(stat(path, &after) == 0 && after.st_ino == before.st_ino);
    CHECK(count_entries(dir) == 2);
    struct buffer c = {0};
    buffer_puts(&c, "other text\n");
    struct output_file changed[] = {{"pdf", &a}, {"txt", &c}};
    CHECK(output_write_all(dir, "L-1", changed, 2, &errors) == 0);
    CHECK(stat(path, &after) == 0 && after.st_ino != before.st_ino && after.st_size == 11);
    buffer_free(&c);
    /* A FIFO where a draft goes is replaced, not opened (opening it would
     * wait for a writer forever). */
    char fifo[300];
    snprintf(fifo, sizeof fifo, "%s/L-1.pdf", dir);
    CHECK(unlink(fifo) == 0 && mkfifo(fifo, 0644) == 0);
    CHECK(output_write_all(dir, "L-1", files, 2, &errors) == 0);
    CHECK(stat(fifo, &after) == 0 && S_ISREG(after.st_mode) && after.st_size == 9);

    /* A folder that cannot be created: error names it, nothing is left. */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/no/such", dir);
    CHECK(output_write_all(bad, "L-2", files, 2, &errors) == -1);
    CHECK(errors.count == 1);
    char *msg = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&msg, &len);
    errors_print(&errors, mem);
    fclose(mem);
    char expect[400];
    snprintf(expect, sizeof expect,
             "%s: error: cannot create output folder: No such file or directory\n", bad);
    CHECK_STR(msg, expect);
    free(msg);
    CHECK(count_entries(dir) == 2);
    errors_clear(&errors);
    unlink(path);
    snprintf(path, sizeof path, "%s/L-1.pdf", dir);
    unlink(path);
    rmdir(dir);
    buffer_free(&a);
    buffer_free(&b);
}

static void test_error_forms(void)
{
    struct errors errors = {0};
    errors_add(&errors, (struct source_loc){"letters/a.xml", 14, 9}, "unknown name '%s'", "x");
    errors_add_at(&errors, "letters/b.ini", 3, 0, "two\nlines");
    errors_add_at(&errors, "out", 0, 0, "no line");
    errors_add_at(&errors, NULL, 0, 0, "no file");
    char *msg = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&msg, &len);
    errors_print(&errors, mem);
    fclose(mem);
    CHECK_STR(msg, "letters/a.xml:14:9: error: unknown name 'x'\n"
                   "letters/b.ini:3: error: two lines\n"
                   "out: error: no line\n"
                   "missive: error: no file\n");
    free(msg);
    errors_clear(&errors);
}

/* Every language a template is written in has its own words (no silent
 * English page footer under a French letter). */
static void test_words(void)
{
    glob_t g;
    CHECK(glob("templates/*/*.xml", 0, NULL, &g) == 0);
    size_t languages = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char language[8] = {0};
        const char *base = strrchr(g.gl_pathv[i], '/') + 1;
        snprintf(language, sizeof language, "%.*s", (int)(strcspn(base, ".")), base);
        if (!words_known(language))
            fprintf(stderr, "no words for template language '%s' (%s)\n", language, g.gl_pathv[i]);
        CHECK(words_known(language));
        languages++;
    }
    globfree(&g);
    CHECK(languages >= 6); /* solidarity en fr de es ru, petition en */
    CHECK_STR(words_for("fr-CA")->draft, "PROJET");
    CHECK_STR(words_for("it")->signatories, "Signatories");
    CHECK(!words_known("it") && !words_known("english") && words_known("kk"));
    CHECK_STR(words_for("de")->continued, "Unterzeichnende (Fortsetzung)");
    CHECK_STR(words_for("ru")->quotes[2], "\u201E");
}

/* Value maps and lists as loading builds them: reserved to size, indexed
 * past 16 keys, sharing one array of keys until one of them gets a key of
 * its own; strings packed between aligned blocks. */
static void test_values(void)
{
    struct arena *a = arena_new();
    struct value *big = value_map(a, here);
    value_reserve(a, big, 40);
    char key[16];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "k%d", i);
        value_map_set(a, big, key, value_string(a, key, here));
    }
    CHECK(big->count == 100);
    CHECK_STR(value_map_get(big, "k0")->string, "k0");
    CHECK_STR(value_map_get(big, "k99")->string, "k99");
    CHECK_STR(value_map_get(big, "k57")->string, "k57");
    CHECK(value_map_get(big, "k100") == NULL);
    value_map_set(a, big, "k3", value_string(a, "three", here));
    CHECK(big->count == 100);
    CHECK_STR(value_map_get(big, "k3")->string, "three");

    struct value *one = value_map(a, here), *two = value_map(a, here);
    value_reserve(a, one, 2);
    value_reserve(a, two, 2);
    value_map_set(a, one, "name", value_string(a, "One", here));
    value_map_set(a, one, "title", value_string(a, "First", here));
    value_map_set(a, two, "name", value_string(a, "Two", here));
    CHECK(!value_map_share_keys(two, one)); /* different keys */
    value_map_set(a, two, "title", value_string(a, "Second", here));
    CHECK(value_map_share_keys(two, one));
    CHECK(two->keys == one->keys);
    /* A key added to one must not show in the other, whichever adds. */
    value_map_set(a, two, "fax", value_string(a, "123", here));
    value_map_set(a, one, "city", value_string(a, "Almaty", here));
    CHECK(two->keys != one->keys);
    CHECK(value_map_get(one, "fax") == NULL && value_map_get(two, "city") == NULL);
    CHECK_STR(value_map_get(two, "fax")->string, "123");
    CHECK_STR(value_map_get(one, "city")->string, "Almaty");
    CHECK_STR(one->keys[2], "city");
    CHECK_STR(two->keys[2], "fax");
    CHECK_STR(value_map_get(two, "name")->string, "Two");

    struct value *list = value_list(a, here);
    value_reserve(a, list, 3);
    for (int i = 0; i < 9; i++)
        value_list_push(a, list, value_string(a, i % 2 ? "odd" : "even", here));
    CHECK(list->count == 9);
    CHECK_STR(list->items[8]->string, "even");

    char *s1 = arena_strdup(a, "ab");
    char *s2 = arena_strdup(a, "cd");
    CHECK(s2 == s1 + 3); /* packed */
    double *d = arena_alloc(a, sizeof *d);
    CHECK((uintptr_t)d % _Alignof(max_align_t) == 0);
    double *e = arena_alloc(a, sizeof *e);
    CHECK((char *)e == (char *)d + _Alignof(max_align_t)); /* no more room than that */
    CHECK_STR(s1, "ab");
    CHECK_STR(s2, "cd");
    /* Formatted: a short text, and ones either side of the local buffer. */
    CHECK_STR(arena_printf(a, "line %d of %s", 42, "x.csv"), "line 42 of x.csv");
    for (int n = 250; n <= 260; n++) {
        char *t = arena_printf(a, "%*s|%d", n, "a", n);
        char want[300];
        snprintf(want, sizeof want, "%*s|%d", n, "a", n);
        CHECK_STR(t, want);
    }
    arena_free(a);
}

/* Text number i of the spool test: lengths from 0 to a few hundred bytes,
 * with one larger than the spool's write buffer and one than its window. */
static size_t spool_text(size_t i, struct buffer *b)
{
    buffer_reset(b);
    size_t len = i == 7 ? (300u << 10) : i == 900 ? (1300u << 10) : (i * 37) % 301;
    for (size_t k = 0; k < len; k++)
        buffer_putc(b, (char)('a' + (i + k) % 26));
    return len;
}

/* The annex entries' spool gives back what was put, in order and not,
 * across its window and buffer; a document's entries read through it as
 * through memory; no temporary file: no spool, and the entries stay in
 * memory. */
static void test_entry_spool(void)
{
    struct doc_document *doc = doc_new("en");
    struct doc_spool *spool = doc_entry_spool(doc);
    CHECK(spool != NULL);
    if (!spool) {
        doc_free(doc);
        return;
    }
    CHECK(doc_entry_spool(doc) == spool);
    enum { COUNT = 6000 };
    static uint64_t at[COUNT];
    struct buffer b = {0};
    for (size_t i = 0; i < COUNT; i++) {
        size_t len = spool_text(i, &b);
        at[i] = doc_spool_put(spool, b.data ? b.data : "", len);
    }
    size_t wrong = 0;
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t n = 0; n < COUNT; n++) {
            size_t i = pass ? (n * 7919) % COUNT : n; /* in order, then scattered */
            size_t len = spool_text(i, &b);
            const char *got = doc_spool_get(spool, at[i], len);
            wrong += strlen(got) != len || memcmp(got, b.data ? b.data : "", len) != 0;
        }
    CHECK(wrong == 0);
    struct errors errors = {0};
    CHECK(doc_spool_check(spool, &errors) == 0 && errors.count == 0);

    struct doc_block *group = doc_block_add(doc, doc->root, DOC_GROUP, here);
    struct doc_entry *entries = arena_alloc(doc->arena, 2 * sizeof *entries);
    entries[0] = (struct doc_entry){.at = doc_spool_put(spool, "Ann Lee", 7), .len = 7, .line = 4};
    entries[1] = (struct doc_entry){.at = doc_spool_put(spool, "Гүлнар", 12), .len = 12, .line = 5};
    group->entries = entries;
    group->entry_count = 2;
    group->entries_spool = spool;
    CHECK_STR(doc_entry_text(group, 1), "Гүлнар");
    struct doc_entry_view view;
    CHECK_STR(doc_plain_text(doc->arena, doc_entry_block(group, 0, &view), "en"), "Ann Lee");
    buffer_free(&b);
    doc_free(doc);

    const char *tmpdir = getenv("TMPDIR");
    char *saved = tmpdir ? strdup(tmpdir) : NULL;
    setenv("TMPDIR", "/nonexistent/missive-test", 1);
    doc = doc_new("en");
    CHECK(doc_entry_spool(doc) == NULL && doc->spool == NULL);
    doc_free(doc);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
}

/* Values kept under byte keys (base/kept.c): found again whole, pieces at
 * 16-byte steps, other keys and lengths not confused, and a part past its
 * bounds starting afresh. */
static void copy_value(void *context, const void *value, size_t len)
{
    struct buffer *b = context;
    buffer_append(b, value, len);
}

static void test_kept(void)
{
    static struct kept store = KEPT_INIT(3, 1u << 20);
    struct buffer b = {0};
    CHECK(!kept_find(&store, "ab", 2, copy_value, &b));
    struct kept_piece pieces[] = {{"xyz", 3}, {"0123456789abcdefg", 17}, {"!", 1}};
    kept_keep(&store, "ab", 2, pieces, 3);
    kept_keep(&store, "abc", 3, &(struct kept_piece){"other", 5}, 1);
    CHECK(kept_find(&store, "ab", 2, copy_value, &b));
    CHECK(b.len == 16 + 17 + 15 + 1 && memcmp(b.data, "xyz", 3) == 0 &&
          memcmp(b.data + 16, "0123456789abcdefg", 17) == 0 && b.data[48] == '!');
    b.len = 0;
    CHECK(kept_find(&store, "abc", 3, copy_value, &b) && b.len == 5 &&
          memcmp(b.data, "other", 5) == 0);
    CHECK(!kept_find(&store, "a", 1, copy_value, &b) &&
          !kept_find(&store, "abd", 3, copy_value, &b));
    /* A third value fills the part; the fourth starts it afresh. */
    kept_keep(&store, "k3", 2, &(struct kept_piece){"3", 1}, 1);
    kept_keep(&store, "k4", 2, &(struct kept_piece){"4", 1}, 1);
    b.len = 0;
    CHECK(!kept_find(&store, "ab", 2, copy_value, &b) &&
          kept_find(&store, "k4", 2, copy_value, &b) && b.len == 1 && b.data[0] == '4');
    buffer_free(&b);
}

CHECK_MAIN("core", test_kept(); test_spool_linked(); test_spool_group(); test_entry_spool();
           test_values(); test_words(); test_whitespace(); test_quotes(); test_runs_word_loop();
           test_line_break(); test_safe_names(); test_atomic_write(); test_error_forms())
