/* sign_tsa.c — owns asking an RFC 3161 time-stamp authority for a token:
 * the request (SHA-256 imprint, a random nonce, the TSA's certificate
 * asked for) built by OpenSSL, sent by libcurl as one HTTP POST to the
 * configured URL only (no redirects, no proxy from the environment), and
 * the answer checked before it is used: status, imprint, nonce and, with a
 * trust file, the token's signature and the TSA's certificate chain. */
#include "sign_internal.h"

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include <pthread.h>
#include <string.h>

#define MAX_RESPONSE (1 << 20)

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void init_curl(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_data(char *data, size_t size, size_t count, void *user)
{
    struct buffer *b = user;
    if (b->len + size * count > MAX_RESPONSE)
        return 0; /* ends the transfer: no token is this large */
    buffer_append(b, data, size * count);
    return size * count;
}

static TS_REQ *make_request(const unsigned char imprint[32])
{
    TS_REQ *req = TS_REQ_new();
    TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
    X509_ALGOR *alg = X509_ALGOR_new();
    unsigned char random[8];
    BIGNUM *bn = NULL;
    ASN1_INTEGER *nonce = NULL;
    bool ok = req && mi && alg && RAND_bytes(random, sizeof random) == 1 &&
              (bn = BN_bin2bn(random, sizeof random, NULL)) &&
              (nonce = BN_to_ASN1_INTEGER(bn, NULL));
    if (ok) {
        X509_ALGOR_set_md(alg, EVP_sha256());
        ok = TS_REQ_set_version(req, 1) && TS_MSG_IMPRINT_set_algo(mi, alg) &&
             TS_MSG_IMPRINT_set_msg(mi, (unsigned char *)imprint, 32) &&
             TS_REQ_set_msg_imprint(req, mi) && TS_REQ_set_nonce(req, nonce) &&
             TS_REQ_set_cert_req(req, 1);
    }
    BN_free(bn);
    ASN1_INTEGER_free(nonce);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(mi);
    if (!ok) {
        TS_REQ_free(req);
        return NULL;
    }
    return req;
}

static int post(const struct sign_tsa *tsa, const unsigned char *body, int len,
                struct buffer *answer, const char *who, struct errors *errors)
{
    pthread_once(&curl_once, init_curl);
    CURL *curl = curl_easy_init();
    if (!curl)
        return -1;
    char message[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers =
        curl_slist_append(NULL, "Content-Type: application/timestamp-query");
    curl_easy_setopt(curl, CURLOPT_URL, tsa->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, tsa->timeout > 0 ? tsa->timeout : 10L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)len);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, message);
    CURLcode code = curl_easy_perform(curl);
    long http = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK) {
        errors_add(errors, tsa->loc, "%s: the time-stamp authority %s cannot be reached: %s", who,
                   tsa->url, *message ? message : curl_easy_strerror(code));
        return -1;
    }
    if (http != 200) {
        errors_add(errors, tsa->loc, "%s: the time-stamp authority %s answered HTTP %ld", who,
                   tsa->url, http);
        return -1;
    }
    return 0;
}

/* A store of the CA certificates in trust_file, or NULL: sign_store's
 * twin (that one is in missive-sign.so, which this module cannot see). */
static X509_STORE *trust_store(const char *trust_file)
{
    X509_STORE *store = X509_STORE_new();
    if (store && X509_STORE_load_file(store, trust_file) == 1)
        return store;
    X509_STORE_free(store);
    ERR_clear_error();
    return NULL;
}

/* The checks of TS_REQ_to_TS_VERIFY_CTX (version, imprint, nonce), plus
 * the signature and chain when a trust file is configured. */
static int check_answer(const struct sign_tsa *tsa, TS_REQ *req, TS_RESP *resp, const char *who,
                        struct errors *errors)
{
    TS_VERIFY_CTX *ctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL);
    if (!ctx)
        return -1;
    if (tsa->trust_file) {
        X509_STORE *store = trust_store(tsa->trust_file);
        if (!store) {
            errors_add(errors, tsa->loc, "%s: cannot read the trust file %s", who, tsa->trust_file);
            TS_VERIFY_CTX_free(ctx);
            return -1;
        }
        TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE);
        TS_VERIFY_CTX_set_store(ctx, store); /* the context frees it */
    }
    int ok = TS_RESP_verify_response(ctx, resp) == 1;
    TS_VERIFY_CTX_free(ctx);
    if (!ok) {
        const char *reason = ERR_reason_error_string(ERR_peek_last_error());
        errors_add(errors, tsa->loc,
                   "%s: the time-stamp authority %s gave a token that does not verify (%s)", who,
                   tsa->url, reason ? reason : "unknown reason");
        return -1;
    }
    return 0;
}

int sign_tsa_token(const struct sign_tsa *tsa, const unsigned char imprint[32], struct buffer *out,
                   const char *who, struct errors *errors)
{
    TS_REQ *req = make_request(imprint);
    unsigned char *body = NULL;
    int len = req ? i2d_TS_REQ(req, &body) : -1;
    struct buffer answer = {0};
    TS_RESP *resp = NULL;
    int status = -1;
    if (len <= 0 || post(tsa, body, len, &answer, who, errors) != 0)
        goto done;
    const unsigned char *p = (const unsigned char *)answer.data;
    resp = d2i_TS_RESP(NULL, &p, (long)answer.len);
    if (!resp) {
        errors_add(errors, tsa->loc, "%s: the time-stamp authority %s did not answer with a token",
                   who, tsa->url);
        goto done;
    }
    if (check_answer(tsa, req, resp, who, errors) != 0)
        goto done;
    unsigned char *token = NULL;
    int token_len = i2d_PKCS7(TS_RESP_get_token(resp), &token);
    if (token_len > 0) {
        buffer_append(out, (const char *)token, (size_t)token_len);
        status = 0;
    }
    OPENSSL_free(token);
done:
    TS_RESP_free(resp);
    buffer_free(&answer);
    OPENSSL_free(body);
    TS_REQ_free(req);
    ERR_clear_error();
    return status;
}
