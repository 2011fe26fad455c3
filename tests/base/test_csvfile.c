/* test_csvfile.c — the one CSV reader: cells and where each starts,
 * quotes spanning lines, byte order marks, blank lines, and the errors of
 * malformed files, exactly as printed. */
#include "buffer.h"
#include "check.h"
#include "csvfile.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every record as "line:col=cell|line:col=cell\n". */
static int dump(void *context, const struct csvfile_row *row)
{
    struct buffer *out = context;
    for (size_t i = 0; i < row->count; i++) {
        struct source_loc loc = csvfile_cell_loc(row, i);
        buffer_printf(out, "%s%d:%d=%s", i ? "|" : "", loc.line, loc.column, row->cells[i]);
    }
    buffer_printf(out, "%s\n", csvfile_row_blank(row) ? " (blank)" : "");
    return 0;
}

/* What csvfile_parse_chunks makes of len bytes of data read from a file
 * chunk bytes at a time: the records dumped, then the messages. */
static char *parse_file(const char *data, size_t len, size_t max, size_t chunk)
{
    FILE *f = tmpfile();
    CHECK(f && fwrite(data, 1, len, f) == len && fflush(f) == 0);
    if (!f)
        return strdup("");
    rewind(f);
    struct buffer out = {0};
    struct errors errors = {0};
    csvfile_parse_chunks("t.csv", fileno(f), max, chunk, dump, &out, &errors);
    fclose(f);
    char *text = errors_text(&errors);
    buffer_printf(&out, "--\n%s", text);
    free(text);
    errors_clear(&errors);
    return out.data;
}

/* The same from memory. */
static char *parse_memory(const char *data, size_t len)
{
    struct buffer out = {0};
    struct errors errors = {0};
    csvfile_parse("t.csv", data, len, dump, &out, &errors);
    char *text = errors_text(&errors);
    buffer_printf(&out, "--\n%s", text);
    free(text);
    errors_clear(&errors);
    return out.data;
}

static void expect(const char *data, const char *rows, const char *messages)
{
    struct buffer out = {0};
    struct errors errors = {0};
    csvfile_parse("t.csv", data, strlen(data), dump, &out, &errors);
    CHECK_STR(out.data ? out.data : "", rows);
    char *text = errors_text(&errors);
    CHECK_STR(text, messages);
    /* Read in chunks from a file, the same. */
    char *whole = parse_memory(data, strlen(data)),
         *chunked = parse_file(data, strlen(data), 1000, 3);
    CHECK_STR(chunked, whole);
    free(whole);
    free(chunked);
    free(text);
    errors_clear(&errors);
    buffer_free(&out);
}

/* A file read in chunks (csvfile_parse_fd) gives the records, lines and
 * columns of the same text in memory wherever the chunks cut it: inside
 * a CR LF, a quoted field across lines, a UTF-8 character, a bare CR. */
static void test_chunks(void)
{
    struct buffer text = {0};
    buffer_puts(&text, "\xEF\xBB\xBFname,note\r\n");
    for (int i = 0; i < 12; i++)
        buffer_printf(&text,
                      i % 3 == 0   ? "Ann %d,\"a\r\nb, \"\"c\"\"\"\r\n"
                      : i % 3 == 1 ? "Ж%d,é\r"
                                   : "Éva %d,x\n",
                      i);
    char *whole = parse_memory(text.data, text.len);
    for (size_t chunk = 1; chunk < 40; chunk++) {
        char *chunked = parse_file(text.data, text.len, 1000, chunk);
        CHECK_STR(chunked, whole);
        free(chunked);
    }
    free(whole);
    char *chunked = parse_file(text.data, text.len, 100, 64);
    CHECK_STR(strstr(chunked, "--\n"),
              "--\nt.csv: error: the file grew past the limit of 0 MB while it was read\n");
    free(chunked);
    buffer_free(&text);
}

static int stop_at_second(void *context, const struct csvfile_row *row)
{
    int *seen = context;
    (void)row;
    return ++*seen == 2 ? 7 : 0;
}

static void test_cells(void)
{
    expect("a,b\nc,d\n", "1:1=a|1:3=b\n2:1=c|2:3=d\n", "");
    /* ; and # are text, quotes are doubled, a quoted cell may span lines */
    expect("name,note\n\"Flat #5; Block 2\",\"say \"\"hi\"\"\nthere\",x\nÄé,z",
           "1:1=name|1:6=note\n2:2=Flat #5; Block 2|2:21=say \"hi\"\nthere|3:8=x\n4:1=Äé|4:4=z\n",
           "");
    /* a BOM, CRLF, blank lines and a row of empty cells */
    expect("\xEF\xBB\xBFh1,h2\r\n\r\n   \r\n,\r\nv1,v2",
           "1:1=h1|1:4=h2\n4:1=|4:2= (blank)\n5:1=v1|5:4=v2\n", "");
    expect("", "", "");
}

static void test_errors(void)
{
    expect("a,b\nab\"c,d\n", "1:1=a|1:3=b\n",
           "t.csv:2:3: error: malformed CSV: a quote inside an unquoted field, or text after a "
           "closing quote (quote the whole field and double the quotes in it)\n");
    expect("a,b\n1,\"open\nstill\n", "1:1=a|1:3=b\n",
           "t.csv:2:3: error: malformed CSV: the quoted field starting here is never closed\n");
    expect("\xFF\xFEh\0", "",
           "t.csv:1: error: the file is UTF-16: export it as CSV in UTF-8 instead\n");
    int seen = 0;
    struct errors errors = {0};
    CHECK(csvfile_parse("t.csv", "a\nb\nc\n", 6, stop_at_second, &seen, &errors) == 7);
    CHECK(seen == 2);
    CHECK(csvfile_read("tests/no-such.csv", stop_at_second, &seen, &errors) == -1);
    char *text = errors_text(&errors);
    CHECK_STR(text, "tests/no-such.csv: error: cannot read file: No such file or directory\n");
    free(text);
    errors_clear(&errors);
}

/* Lines holding whole records are split by csvfile.c itself, the rest by
 * libcsv: random files of cells, spaces, tabs, commas, quotes (doubled,
 * misplaced, never closed) and every line end read the same records,
 * locations and errors both ways. */
#define LONG "\u00E9t\u00E9 \u0416\u0416\u20AC longer"

static void test_plain_lines(void)
{
    /* A long piece too, for the columns counted eight bytes at a time. */
    static const char *const pieces[] = {"a",    "\u00E9", " ",  "\t", ",",    ",",  "x y", "\n",
                                         "\r\n", "\r",     LONG, "\"", "\"\"", "\n", ", "};
    unsigned seed = 11;
    size_t differ = 0, files = 6000;
    for (size_t t = 0; t < files; t++) {
        struct buffer text = {0};
        seed = seed * 1103515245u + 12345u;
        size_t count = 1 + (seed >> 16) % 40;
        /* Half the files without quotes. */
        size_t choices = t % 2 ? 11 : sizeof pieces / sizeof pieces[0];
        for (size_t i = 0; i < count; i++) {
            seed = seed * 1103515245u + 12345u;
            buffer_puts(&text, pieces[(seed >> 16) % choices]);
        }
        csvfile_libcsv_always = false;
        char *fast = parse_memory(text.data, text.len);
        csvfile_libcsv_always = true;
        char *slow = parse_memory(text.data, text.len);
        csvfile_libcsv_always = false;
        if (strcmp(fast, slow) != 0) {
            differ++;
            printf("read differently: [%s]\n%s\nlibcsv:\n%s\n", text.data, fast, slow);
        }
        free(fast);
        free(slow);
        buffer_free(&text);
    }
    printf("plain lines: %zu files, %zu read differently\n", files, differ);
    CHECK(differ == 0);
}

CHECK_MAIN("csvfile", test_cells(); test_errors(); test_chunks(); test_plain_lines())
