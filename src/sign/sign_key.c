/* sign_key.c — owns loading a signatory's PKCS#12 file and the checks made
 * on it before any number is issued: passphrase, key/certificate match,
 * validity period, key usage. */
#include "sign_internal.h"

#include "arena.h"
#include "path.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

void sign_module_key_free(struct sign_key *key)
{
    if (!key)
        return;
    EVP_PKEY_free(key->pkey);
    X509_free(key->cert);
    sk_X509_pop_free(key->chain, X509_free);
    free(key->name);
    free(key);
}

const char *sign_module_key_name(const struct sign_key *key)
{
    return key->name;
}

char *sign_common_name(const X509 *cert)
{
    const X509_NAME *subject = X509_get_subject_name(cert);
    int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (i < 0)
        return xstrdup("(no common name)");
    const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char *utf8 = NULL;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n < 0)
        return xstrdup("(unreadable common name)");
    char *name = xmalloc((size_t)n + 1);
    memcpy(name, utf8, (size_t)n);
    name[n] = '\0';
    OPENSSL_free(utf8);
    return name;
}

/* Through path.h: a key named by the workspace lies inside it or in a
 * folder [paths] allows, like every other file it names. */
static PKCS12 *read_p12(const struct sign_key_source *s, struct errors *errors)
{
    struct buffer data = {0};
    char reason[512];
    int status = path_read(s->path, PATH_KEY, &data, reason, sizeof reason);
    if (status != 0) {
        if (status == PATH_FAILED)
            errors_add(errors, s->loc, "%s: cannot open the key file %s: %s", s->who, s->path,
                       strerror(errno));
        else
            errors_add(errors, s->loc, "%s: %s", s->who, reason);
        buffer_free(&data);
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)data.data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)data.len);
    buffer_free(&data);
    if (!p12)
        errors_add(errors, s->loc, "%s: %s is not a PKCS#12 key file", s->who, s->path);
    return p12;
}

/* The certificate's own dates against the signing time. */
static int check_period(const struct sign_key_source *s, X509 *cert, time_t at,
                        struct errors *errors)
{
    time_t t = at;
    if (X509_cmp_time(X509_get0_notBefore(cert), &t) > 0) {
        errors_add(errors, s->loc, "%s: the certificate in %s is not valid yet at the signing time",
                   s->who, s->path);
        return -1;
    }
    if (X509_cmp_time(X509_get0_notAfter(cert), &t) < 0) {
        errors_add(errors, s->loc, "%s: the certificate in %s has expired at the signing time",
                   s->who, s->path);
        return -1;
    }
    return 0;
}

static int check_key(const struct sign_key_source *s, struct sign_key *k, time_t at,
                     struct errors *errors)
{
    if (k->pkey && !k->cert && sk_X509_num(k->chain) > 0) {
        /* PKCS12_parse pairs key and certificate by their local key id. */
        errors_add(errors, s->loc, "%s: the private key in %s does not match its certificate",
                   s->who, s->path);
        return -1;
    }
    if (!k->pkey || !k->cert) {
        errors_add(errors, s->loc, "%s: %s holds no %s", s->who, s->path,
                   k->pkey ? "certificate" : "private key");
        return -1;
    }
    if (X509_check_private_key(k->cert, k->pkey) != 1) {
        errors_add(errors, s->loc, "%s: the private key in %s does not match its certificate",
                   s->who, s->path);
        return -1;
    }
    if (check_period(s, k->cert, at, errors) != 0)
        return -1;
    /* Without a key usage extension every use is allowed (RFC 5280). */
    if (!(X509_get_key_usage(k->cert) & KU_DIGITAL_SIGNATURE)) {
        errors_add(errors, s->loc,
                   "%s: the certificate in %s does not allow digital signatures (key usage)",
                   s->who, s->path);
        return -1;
    }
    return 0;
}

struct sign_key *sign_module_key_load(const struct sign_key_source *s, time_t at,
                                      struct errors *errors)
{
    PKCS12 *p12 = read_p12(s, errors);
    if (!p12)
        return NULL;
    const char *pass = s->passphrase ? s->passphrase : "";
    struct sign_key *k = xcalloc(1, sizeof *k);
    if (PKCS12_mac_present(p12) && !PKCS12_verify_mac(p12, pass, -1)) {
        errors_add(errors, s->loc, "%s: wrong passphrase for %s", s->who, s->path);
        goto fail;
    }
    if (!PKCS12_parse(p12, pass, &k->pkey, &k->cert, &k->chain)) {
        errors_add(errors, s->loc, "%s: cannot read %s (%s)", s->who, s->path,
                   ERR_reason_error_string(ERR_peek_last_error()));
        goto fail;
    }
    if (check_key(s, k, at, errors) != 0)
        goto fail;
    k->name = sign_common_name(k->cert);
    PKCS12_free(p12);
    ERR_clear_error();
    return k;
fail:
    PKCS12_free(p12);
    sign_module_key_free(k);
    ERR_clear_error();
    return NULL;
}
