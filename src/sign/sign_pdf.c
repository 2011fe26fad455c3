/* sign_pdf.c — owns adding a signature to a PDF as an incremental update:
 * a signature field (widget) at the signatory's place on its page, the
 * signature dictionary with a /Contents hole and its /ByteRange, the page
 * and the AcroForm written again with the new field, a cross-reference
 * section and a trailer pointing back at the previous one. The bytes
 * before the update are never touched, so earlier signatures stay valid. */
#include "sign_internal.h"

#include "arena.h"

#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room in the ByteRange for four numbers of up to ten digits each. */
#define BYTE_RANGE_WIDTH 44

/* An object of the update: its number and where it starts in the file. */
struct written {
    long num;
    size_t offset;
};

struct update {
    const struct sign_file *f;
    struct buffer *out; /* the whole new file */
    struct written objects[8];
    int count;
    size_t byte_range_at, contents_at, contents_len;
};

static void begin_object(struct update *u, long num)
{
    u->objects[u->count++] = (struct written){num, u->out->len};
    buffer_printf(u->out, "%ld 0 obj\n", num);
}

static void span_put(struct update *u, struct sign_span s)
{
    buffer_append(u->out, u->f->data + s.start, s.end - s.start);
}

/* A text string as UTF-16BE hex with a byte order mark, whatever the script. */
static void text_string(struct buffer *out, const char *utf8)
{
    buffer_puts(out, "<FEFF");
    int32_t len = (int32_t)strlen(utf8);
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(utf8, i, len, c);
        UChar units[2];
        int32_t count = 0;
        U16_APPEND_UNSAFE(units, count, c < 0 ? 0xFFFD : c);
        for (int32_t k = 0; k < count; k++)
            buffer_printf(out, "%04X", (unsigned)units[k]);
    }
    buffer_putc(out, '>');
}

/* Every entry of dict but those named in skip (NULL-terminated). */
static void copy_entries(struct update *u, struct sign_span dict, const char *const *skip)
{
    const struct sign_file *f = u->f;
    for (size_t pos = dict.start + 2;;) {
        pos = sign_file_space(f, pos);
        if (pos >= dict.end - 2 || f->data[pos] != '/')
            break;
        size_t name_end = sign_file_skip(f, pos);
        size_t value_end = sign_file_skip(f, sign_file_space(f, name_end));
        bool skipped = false;
        for (const char *const *k = skip; *k; k++)
            skipped = skipped || (name_end - pos - 1 == strlen(*k) &&
                                  memcmp(f->data + pos + 1, *k, strlen(*k)) == 0);
        if (!skipped) {
            span_put(u, (struct sign_span){pos, value_end});
            buffer_putc(u->out, '\n');
        }
        pos = value_end;
    }
}

/* An array's items (an old value that may be absent) plus one more reference. */
static long put_array_plus(struct update *u, struct sign_span dict, const char *key, long extra)
{
    struct sign_span value, *items = NULL;
    long count = 0;
    if (sign_file_get(u->f, dict, key, &value)) {
        count = sign_file_array(u->f, value, &items);
        if (count < 0)
            count = 0;
    }
    buffer_printf(u->out, "/%s [", key);
    for (long i = 0; i < count; i++) {
        span_put(u, items[i]);
        buffer_putc(u->out, ' ');
    }
    buffer_printf(u->out, "%ld 0 R]\n", extra);
    free(items);
    return count;
}

static void put_date(struct buffer *out, time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    char date[32];
    strftime(date, sizeof date, "%Y%m%d%H%M%S", &tm);
    buffer_printf(out, "(D:%s+00'00')", date);
}

static void put_signature(struct update *u, long num, const struct sign_request *r, size_t hole)
{
    begin_object(u, num);
    buffer_puts(u->out, "<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n"
                        "/ByteRange ");
    u->byte_range_at = u->out->len;
    buffer_repeat(u->out, ' ', BYTE_RANGE_WIDTH);
    buffer_puts(u->out, "\n/Contents ");
    u->contents_at = u->out->len;
    buffer_putc(u->out, '<');
    buffer_repeat(u->out, '0', hole);
    buffer_puts(u->out, ">");
    u->contents_len = hole + 2;
    buffer_puts(u->out, "\n/M ");
    put_date(u->out, r->time);
    if (r->name) {
        buffer_puts(u->out, "\n/Name ");
        text_string(u->out, r->name);
    }
    if (r->reason) {
        buffer_puts(u->out, "\n/Reason ");
        text_string(u->out, r->reason);
    }
    buffer_puts(u->out, "\n>>\nendobj\n");
}

/* The field and its widget in one dictionary, printed and locked, with an
 * empty appearance: the visible mark is the signature image below it. */
static void put_field(struct update *u, long num, long sig, long appearance, long page,
                      long field_number, const struct pdf_signature_place *pl)
{
    begin_object(u, num);
    buffer_printf(u->out,
                  "<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/F 132\n/T (Signature%ld)\n"
                  "/V %ld 0 R\n/P %ld 0 R\n/Rect [%.2f %.2f %.2f %.2f]\n/AP << /N %ld 0 R >>\n"
                  ">>\nendobj\n",
                  field_number, sig, page, pl->x0, pl->y0, pl->x1, pl->y1, appearance);
    begin_object(u, appearance);
    buffer_printf(u->out,
                  "<<\n/Type /XObject\n/Subtype /Form\n/BBox [0 0 %.2f %.2f]\n/Length 0\n>>\n"
                  "stream\n\nendstream\nendobj\n",
                  pl->x1 - pl->x0, pl->y1 - pl->y0);
}

static int cmp_written(const void *a, const void *b)
{
    long x = ((const struct written *)a)->num, y = ((const struct written *)b)->num;
    return (x > y) - (x < y);
}

/* The cross-reference section in runs of consecutive numbers, then the trailer. */
static void put_xref(struct update *u, long size)
{
    qsort(u->objects, (size_t)u->count, sizeof *u->objects, cmp_written);
    size_t xref = u->out->len;
    buffer_puts(u->out, "xref\n");
    for (int i = 0; i < u->count;) {
        int j = i;
        while (j + 1 < u->count && u->objects[j + 1].num == u->objects[j].num + 1)
            j++;
        buffer_printf(u->out, "%ld %d\n", u->objects[i].num, j - i + 1);
        for (int k = i; k <= j; k++)
            buffer_printf(u->out, "%010zu 00000 n\r\n", u->objects[k].offset);
        i = j + 1;
    }
    const struct sign_file *f = u->f;
    buffer_printf(u->out, "trailer\n<<\n/Size %ld\n/Root %ld 0 R\n", size, f->root);
    if (f->info)
        buffer_printf(u->out, "/Info %ld 0 R\n", f->info);
    if (f->id.end > f->id.start) {
        buffer_puts(u->out, "/ID ");
        span_put(u, f->id);
        buffer_putc(u->out, '\n');
    }
    buffer_printf(u->out, "/Prev %zu\n>>\nstartxref\n%zu\n%%%%EOF\n", f->startxref, xref);
}

/* Writes the whole update after the original bytes. */
static int write_update(struct update *u, const struct sign_request *r, size_t hole)
{
    const struct sign_file *f = u->f;
    long page = sign_file_page(f, r->place.page);
    struct sign_span catalog, page_dict, acroform = {0, 0}, v;
    if (!page || sign_file_object(f, page, &page_dict) != 0 ||
        sign_file_object(f, f->root, &catalog) != 0)
        return -1;
    long form = 0;
    if (sign_file_get(f, catalog, "AcroForm", &v)) {
        form = sign_file_ref(f, v);
        if (!form || sign_file_object(f, form, &acroform) != 0)
            return -1; /* an inline AcroForm is not something missive writes */
    }
    long next = f->size, sig = next++, field = next++, appearance = next++;
    buffer_append(u->out, f->data, f->len);
    if (f->len && f->data[f->len - 1] != '\n')
        buffer_putc(u->out, '\n');
    put_signature(u, sig, r, hole);
    begin_object(u, page);
    buffer_puts(u->out, "<<\n");
    copy_entries(u, page_dict, (const char *const[]){"Annots", NULL});
    put_array_plus(u, page_dict, "Annots", field);
    buffer_puts(u->out, ">>\nendobj\n");
    if (!form) {
        form = next++;
        begin_object(u, f->root);
        buffer_puts(u->out, "<<\n");
        copy_entries(u, catalog, (const char *const[]){"AcroForm", NULL});
        buffer_printf(u->out, "/AcroForm %ld 0 R\n>>\nendobj\n", form);
    }
    begin_object(u, form);
    buffer_puts(u->out, "<<\n");
    if (acroform.end)
        copy_entries(u, acroform, (const char *const[]){"Fields", "SigFlags", NULL});
    long before = put_array_plus(u, acroform, "Fields", field);
    buffer_puts(u->out, "/SigFlags 3\n>>\nendobj\n");
    put_field(u, field, sig, appearance, page, before + 1, &r->place);
    put_xref(u, next);
    return 0;
}

/* Fills the ByteRange and returns the SHA-256 of the bytes it covers. */
static void byte_range(struct update *u, unsigned char digest[32])
{
    struct buffer *out = u->out;
    size_t hole_end = u->contents_at + u->contents_len;
    char range[BYTE_RANGE_WIDTH + 1];
    int n = snprintf(range, sizeof range, "[0 %zu %zu %zu]", u->contents_at, hole_end,
                     out->len - hole_end);
    memcpy(out->data + u->byte_range_at, range, (size_t)n);
    EVP_MD_CTX *sha = EVP_MD_CTX_new();
    if (!sha || !EVP_DigestInit_ex(sha, EVP_sha256(), NULL) ||
        !EVP_DigestUpdate(sha, out->data, u->contents_at) ||
        !EVP_DigestUpdate(sha, out->data + hole_end, out->len - hole_end) ||
        !EVP_DigestFinal_ex(sha, digest, NULL))
        abort(); /* only memory can make a digest fail */
    EVP_MD_CTX_free(sha);
}

/* Room for the CMS in hex digits: the certificates, the signature and the
 * attributes, and a timestamp token when a TSA is asked. */
static size_t hole_estimate(const struct sign_request *r)
{
    size_t bytes = (size_t)i2d_X509(r->key->cert, NULL) + (size_t)EVP_PKEY_get_size(r->key->pkey);
    for (int i = 0; i < sk_X509_num(r->key->chain); i++)
        bytes += (size_t)i2d_X509(sk_X509_value(r->key->chain, i), NULL);
    bytes += 1024 + (r->tsa ? 6144 : 0);
    return (bytes + 511) / 512 * 512 * 2;
}

int sign_module_pdf(struct buffer *pdf, const struct sign_request *r, const char *who,
                    struct errors *errors)
{
    struct sign_file f;
    if (sign_file_open(&f, pdf->data, pdf->len) != 0) {
        errors_add_at(errors, NULL, 0, 0, "%s: cannot sign: the PDF's structure cannot be read",
                      who);
        return -1;
    }
    struct buffer out = {0}, cms = {0};
    int status = -1;
    size_t hole = hole_estimate(r);
    for (int attempt = 0; attempt < 2; attempt++) {
        struct update u = {.f = &f, .out = &out};
        buffer_reset(&out);
        buffer_reset(&cms);
        if (write_update(&u, r, hole) != 0) {
            errors_add_at(errors, NULL, 0, 0, "%s: cannot sign: page %d of the PDF is missing", who,
                          r->place.page + 1);
            break;
        }
        unsigned char digest[32];
        byte_range(&u, digest);
        if (sign_cms(r->key, digest, r->tsa, &cms, who, errors) != 0)
            break;
        if (cms.len * 2 > hole) {
            hole = (cms.len * 2 + 1023) / 1024 * 1024;
            continue;
        }
        static const char hex[] = "0123456789ABCDEF";
        char *digits = out.data + u.contents_at + 1;
        for (size_t i = 0; i < cms.len; i++) {
            digits[2 * i] = hex[(unsigned char)cms.data[i] >> 4];
            digits[2 * i + 1] = hex[(unsigned char)cms.data[i] & 15];
        }
        status = 0;
        break;
    }
    sign_file_close(&f);
    if (status == 0) {
        buffer_free(pdf);
        *pdf = out;
    } else {
        buffer_free(&out);
    }
    buffer_free(&cms);
    return status;
}
