/* test_pdf_id.c — the trailer /ID that pdf_pdfa_identify fills in, taken
 * through the prefixes the process's recent files share (one table for
 * all threads), against MD5 over the whole file as nettle gives it: files
 * sharing prefixes of every length with several earlier ones, digested by
 * four threads at once, and with the caches off. */
#define _GNU_SOURCE /* memmem */
#include "check.h"
#include "pdf_pdfa.h"

#include <nettle/md5.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    VARIANTS = 6,    /* files of a campaign's variants: each shares a prefix with one */
    FILES = 400,     /* digested by each thread */
    THREADS = 4,     /* more than the two cores the table was measured on */
    LONGEST = 40000, /* past the 32 KB of a file the table keeps */
};

static uint8_t variants[VARIANTS][LONGEST];

/* A file: a variant's first `shared` bytes, then bytes of its own, then a
 * trailer holding the /ID's two placeholders. */
static void make_file(struct buffer *b, unsigned *seed)
{
    const uint8_t *variant = variants[rand_r(seed) % VARIANTS];
    size_t len = 64 + (size_t)rand_r(seed) % (LONGEST - 64);
    size_t shared = (size_t)rand_r(seed) % (len + 1);
    /* Mostly at and around 1 KB steps, where a kept state starts. */
    if (rand_r(seed) % 2)
        shared = shared / 1024 * 1024 + (size_t)(rand_r(seed) % 3) - 1;
    if (shared > len)
        shared = len;
    buffer_reset(b);
    buffer_append(b, (const char *)variant, shared);
    for (size_t i = shared; i < len; i++)
        buffer_putc(b, (char)(rand_r(seed) & 0xFF));
    buffer_puts(b, "\ntrailer\n<< /ID [<00000000000000000000000000000000> "
                   "<00000000000000000000000000000000>] >>\n%%EOF\n");
}

/* The /ID the file should get: MD5 of it as saved, placeholders included. */
static void expected_id(const struct buffer *b, char hex[33])
{
    struct md5_ctx ctx;
    uint8_t digest[MD5_DIGEST_SIZE];
    md5_init(&ctx);
    md5_update(&ctx, b->len, (const uint8_t *)b->data);
    md5_digest(&ctx, MD5_DIGEST_SIZE, digest);
    for (size_t i = 0; i < MD5_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02X", digest[i]);
}

/* The number of files whose filled /ID is not the expected one. */
static void *digest_files(void *arg)
{
    unsigned seed = (unsigned)(size_t)arg;
    size_t *wrong = calloc(1, sizeof *wrong);
    struct buffer b = {0};
    for (size_t n = 0; n < FILES; n++) {
        make_file(&b, &seed);
        char want[33];
        expected_id(&b, want);
        char line[80];
        snprintf(line, sizeof line, "/ID [<%s> <%s>]", want, want);
        /* The random bytes may hold NULs: the trailer is looked for by length. */
        if (pdf_pdfa_identify(&b) != 0 || !memmem(b.data, b.len, line, strlen(line)))
            ++*wrong;
    }
    buffer_free(&b);
    return wrong;
}

static size_t digest_on_threads(void)
{
    pthread_t ids[THREADS];
    size_t wrong = 0;
    for (size_t t = 0; t < THREADS; t++)
        CHECK(pthread_create(&ids[t], NULL, digest_files, (void *)(t + 1)) == 0);
    for (size_t t = 0; t < THREADS; t++) {
        void *result;
        CHECK(pthread_join(ids[t], &result) == 0);
        wrong += *(size_t *)result;
        free(result);
    }
    return wrong;
}

static void test_kept_prefixes(void)
{
    unsigned seed = 17;
    for (size_t v = 0; v < VARIANTS; v++)
        for (size_t i = 0; i < LONGEST; i++)
            variants[v][i] = (uint8_t)(rand_r(&seed) & 0xFF);
    /* Variants that share their own first kilobytes, as a campaign's
     * letters share their header and fonts before they part. */
    memcpy(variants[1], variants[0], 5000);
    memcpy(variants[2], variants[0], 16384);
    size_t wrong = digest_on_threads();
    printf("kept prefixes: %zu of %d files with another /ID\n", wrong, THREADS * FILES);
    CHECK(wrong == 0);
    /* One thread after the others: the table they left. */
    size_t *alone = digest_files((void *)99);
    CHECK(*alone == 0);
    free(alone);
}

static void test_no_placeholder(void)
{
    struct buffer b = {0};
    buffer_puts(&b, "%PDF-1.7\ntrailer\n<< >>\n%%EOF\n");
    CHECK(pdf_pdfa_identify(&b) == -1);
    buffer_free(&b);
}

CHECK_MAIN("pdf_id", test_kept_prefixes(); test_no_placeholder())
