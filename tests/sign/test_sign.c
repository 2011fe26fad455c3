/* test_sign.c DIR — the sign library on a letter with two signatories,
 * with the throw-away CA that tests/sign/make-ca.sh made in DIR: key
 * checks (exact errors), the places render reports, two incremental
 * signatures verified in order, determinism, the unsigned bytes kept, a
 * flipped byte found, B-T through the local TSA (TSA_URL, TSA_LIE_URL,
 * TSA_GARBAGE_URL, TSA_DEAD_URL from sign.sh) and register checkpoints.
 * Writes DIR/unsigned.pdf, DIR/signed.pdf, DIR/signed-bt.pdf and, for
 * `openssl ts -verify`, DIR/token.der and DIR/imprint.hex. */
#include "check.h"
#include "fonts.h"
#include "sign.h"
#include "support.h"

#include <openssl/cms.h>
#include <openssl/pkcs12.h>
#include <openssl/pem.h>

#include <stdlib.h>
#include <string.h>

static const char *dir;
static const time_t issued = 1315310400; /* 2011-09-06T12:00:00Z */

static char *path(const char *name)
{
    static char p[8][512];
    static int next;
    char *out = p[next++ % 8];
    snprintf(out, sizeof p[0], "%s/%s", dir, name);
    return out;
}

static struct sign_key *load(const char *name, const char *pass, time_t at, struct errors *e)
{
    struct sign_key_source s = {name, path(name), pass, {"letters/signatories.ini", 7, 1}};
    return sign_key_load(&s, at, e);
}

static void check_error(const char *name, const char *pass, time_t at, const char *expected)
{
    struct errors e = {0};
    struct sign_key *k = load(name, pass, at, &e);
    CHECK(k == NULL);
    char *text = errors_text(&e);
    char want[1024];
    snprintf(want, sizeof want, expected, path(name));
    CHECK_STR(text, want);
    free(text);
    errors_clear(&e);
    sign_key_free(k);
}

/* A PKCS#12 file whose key is not its certificate's (openssl pkcs12 -export
 * refuses to make one, so the bags are put together here). */
static void make_mismatched(void)
{
    FILE *f = fopen(path("malentacchi.key"), "r");
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    f = fopen(path("warda.pem"), "r");
    X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
    PKCS12_add_cert(&bags, cert);
    PKCS12_add_key(&bags, key, 0, PKCS12_DEFAULT_ITER, NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
                   "secret");
    STACK_OF(PKCS7) *safes = NULL;
    PKCS12_add_safe(&safes, bags, -1, 0, NULL);
    PKCS12 *p12 = PKCS12_add_safes(safes, 0);
    PKCS12_set_mac(p12, "secret", -1, NULL, 0, PKCS12_DEFAULT_ITER, NULL);
    f = fopen(path("mismatch.p12"), "wb");
    i2d_PKCS12_fp(f, p12);
    fclose(f);
    PKCS12_free(p12);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    X509_free(cert);
    EVP_PKEY_free(key);
}

static void test_keys(void)
{
    struct errors e = {0};
    struct sign_key *k = load("warda.p12", "secret", issued, &e);
    CHECK(k != NULL && e.count == 0);
    CHECK_STR(k ? sign_key_name(k) : NULL, "Manfred Warda");
    sign_key_free(k);
    check_error("warda.p12", "wrong", issued,
                "letters/signatories.ini:7:1: error: warda.p12: wrong passphrase for %s\n");
    check_error("expired.p12", "secret", issued,
                "letters/signatories.ini:7:1: error: expired.p12: the certificate in %s has "
                "expired at the signing time\n");
    check_error("future.p12", "secret", issued,
                "letters/signatories.ini:7:1: error: future.p12: the certificate in %s is not "
                "valid yet at the signing time\n");
    check_error("nosign.p12", "secret", issued,
                "letters/signatories.ini:7:1: error: nosign.p12: the certificate in %s does "
                "not allow digital signatures (key usage)\n");
    make_mismatched();
    check_error("mismatch.p12", "secret", issued,
                "letters/signatories.ini:7:1: error: mismatch.p12: the private key in %s does "
                "not match its certificate\n");
    check_error("absent.p12", "secret", issued,
                "letters/signatories.ini:7:1: error: absent.p12: cannot open the key file %s: "
                "No such file or directory\n");
    check_error("ca.pem", "secret", issued,
                "letters/signatories.ini:7:1: error: ca.pem: %s is not a PKCS#12 key file\n");
}

static struct settings make_settings(void)
{
    struct settings s = {0};
    s.page = (struct page_settings){"A4", 595.276, 841.89, 70.866, 70.866, 70.866, 70.866};
    s.fonts = test_fonts;
    return s;
}

static struct doc_block *line(struct doc_document *d, struct doc_block *parent,
                              enum doc_block_kind kind, const char *text)
{
    struct source_loc at = {"letters/test.xml", 1, 1};
    struct doc_block *b = doc_block_add(d, parent, kind, at);
    doc_text_add(d, b, NULL, text, strlen(text), at);
    return b;
}

/* The unsigned letter and where its two signatures stand. */
static void render(struct buffer *pdf, struct pdf_places *places)
{
    struct doc_document *d = doc_new("en");
    d->reference = "ICEM-IMF11/EN LT/107";
    d->date = "2011-09-06";
    line(d, d->root, DOC_REFERENCE, d->reference);
    line(d, d->root, DOC_SALUTATION, "Dear Mr. President,");
    line(d, d->root, DOC_PARAGRAPH, "We write on behalf of the oil workers of Жаңаөзен.");
    line(d, d->root, DOC_CLOSING, "Yours faithfully,");
    struct source_loc at = {"letters/test.xml", 1, 1};
    struct doc_block *sigs = doc_block_add(d, d->root, DOC_SIGNATURES, at);
    struct doc_block *a = doc_block_add(d, sigs, DOC_SIGNATURE, at);
    a->image = "tests/pdf/signature.png";
    line(d, a, DOC_LINE, "Manfred Warda");
    struct doc_block *b = doc_block_add(d, sigs, DOC_SIGNATURE, at);
    line(d, b, DOC_LINE, "Marcello Malentacchi");
    struct settings s = make_settings();
    struct errors e = {0};
    struct font_set *fs = font_set_open(&s.fonts, &e);
    CHECK(fs && pdf_render_places(d, &s, fs, pdf, places, &e) == 0);
    CHECK(e.count == 0);
    errors_print(&e, stderr);
    errors_clear(&e);
    font_set_free(fs);
    doc_free(d);
}

static void write_pdf(const char *name, const struct buffer *b)
{
    FILE *f = fopen(path(name), "wb");
    fwrite(b->data, 1, b->len, f);
    fclose(f);
}

static int sign_as(struct buffer *pdf, const char *p12, const struct pdf_signature_place *place,
                   const struct sign_tsa *tsa, struct errors *e)
{
    struct sign_key *k = load(p12, "secret", issued, e);
    if (!k)
        return -1;
    struct sign_request r = {k, *place, sign_key_name(k), "ICEM-IMF11/EN LT/107", issued, tsa};
    int status = sign_pdf(pdf, &r, p12, e);
    sign_key_free(k);
    return status;
}

static void test_places(const struct pdf_places *places)
{
    CHECK(places->count == 2);
    if (places->count != 2)
        return;
    const struct pdf_signature_place *a = &places->items[0], *b = &places->items[1];
    CHECK(a->page == 0 && b->page == 0);
    /* Side by side in the text width, above the names, on the page. */
    CHECK(a->x0 > 70 && a->x1 < b->x0 && b->x1 < 595.276 - 70);
    CHECK(a->y0 == b->y0 && a->y1 == b->y1 && a->y0 > 70 && a->y1 < 841.89 - 70);
    CHECK(a->y1 - a->y0 > 14 * 2.8);
}

static void test_two_signatures(void)
{
    struct buffer unsigned_pdf = {0}, pdf = {0}, again = {0};
    struct pdf_places places = {0};
    render(&unsigned_pdf, &places);
    test_places(&places);
    if (places.count != 2)
        return;
    write_pdf("unsigned.pdf", &unsigned_pdf);
    struct errors e = {0};
    buffer_append(&pdf, unsigned_pdf.data, unsigned_pdf.len);
    CHECK(sign_as(&pdf, "warda.p12", &places.items[0], NULL, &e) == 0);
    size_t first_len = pdf.len;
    CHECK(sign_as(&pdf, "malentacchi.p12", &places.items[1], NULL, &e) == 0);
    CHECK(e.count == 0);
    errors_print(&e, stderr);
    write_pdf("signed.pdf", &pdf);
    CHECK(pdf.len > first_len && first_len > unsigned_pdf.len);
    CHECK(memcmp(pdf.data, unsigned_pdf.data, unsigned_pdf.len) == 0);
    CHECK(sign_unsigned_length(pdf.data, pdf.len) == unsigned_pdf.len);
    CHECK(sign_unsigned_length(unsigned_pdf.data, unsigned_pdf.len) == unsigned_pdf.len);

    /* Deterministic: the same inputs give the same signed bytes. */
    buffer_append(&again, unsigned_pdf.data, unsigned_pdf.len);
    sign_as(&again, "warda.p12", &places.items[0], NULL, &e);
    sign_as(&again, "malentacchi.p12", &places.items[1], NULL, &e);
    CHECK(again.len == pdf.len && memcmp(again.data, pdf.data, pdf.len) == 0);

    struct sign_report report;
    CHECK(sign_verify(pdf.data, pdf.len, "signed.pdf", path("ca.pem"), &report, &e) == 0);
    CHECK(report.count == 2);
    if (report.count == 2) {
        CHECK_STR(report.items[0].signer, "Manfred Warda");
        CHECK_STR(report.items[1].signer, "Marcello Malentacchi");
        CHECK_STR(report.items[0].field, "Signature1");
        CHECK(report.items[0].valid && report.items[1].valid);
        CHECK(report.items[0].trusted && report.items[1].trusted);
        CHECK(!report.items[0].whole_file && report.items[1].whole_file);
        CHECK(report.items[0].revision_end == first_len);
        CHECK(!report.items[0].timestamped);
    }
    CHECK(sign_report_ok(&report));
    sign_report_clear(&report);

    /* Without a trust file the signatures hold but nothing is trusted. */
    CHECK(sign_verify(pdf.data, pdf.len, "signed.pdf", NULL, &report, &e) == 0);
    CHECK(report.count == 2 && report.items[0].valid && !report.items[0].trusted);
    sign_report_clear(&report);

    /* A flipped byte in the letter's text breaks both signatures. */
    pdf.data[unsigned_pdf.len / 2] ^= 0x01;
    CHECK(sign_verify(pdf.data, pdf.len, "signed.pdf", path("ca.pem"), &report, &e) == 0);
    CHECK(report.count == 2 && !report.items[0].valid && !report.items[1].valid);
    CHECK_STR(report.count ? report.items[0].problem : NULL, "the signed bytes were changed");
    CHECK(!sign_report_ok(&report));
    sign_report_clear(&report);
    write_pdf("flipped.pdf", &pdf);

    /* The unsigned letter has nothing to verify. */
    CHECK(sign_verify(unsigned_pdf.data, unsigned_pdf.len, "u.pdf", NULL, &report, &e) == 0);
    CHECK(report.count == 0 && !sign_report_ok(&report));
    sign_report_clear(&report);
    CHECK(e.count == 0);
    errors_clear(&e);
    buffer_free(&unsigned_pdf);
    buffer_free(&pdf);
    buffer_free(&again);
    free(places.items);
}

/* The token and the imprint it must stamp, for `openssl ts -verify`. */
static void write_token(const struct buffer *pdf)
{
    const char *contents = NULL;
    for (size_t i = 0; !contents && i + 11 < pdf->len; i++)
        if (memcmp(pdf->data + i, "/Contents <", 11) == 0)
            contents = pdf->data + i;
    struct buffer der = {0};
    for (const char *c = contents ? contents + 11 : ">"; *c != '>'; c += 2) {
        unsigned v;
        sscanf(c, "%2x", &v);
        buffer_putc(&der, (char)v);
    }
    const unsigned char *p = (const unsigned char *)der.data;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)der.len);
    CMS_SignerInfo *si = cms ? sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0) : NULL;
    int at = si ? CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1) : -1;
    CHECK(at >= 0);
    if (at >= 0) {
        ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, at), 0);
        FILE *f = fopen(path("token.der"), "wb");
        fwrite(t->value.sequence->data, 1, (size_t)t->value.sequence->length, f);
        fclose(f);
        const ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
        unsigned char md[32];
        EVP_Digest(ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), md, NULL,
                   EVP_sha256(), NULL);
        f = fopen(path("imprint.hex"), "w");
        for (int i = 0; i < 32; i++)
            fprintf(f, "%02x", md[i]);
        fclose(f);
    }
    CMS_ContentInfo_free(cms);
    buffer_free(&der);
}

static void tsa_error(const char *url, const char *expected)
{
    struct buffer pdf = {0};
    struct pdf_places places = {0};
    render(&pdf, &places);
    struct sign_tsa tsa = {url, path("ca.pem"), 5, {"missive.ini", 30, 1}};
    struct errors e = {0};
    size_t len = pdf.len;
    CHECK(places.count && sign_as(&pdf, "warda.p12", &places.items[0], &tsa, &e) == -1);
    CHECK(pdf.len == len);
    char *text = errors_text(&e);
    CHECK(text && strncmp(text, expected, strlen(expected)) == 0);
    if (text && strncmp(text, expected, strlen(expected)) != 0)
        fprintf(stderr, "  actual: %s  expected: %s...\n", text, expected);
    free(text);
    errors_clear(&e);
    buffer_free(&pdf);
    free(places.items);
}

static void test_timestamp(void)
{
    const char *url = getenv("TSA_URL");
    if (!url) {
        CHECK(!"TSA_URL is set by sign.sh");
        return;
    }
    struct buffer pdf = {0};
    struct pdf_places places = {0};
    render(&pdf, &places);
    struct sign_tsa tsa = {url, path("ca.pem"), 5, {"missive.ini", 30, 1}};
    struct errors e = {0};
    CHECK(places.count && sign_as(&pdf, "warda.p12", &places.items[0], &tsa, &e) == 0);
    errors_print(&e, stderr);
    write_pdf("signed-bt.pdf", &pdf);
    write_token(&pdf);
    struct sign_report report;
    CHECK(sign_verify(pdf.data, pdf.len, "bt.pdf", path("ca.pem"), &report, &e) == 0);
    CHECK(report.count == 1 && report.items[0].timestamped && report.items[0].timestamp_valid);
    CHECK(report.count == 1 && report.items[0].timestamp_time &&
          strlen(report.items[0].timestamp_time) >= 15);
    CHECK(sign_report_ok(&report));
    sign_report_clear(&report);
    buffer_free(&pdf);
    free(places.items);
    errors_clear(&e);

    char want[512];
    snprintf(want, sizeof want,
             "missive.ini:30:1: error: warda.p12: the time-stamp authority %s gave a token "
             "that does not verify (",
             getenv("TSA_LIE_URL"));
    tsa_error(getenv("TSA_LIE_URL"), want);
    snprintf(want, sizeof want,
             "missive.ini:30:1: error: warda.p12: the time-stamp authority %s did not answer "
             "with a token\n",
             getenv("TSA_GARBAGE_URL"));
    tsa_error(getenv("TSA_GARBAGE_URL"), want);
    snprintf(want, sizeof want,
             "missive.ini:30:1: error: warda.p12: the time-stamp authority %s cannot be "
             "reached: ",
             getenv("TSA_DEAD_URL"));
    tsa_error(getenv("TSA_DEAD_URL"), want);
}

static void test_checkpoints(void)
{
    struct errors e = {0};
    struct sign_key *k = load("warda.p12", "secret", issued, &e);
    struct buffer sig = {0}, again = {0};
    const char *hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    CHECK(k && sign_checkpoint(k, 107, hash, &sig, "ICEM", &e) == 0);
    CHECK(k && sign_checkpoint(k, 107, hash, &again, "ICEM", &e) == 0);
    CHECK(sig.len == again.len && memcmp(sig.data, again.data, sig.len) == 0);
    const unsigned char *der = (const unsigned char *)sig.data;
    char *signer = NULL;
    CHECK(sign_checkpoint_verify(der, sig.len, 107, hash, path("ca.pem"), &signer) == 1);
    CHECK_STR(signer, "Manfred Warda");
    free(signer);
    CHECK(sign_checkpoint_verify(der, sig.len, 106, hash, path("ca.pem"), NULL) == 0);
    CHECK(sign_checkpoint_verify(der, sig.len, 107, "00", NULL, NULL) == 0);
    CHECK(sign_checkpoint_verify(der, sig.len, 107, hash, NULL, NULL) == 1);
    CHECK(sign_checkpoint_verify(der, sig.len / 2, 107, hash, NULL, NULL) == 0);
    buffer_free(&sig);
    buffer_free(&again);
    sign_key_free(k);
    errors_clear(&e);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_sign DIR (made by tests/sign/make-ca.sh)\n");
        return 2;
    }
    dir = argv[1];
    test_keys();
    test_two_signatures();
    test_timestamp();
    test_checkpoints();
    printf("sign-lib: %d checks, %d failed\n", check_count, check_failed);
    return check_failed ? 1 : 0;
}
