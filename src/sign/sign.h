/* sign.h — owns digital signatures of issued letters: PAdES baseline
 * signatures (B-B, and B-T with an RFC 3161 timestamp) added to a rendered
 * PDF as one incremental update per signatory, their verification, and
 * signed register checkpoints. The cryptography is OpenSSL 3's (CMS
 * detached SignedData, SHA-256, ESS signing-certificate-v2); the PDF side
 * is a reader of the classic cross-reference tables missive writes and a
 * writer of incremental updates. Keys are loaded once per signatory and
 * checked before anything is signed. */
#ifndef MISSIVE_SIGN_H
#define MISSIVE_SIGN_H

#include "buffer.h"
#include "error.h"
#include "pdf.h"
#include "settings.h"
#include "workspace.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* A signatory's private key and certificate (with the chain the PKCS#12
 * file carries). Opaque; free with sign_key_free. */
struct sign_key;

/* Where a key comes from. who names the signatory (or organisation) in
 * errors; loc is where its configuration stands (signatories.ini). */
struct sign_key_source {
    const char *who;
    const char *path;       /* the PKCS#12 file */
    const char *passphrase; /* already read from its variable or file */
    struct source_loc loc;
};

/* Loads and checks a key: the passphrase opens the file, the key matches
 * the certificate, the certificate is valid at `at` and allows digital
 * signatures. NULL plus one located error naming who and the file. */
struct sign_key *sign_key_load(const struct sign_key_source *source, time_t at,
                               struct errors *errors);
void sign_key_free(struct sign_key *key);
/* The certificate subject's common name (borrowed, lives with key). */
const char *sign_key_name(const struct sign_key *key);

/* A time-stamp authority (RFC 3161) reached over HTTP. trust_file, when
 * set, is a PEM file of CA certificates the TSA's certificate must chain
 * to; timeout is in seconds. loc is its line in missive.ini. */
struct sign_tsa {
    const char *url;
    const char *trust_file;
    long timeout;
    struct source_loc loc;
};

/* One signature to add. */
struct sign_request {
    const struct sign_key *key;
    struct pdf_signature_place place; /* the signature field's rectangle */
    const char *name;                 /* the signer's name, for /Name */
    const char *reason;               /* e.g. the letter's reference; may be NULL */
    time_t time;                      /* the signing time, written as /M */
    const struct sign_tsa *tsa;       /* NULL: PAdES B-B, no timestamp */
};

/* Appends one incremental update to pdf holding a signature field at
 * request->place and its CMS signature over the whole file but the
 * signature's /Contents. On failure pdf is left as it was and an error
 * naming who is added. With an RSA key and no TSA the result is the same
 * bytes every time. */
int sign_pdf(struct buffer *pdf, const struct sign_request *request, const char *who,
             struct errors *errors);

/* What verification found for one signature, in the file's order. */
struct sign_signature_report {
    char *signer;     /* certificate common name */
    char *field;      /* the signature field's name */
    bool valid;       /* the CMS signature matches the signed bytes */
    bool whole_file;  /* its byte range ends where the file ends */
    bool trusted;     /* its certificate chains to the trust store */
    bool timestamped; /* it carries a time-stamp token */
    bool timestamp_valid;
    char *timestamp_time; /* the token's genTime ("20260101120000Z"), or NULL */
    char *problem;        /* why it is not valid or trusted, or NULL */
    size_t revision_end;  /* bytes covered: the end of its revision */
    bool placed;          /* its widget has a /Rect: */
    double rect[4];       /* x0 y0 x1 y1, as written (2 decimals) */
};

struct sign_report {
    struct sign_signature_report *items;
    size_t count;
    bool trust_checked; /* a trust file was given: trusted means something */
};

/* Checks every signature of the PDF in data: the byte ranges, each CMS
 * signature over its bytes, the chain against the CA certificates in
 * trust_file (NULL: nothing is trusted), embedded timestamps. Returns 0
 * when the file could be read (report filled, each item says whether it
 * holds), -1 with an error at file when it is not a signed PDF missive
 * can read. */
int sign_verify(const char *data, size_t len, const char *file, const char *trust_file,
                struct sign_report *report, struct errors *errors);
/* True when every signature is valid, covers the file's bytes up to its
 * revision, and the last one covers the whole file. */
bool sign_report_ok(const struct sign_report *report);
void sign_report_clear(struct sign_report *report);
/* The length of the file before its first signature's update (the bytes
 * render produced), or len when it has no signature. */
size_t sign_unsigned_length(const char *data, size_t len);

/* A signed register checkpoint: a detached CMS signature by key over the
 * line "missive register checkpoint COUNT HASH". Appends its DER to out. */
int sign_checkpoint(const struct sign_key *key, long long count, const char *hash,
                    struct buffer *out, const char *who, struct errors *errors);
/* Checks a checkpoint signature over (count, hash): 1 valid, 0 not. When
 * trust_file is set the signer must chain to it. signer receives the
 * signer's common name (malloc'd) when non-NULL and valid. */
int sign_checkpoint_verify(const unsigned char *der, size_t len, long long count, const char *hash,
                           const char *trust_file, char **signer);

/* ---- one letter, as the workspace configures its keys ---- */

struct keys_entry;
/* The key of one keys entry (passphrase from its variable or file),
 * loaded and checked at time at; NULL plus located errors. */
struct sign_key *sign_letter_load_key(const struct workspace *ws, const struct keys_entry *entry,
                                      time_t at, struct errors *errors);

/* A letter's key holders, in the letter's order of signatories. */
struct sign_letter_signer {
    char *who;  /* the id whose key it is: "warda" */
    char *name; /* the signatory's name, for the signature's /Name */
    struct sign_key *key;
    size_t index; /* the signatory's place in the signature block */
};
struct sign_letter_keys {
    struct sign_letter_signer *items;
    size_t count;
};

/* Loads and checks the key of each of the signatories ids (their own, else
 * their organisation's; none is fine) for signing at `at`. -1 with every
 * key's error (nothing loaded) when one is wrong. */
int sign_letter_keys_load(const struct workspace *ws, const char *const *ids, size_t count,
                          time_t at, struct sign_letter_keys *out, struct errors *errors);
void sign_letter_keys_free(struct sign_letter_keys *keys);
/* Signs pdf once per key holder, in order, each at its place, with a
 * timestamp when settings name a TSA. On failure pdf may hold the
 * signatures made before it: the caller discards it. */
int sign_letter(struct buffer *pdf, const struct pdf_places *places,
                const struct sign_letter_keys *keys, const struct signing_settings *settings,
                const char *reference, time_t at, struct errors *errors);

#endif
