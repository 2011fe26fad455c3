/* sign_internal.h — what the modules of src/sign share: the loaded key,
 * the reader of a PDF's objects (classic cross-reference tables, as
 * missive and its own incremental updates write them), and the CMS and
 * timestamp helpers. */
#ifndef MISSIVE_SIGN_INTERNAL_H
#define MISSIVE_SIGN_INTERNAL_H

#include "sign.h"

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

struct sign_key {
    EVP_PKEY *pkey;
    X509 *cert;
    STACK_OF(X509) * chain; /* may be NULL */
    char *name;             /* the subject's common name */
};

/* The subject's common name as UTF-8 (malloc'd). */
char *sign_common_name(const X509 *cert);

/* ---- sign_parse.c: reading objects ---- */

/* Bytes [start, end) of the file. */
struct sign_span {
    size_t start, end;
};

struct sign_file {
    const char *data;
    size_t len;
    size_t *offsets;     /* by object number: where "N 0 obj" starts, 0 when unknown */
    long size;           /* the trailer's /Size */
    long root, info;     /* object numbers (info 0 when none) */
    struct sign_span id; /* the trailer's /ID value, empty when none */
    size_t startxref;
};

/* The first occurrence of needle (n bytes) in data (len bytes), or NULL. */
const char *sign_find(const char *data, size_t len, const char *needle, size_t n);
/* Reads the cross-reference chain of data. -1 when it is not a PDF with
 * classic cross-reference tables. */
int sign_file_open(struct sign_file *f, const char *data, size_t len);
void sign_file_close(struct sign_file *f);
/* The dictionary ("<< ... >>") of object num. -1 when it has none. */
int sign_file_object(const struct sign_file *f, long num, struct sign_span *dict);
/* The value of /key at the top level of dict. */
bool sign_file_get(const struct sign_file *f, struct sign_span dict, const char *key,
                   struct sign_span *value);
/* The object number of a reference "N G R", or 0. */
long sign_file_ref(const struct sign_file *f, struct sign_span value);
/* The end of the value starting at (or after white space from) pos. */
size_t sign_file_skip(const struct sign_file *f, size_t pos);
/* pos after white space and comments. */
size_t sign_file_space(const struct sign_file *f, size_t pos);
/* The object number of page index (0-based), or 0. */
long sign_file_page(const struct sign_file *f, int index);
/* The items of an array value (or of the array a reference points to):
 * their spans into items (malloc'd), their count returned; -1 when value
 * is not an array. */
long sign_file_array(const struct sign_file *f, struct sign_span value, struct sign_span **items);

/* ---- sign_cms.c: the CMS signature and the timestamp ---- */

/* A detached CMS SignedData over the SHA-256 digest given, with the
 * signed attributes content-type, message-digest and ESS
 * signing-certificate-v2, and no signing-time; with tsa, a timestamp token
 * over the signature in the unsigned attributes. DER into out. */
int sign_cms(const struct sign_key *key, const unsigned char digest[32], const struct sign_tsa *tsa,
             struct buffer *out, const char *who, struct errors *errors);
/* Asks the TSA for a token over imprint (SHA-256, 32 bytes) and checks
 * the answer: status, imprint, nonce, its signature. DER token into out. */
int sign_tsa_token(const struct sign_tsa *tsa, const unsigned char imprint[32], struct buffer *out,
                   const char *who, struct errors *errors);
/* A store of the CA certificates in a PEM file, or NULL. */
X509_STORE *sign_store(const char *trust_file);

/* ---- missive-sign.so: what needs OpenSSL (sign_module.c calls it) ---- */

/* sign.h's functions of the same name without "module_". */
struct sign_key *sign_module_key_load(const struct sign_key_source *source, time_t at,
                                      struct errors *errors);
void sign_module_key_free(struct sign_key *key);
const char *sign_module_key_name(const struct sign_key *key);
int sign_module_pdf(struct buffer *pdf, const struct sign_request *request, const char *who,
                    struct errors *errors);
int sign_module_verify(const char *data, size_t len, const char *file, const char *trust_file,
                       struct sign_report *report, struct errors *errors);
int sign_module_checkpoint(const struct sign_key *key, long long count, const char *hash,
                           struct buffer *out, const char *who, struct errors *errors);
int sign_module_checkpoint_verify(const unsigned char *der, size_t len, long long count,
                                  const char *hash, const char *trust_file, char **signer);

#endif
