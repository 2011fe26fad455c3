/* sign_verify.c — owns checking the signatures of a PDF: every signature
 * field of the AcroForm, its /ByteRange (the whole revision but exactly the
 * /Contents string), the CMS signature over those bytes, the signer's
 * chain against a trust file, and an embedded timestamp token. */
#include "sign_internal.h"

#include "arena.h"

#include <openssl/err.h>
#include <openssl/ts.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct found {
    struct sign_span range, contents;
    size_t ranges[4];
};

static char *span_text(const struct sign_file *f, struct sign_span s)
{
    char *t = xmalloc(s.end - s.start + 1);
    memcpy(t, f->data + s.start, s.end - s.start);
    t[s.end - s.start] = '\0';
    return t;
}

/* The four numbers of the ByteRange, and that they frame the /Contents
 * string exactly. */
static const char *check_range(const struct sign_file *f, struct found *x)
{
    struct sign_span *items = NULL;
    long n = sign_file_array(f, x->range, &items);
    for (long i = 0; i < n && i < 4; i++)
        x->ranges[i] = (size_t)strtoull(f->data + items[i].start, NULL, 10);
    free(items);
    if (n != 4)
        return "its /ByteRange is not four numbers";
    if (x->ranges[0] != 0 || x->ranges[1] != x->contents.start || x->ranges[2] != x->contents.end ||
        x->ranges[2] + x->ranges[3] > f->len)
        return "its /ByteRange does not frame its /Contents";
    return NULL;
}

static unsigned char *unhex(const struct sign_file *f, struct sign_span s, size_t *len)
{
    unsigned char *out = xmalloc((s.end - s.start) / 2 + 1);
    size_t n = 0;
    int half = -1;
    for (size_t i = s.start + 1; i + 1 < s.end; i++) {
        char c = f->data[i];
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0)
            continue;
        if (half < 0) {
            half = v;
        } else {
            out[n++] = (unsigned char)(half << 4 | v);
            half = -1;
        }
    }
    *len = n;
    return out;
}

/* The embedded token: over this signature's value, and signed by a TSA
 * that chains to the store when there is one. */
static void check_timestamp(CMS_SignerInfo *si, X509_STORE *store, struct sign_signature_report *r)
{
    int at = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
    if (at < 0)
        return;
    r->timestamped = true;
    ASN1_TYPE *value = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, at), 0);
    if (!value || value->type != V_ASN1_SEQUENCE)
        return;
    const unsigned char *p = value->value.sequence->data;
    PKCS7 *token = d2i_PKCS7(NULL, &p, value->value.sequence->length);
    TS_TST_INFO *info = token ? PKCS7_to_TS_TST_INFO(token) : NULL;
    const ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
    unsigned char *imprint = OPENSSL_malloc(32);
    TS_VERIFY_CTX *ctx = TS_VERIFY_CTX_new();
    if (info && imprint && ctx &&
        EVP_Digest(ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), imprint, NULL,
                   EVP_sha256(), NULL)) {
        TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_IMPRINT);
        TS_VERIFY_CTX_set_imprint(ctx, imprint, 32); /* the context frees it */
        imprint = NULL;
        if (store && X509_STORE_up_ref(store)) {
            TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE);
            TS_VERIFY_CTX_set_store(ctx, store);
        }
        r->timestamp_valid = TS_RESP_verify_token(ctx, token) == 1;
        const ASN1_GENERALIZEDTIME *t = TS_TST_INFO_get_time(info);
        r->timestamp_time = xstrdup((const char *)ASN1_STRING_get0_data(t));
    }
    OPENSSL_free(imprint);
    TS_VERIFY_CTX_free(ctx);
    TS_TST_INFO_free(info);
    PKCS7_free(token);
}

/* The signer's chain against the store (the CMS's certificates as
 * intermediates), at the timestamp's time when there is one. */
static bool check_chain(CMS_ContentInfo *cms, X509 *signer, X509_STORE *store)
{
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    bool ok =
        ctx && X509_STORE_CTX_init(ctx, store, signer, certs) == 1 && X509_verify_cert(ctx) == 1;
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(certs, X509_free);
    return ok;
}

static void check_cms(const struct sign_file *f, const struct found *x, X509_STORE *store,
                      struct sign_signature_report *r)
{
    size_t der_len;
    unsigned char *der = unhex(f, x->contents, &der_len);
    const unsigned char *p = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)der_len);
    BIO *content = BIO_new(BIO_s_mem());
    BIO_write(content, f->data, (int)x->ranges[1]);
    BIO_write(content, f->data + x->ranges[2], (int)x->ranges[3]);
    if (!cms) {
        r->problem = xstrdup("its /Contents is not a CMS signature");
    } else {
        r->valid = CMS_verify(cms, NULL, NULL, content, NULL,
                              CMS_BINARY | CMS_DETACHED | CMS_NO_SIGNER_CERT_VERIFY) == 1;
        STACK_OF(X509) *signers = CMS_get0_signers(cms);
        X509 *signer = sk_X509_value(signers, 0);
        r->signer = signer ? sign_common_name(signer) : xstrdup("(no certificate)");
        r->trusted = r->valid && signer && store && check_chain(cms, signer, store);
        sk_X509_free(signers);
        STACK_OF(CMS_SignerInfo) *infos = CMS_get0_SignerInfos(cms);
        if (sk_CMS_SignerInfo_num(infos) > 0)
            check_timestamp(sk_CMS_SignerInfo_value(infos, 0), store, r);
        if (!r->valid)
            r->problem = xstrdup("the signed bytes were changed");
        else if (store && !r->trusted)
            r->problem = xstrdup("its certificate does not chain to the trust store");
        else if (r->timestamped && !r->timestamp_valid)
            r->problem = xstrdup("its timestamp does not verify");
    }
    BIO_free(content);
    CMS_ContentInfo_free(cms);
    free(der);
    ERR_clear_error();
}

static void check_field(const struct sign_file *f, struct sign_span field, X509_STORE *store,
                        struct sign_report *report)
{
    struct sign_span v, sig, t;
    if (!sign_file_get(f, field, "FT", &v) || memcmp(f->data + v.start, "/Sig", 4) != 0 ||
        !sign_file_get(f, field, "V", &v) || sign_file_object(f, sign_file_ref(f, v), &sig) != 0)
        return;
    report->items = xrealloc(report->items, (report->count + 1) * sizeof *report->items);
    struct sign_signature_report *r = &report->items[report->count++];
    *r = (struct sign_signature_report){0};
    if (sign_file_get(f, field, "T", &t) && f->data[t.start] == '(' && t.end - t.start >= 2)
        r->field = span_text(f, (struct sign_span){t.start + 1, t.end - 1});
    else
        r->field = sign_file_get(f, field, "T", &t) ? span_text(f, t) : xstrdup("");
    if (sign_file_get(f, field, "Rect", &t)) {
        char *rect = span_text(f, t);
        r->placed = sscanf(rect, "[%lf %lf %lf %lf]", &r->rect[0], &r->rect[1], &r->rect[2],
                           &r->rect[3]) == 4;
        free(rect);
    }
    struct found x = {0};
    const char *problem = NULL;
    if (!sign_file_get(f, sig, "ByteRange", &x.range) ||
        !sign_file_get(f, sig, "Contents", &x.contents))
        problem = "it has no /ByteRange or /Contents";
    else
        problem = check_range(f, &x);
    if (problem) {
        r->problem = xstrdup(problem);
        r->signer = xstrdup("(unknown)");
        return;
    }
    r->revision_end = x.ranges[2] + x.ranges[3];
    r->whole_file = r->revision_end == f->len;
    check_cms(f, &x, store, r);
}

int sign_module_verify(const char *data, size_t len, const char *file, const char *trust_file,
                       struct sign_report *report, struct errors *errors)
{
    *report = (struct sign_report){0};
    struct sign_file f;
    if (sign_file_open(&f, data, len) != 0) {
        errors_add_at(errors, file, 0, 0, "not a PDF whose structure missive can read");
        return -1;
    }
    X509_STORE *store = sign_store(trust_file);
    if (trust_file && !store) {
        errors_add_at(errors, trust_file, 0, 0, "cannot read the trust file (PEM certificates)");
        sign_file_close(&f);
        return -1;
    }
    report->trust_checked = store != NULL;
    struct sign_span catalog, form, fields, *items = NULL, field;
    long count = 0;
    if (sign_file_object(&f, f.root, &catalog) == 0 &&
        sign_file_get(&f, catalog, "AcroForm", &form) &&
        sign_file_object(&f, sign_file_ref(&f, form), &form) == 0 &&
        sign_file_get(&f, form, "Fields", &fields))
        count = sign_file_array(&f, fields, &items);
    for (long i = 0; i < count; i++)
        if (sign_file_object(&f, sign_file_ref(&f, items[i]), &field) == 0)
            check_field(&f, field, store, report);
    free(items);
    X509_STORE_free(store);
    sign_file_close(&f);
    return 0;
}
