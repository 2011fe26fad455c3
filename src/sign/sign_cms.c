/* sign_cms.c — owns the CMS signature of a PAdES baseline signature and of
 * a register checkpoint. OpenSSL 3.0's CMS_SignerInfo_sign always adds a
 * signing-time attribute, which PAdES forbids (the time is the PDF's /M),
 * so the signer info is built partial and its signature is made here over
 * the DER of the signed attributes, exactly as CMS_SignerInfo_sign would
 * make it. With RSA PKCS#1 v1.5 the result is deterministic. */
#include "sign_internal.h"

#include "module.h"

#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/pkcs7.h>

#include <stdio.h>
#include <string.h>

static const char *openssl_reason(void)
{
    const char *r = ERR_reason_error_string(ERR_peek_last_error());
    return r ? r : "unknown OpenSSL error";
}

/* The ESS signing-certificate-v2 attribute (RFC 5035): a SHA-256 hash of
 * the signer's certificate with its issuer and serial, so the certificate
 * cannot be swapped for another with the same key. */
static int add_signing_certificate(CMS_SignerInfo *si, X509 *cert)
{
    ESS_SIGNING_CERT_V2 *sc = OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), cert, NULL, 1);
    if (!sc)
        return -1;
    unsigned char *der = NULL;
    int len = i2d_ESS_SIGNING_CERT_V2(sc, &der);
    int ok = len > 0 && CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2,
                                                    V_ASN1_SEQUENCE, der, len) > 0;
    OPENSSL_free(der);
    ESS_SIGNING_CERT_V2_free(sc);
    return ok ? 0 : -1;
}

/* Signs the DER of the signed attributes (a SET OF, sorted as DER wants)
 * and stores the signature in the signer info. */
static int sign_attributes(CMS_SignerInfo *si, EVP_PKEY *pkey)
{
    STACK_OF(X509_ATTRIBUTE) *attrs = sk_X509_ATTRIBUTE_new_null();
    for (int i = 0; i < CMS_signed_get_attr_count(si); i++)
        sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i));
    unsigned char *der = NULL, *sig = NULL;
    int len = ASN1_item_i2d((ASN1_VALUE *)attrs, &der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
    sk_X509_ATTRIBUTE_free(attrs); /* the attributes stay with si */
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t sig_len = 0;
    int status = -1;
    if (len > 0 && md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
        EVP_DigestSign(md, NULL, &sig_len, der, (size_t)len) == 1) {
        sig = OPENSSL_malloc(sig_len);
        if (sig && EVP_DigestSign(md, sig, &sig_len, der, (size_t)len) == 1) {
            ASN1_STRING_set0(CMS_SignerInfo_get0_signature(si), sig, (int)sig_len);
            sig = NULL;
            status = 0;
        }
    }
    OPENSSL_free(sig);
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    return status;
}

/* The time-stamp client is missive-tsa.so's (module.h), unless the program
 * links sign_tsa.c itself. */
#pragma weak sign_tsa_token
typedef int tsa_token_fn(const struct sign_tsa *tsa, const unsigned char imprint[32],
                         struct buffer *out, const char *who, struct errors *errors);

static tsa_token_fn *tsa_token(struct errors *errors)
{
    if (sign_tsa_token)
        return sign_tsa_token;
    char reason[600];
    tsa_token_fn *token =
        (tsa_token_fn *)module_function("tsa", "sign_tsa_token", reason, sizeof reason);
    if (!token)
        errors_add_at(errors, NULL, 0, 0, "a time-stamp cannot be asked for: %s", reason);
    return token;
}

/* The timestamp token over the signature value, as an unsigned attribute. */
static int add_timestamp(CMS_SignerInfo *si, const struct sign_tsa *tsa, const char *who,
                         struct errors *errors)
{
    const ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
    unsigned char imprint[32];
    if (!EVP_Digest(ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), imprint, NULL,
                    EVP_sha256(), NULL))
        return -1;
    struct buffer token = {0};
    int status = -1;
    tsa_token_fn *token_of = tsa_token(errors);
    if (token_of && token_of(tsa, imprint, &token, who, errors) == 0 &&
        CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                      token.data, (int)token.len) > 0)
        status = 0;
    buffer_free(&token);
    return status;
}

int sign_cms(const struct sign_key *key, const unsigned char digest[32], const struct sign_tsa *tsa,
             struct buffer *out, const char *who, struct errors *errors)
{
    unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, key->chain, NULL, flags);
    CMS_SignerInfo *si =
        cms ? CMS_add1_signer(cms, key->cert, key->pkey, EVP_sha256(), flags) : NULL;
    unsigned char *der = NULL;
    int len = -1;
    if (si && add_signing_certificate(si, key->cert) == 0 &&
        CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                    OBJ_nid2obj(NID_pkcs7_data), -1) > 0 &&
        CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, digest, 32) >
            0 &&
        sign_attributes(si, key->pkey) == 0) {
        size_t before = errors->count;
        if (!tsa || add_timestamp(si, tsa, who, errors) == 0)
            len = i2d_CMS_ContentInfo(cms, &der);
        else if (errors->count > before)
            goto done;
    }
    if (len <= 0)
        errors_add_at(errors, NULL, 0, 0, "%s: cannot make the signature (%s)", who,
                      openssl_reason());
    else
        buffer_append(out, (const char *)der, (size_t)len);
done:
    OPENSSL_free(der);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return len > 0 ? 0 : -1;
}

X509_STORE *sign_store(const char *trust_file)
{
    if (!trust_file)
        return NULL;
    X509_STORE *store = X509_STORE_new();
    if (store && X509_STORE_load_file(store, trust_file) == 1)
        return store;
    X509_STORE_free(store);
    ERR_clear_error();
    return NULL;
}

/* ---- register checkpoints ---- */

static void checkpoint_digest(long long count, const char *hash, unsigned char digest[32])
{
    char line[256];
    int n = snprintf(line, sizeof line, "missive register checkpoint %lld %s", count, hash);
    EVP_Digest(line, (size_t)n, digest, NULL, EVP_sha256(), NULL);
}

int sign_module_checkpoint(const struct sign_key *key, long long count, const char *hash,
                           struct buffer *out, const char *who, struct errors *errors)
{
    unsigned char digest[32];
    checkpoint_digest(count, hash, digest);
    return sign_cms(key, digest, NULL, out, who, errors);
}

int sign_module_checkpoint_verify(const unsigned char *der, size_t len, long long count,
                                  const char *hash, const char *trust_file, char **signer)
{
    char line[256];
    int n = snprintf(line, sizeof line, "missive register checkpoint %lld %s", count, hash);
    const unsigned char *p = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
    X509_STORE *store = sign_store(trust_file);
    BIO *content = BIO_new_mem_buf(line, n);
    int ok = 0;
    if (cms && content && (!trust_file || store)) {
        unsigned flags = CMS_BINARY | CMS_DETACHED | (store ? 0 : CMS_NO_SIGNER_CERT_VERIFY);
        ok = CMS_verify(cms, NULL, store, content, NULL, flags) == 1;
    }
    if (ok && signer) {
        STACK_OF(X509) *signers = CMS_get0_signers(cms);
        *signer = sign_common_name(sk_X509_value(signers, 0));
        sk_X509_free(signers);
    }
    BIO_free(content);
    X509_STORE_free(store);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return ok;
}
