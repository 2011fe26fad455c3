/* mail.c — a letter as an .eml: headers (encoded-words where not ASCII,
 * folded), the flowed text and the base64 PDF, CRLF throughout. */
#include "mail.h"

#include <nettle/base64.h>
#include <nettle/sha2.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Bytes of an encoded-word's text: 39 bytes are 52 of base64, so the word
 * (with =?utf-8?b? and ?=) stays within 64 columns. */
enum { WORD_BYTES = 39, LINE_MAX = 78, BASE64_LINE = 57 /* bytes: 76 columns */ };

static bool atext(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

static bool domain_char(char c)
{
    return c == '-' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* local@domain, each side dot-separated atoms, ASCII. */
static bool addr_spec(const char *s, size_t len)
{
    const char *at = memchr(s, '@', len);
    if (!at || at == s || at == s + len - 1 || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
        return false;
    for (const char *p = s; p < s + len; p++) {
        if (p == at)
            continue;
        if (*p == '.') {
            /* no leading, trailing or doubled dot on either side */
            if (p == s || p == at + 1 || p + 1 == at || p + 1 == s + len || p[1] == '.')
                return false;
        } else if (!atext(*p) || (p > at && !domain_char(*p))) {
            return false;
        }
    }
    return true;
}

bool mail_parse_address(struct arena *arena, const char *text, struct mail_address *out)
{
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return false;
    const char *open = strrchr(text, '<');
    size_t len = strlen(text);
    while (len && text[len - 1] == ' ')
        len--;
    if (!open) {
        const char *s = text;
        while (*s == ' ')
            s++;
        if (!addr_spec(s, len - (size_t)(s - text)))
            return false;
        *out = (struct mail_address){"", arena_strndup(arena, s, len - (size_t)(s - text))};
        return true;
    }
    if (len == 0 || text[len - 1] != '>' || open > text + len - 1)
        return false;
    if (!addr_spec(open + 1, (size_t)(text + len - 1 - open - 1)))
        return false;
    const char *name = text, *name_end = open;
    while (*name == ' ')
        name++;
    while (name_end > name && name_end[-1] == ' ')
        name_end--;
    /* A quoted name loses its quotes: they are put back when needed. */
    if (name_end - name >= 2 && *name == '"' && name_end[-1] == '"') {
        name++;
        name_end--;
    }
    *out = (struct mail_address){arena_strndup(arena, name, (size_t)(name_end - name)),
                                 arena_strndup(arena, open + 1, (size_t)(text + len - open - 2))};
    return true;
}

/* ---- headers ---- */

static bool ascii_printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F)
            return false;
    return true;
}

/* The length of the longest prefix of s (at most max bytes) that ends on
 * a character boundary. */
static size_t whole_chars(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n ? n : max;
}

/* text as encoded-words, folded onto lines of their own; *column is where
 * the header's line stands. */
static void encoded_words(struct buffer *out, const char *text, size_t *column)
{
    size_t len = strlen(text);
    char b64[BASE64_ENCODE_RAW_LENGTH(WORD_BYTES) + 1];
    for (size_t at = 0; at < len;) {
        size_t n = whole_chars(text + at, len - at, WORD_BYTES);
        /* Cut after a space when there is one in the second half: a reader
         * that wrongly keeps the fold between words then shows a space
         * too many, rather than a word cut in two. */
        for (size_t k = n; at + n < len && k > WORD_BYTES / 2; k--)
            if (text[at + k - 1] == ' ') {
                n = k;
                break;
            }
        base64_encode_raw(b64, n, (const uint8_t *)text + at);
        size_t word = 12 + BASE64_ENCODE_RAW_LENGTH(n);
        if (at > 0) {
            buffer_puts(out, "\r\n ");
            *column = 1;
        }
        buffer_puts(out, "=?utf-8?b?");
        buffer_append(out, b64, BASE64_ENCODE_RAW_LENGTH(n));
        buffer_puts(out, "?=");
        *column += word;
        at += n;
    }
}

/* ASCII text folded at spaces to keep lines within LINE_MAX. */
static void folded(struct buffer *out, const char *text, size_t *column)
{
    while (*text) {
        size_t word = strcspn(text + 1, " ") + 1;
        if (*column + word > LINE_MAX && *text == ' ' && *column > 1) {
            buffer_puts(out, "\r\n");
            *column = 0;
        }
        buffer_append(out, text, word);
        *column += word;
        text += word;
    }
}

/* An unstructured header value (Subject): plain when ASCII, else
 * encoded-words. Control characters become spaces, so that no value can
 * end the header. */
static void unstructured(struct buffer *out, const char *name, const char *value)
{
    struct buffer clean = {0};
    for (const char *p = value ? value : ""; *p; p++)
        buffer_putc(&clean, (unsigned char)*p < 0x20 || *p == 0x7F ? ' ' : *p);
    buffer_putc(&clean, '\0');
    size_t column = strlen(name) + 2;
    buffer_printf(out, "%s: ", name);
    if (ascii_printable(clean.data))
        folded(out, clean.data, &column);
    else
        encoded_words(out, clean.data, &column);
    buffer_puts(out, "\r\n");
    buffer_free(&clean);
}

/* A mailbox header: the name as an atom phrase, a quoted string or
 * encoded-words, then <address>. */
static void mailbox(struct buffer *out, const char *header, const struct mail_address *a)
{
    size_t column = strlen(header) + 2;
    buffer_printf(out, "%s: ", header);
    const char *name = a->name ? a->name : "";
    if (!*name) {
        buffer_puts(out, a->address);
    } else {
        if (!ascii_printable(name)) {
            encoded_words(out, name, &column);
        } else if (strpbrk(name, "()<>[]:;@\\,.\"")) {
            buffer_putc(out, '"');
            for (const char *p = name; *p; p++) {
                if (*p == '"' || *p == '\\')
                    buffer_putc(out, '\\');
                buffer_putc(out, *p);
            }
            buffer_putc(out, '"');
            column += strlen(name) + 2;
        } else {
            folded(out, name, &column);
        }
        if (column + strlen(a->address) + 3 > LINE_MAX)
            buffer_puts(out, "\r\n");
        buffer_printf(out, " <%s>", a->address);
    }
    buffer_puts(out, "\r\n");
}

/* RFC 5322's date-time of an ISO date or UTC time. */
static void date_header(struct buffer *out, const char *iso)
{
    struct tm tm = {0};
    int y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0;
    if (iso && sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) < 3)
        y = 1970, mo = 1, d = 1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    time_t t = timegm(&tm);
    struct tm utc;
    gmtime_r(&t, &utc);
    char text[64];
    /* Day and month names are English by the standard, not by locale. */
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[utc.tm_wday],
             utc.tm_mday, months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
             utc.tm_sec);
    buffer_printf(out, "Date: %s\r\n", text);
}

/* ---- body ---- */

/* The flowed text with CRLF line ends, space-stuffed (RFC 3676 4.4): a
 * line starting with a space, '>' or "From " gets one more space. */
static void flowed_body(struct buffer *out, const struct buffer *text)
{
    const char *p = text->data ? text->data : "", *end = p + text->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len && (*p == ' ' || *p == '>' || (len >= 5 && memcmp(p, "From ", 5) == 0)))
            buffer_putc(out, ' ');
        buffer_append(out, p, len);
        buffer_puts(out, "\r\n");
        p += len + (nl ? 1 : 0);
    }
}

static void base64_body(struct buffer *out, const struct buffer *data)
{
    char line[BASE64_ENCODE_RAW_LENGTH(BASE64_LINE)];
    for (size_t at = 0; at < data->len; at += BASE64_LINE) {
        size_t n = data->len - at < BASE64_LINE ? data->len - at : BASE64_LINE;
        base64_encode_raw(line, n, (const uint8_t *)data->data + at);
        buffer_append(out, line, BASE64_ENCODE_RAW_LENGTH(n));
        buffer_puts(out, "\r\n");
    }
}

static bool contains(const struct buffer *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; b->data && i + n <= b->len; i++)
        if (memcmp(b->data + i, needle, n) == 0)
            return true;
    return false;
}

void mail_render(const struct mail_message *m, struct buffer *out)
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, m->pdf->len, (const uint8_t *)m->pdf->data);
    sha256_update(&ctx, m->text->len, (const uint8_t *)m->text->data);
    sha256_digest(&ctx, sizeof digest, digest);
    char hash[17]; /* 64 bits: unique enough beside the letter's name */
    for (size_t i = 0; i < 8; i++)
        snprintf(hash + 2 * i, 3, "%02x", digest[i]);
    char boundary[64];
    snprintf(boundary, sizeof boundary, "=_missive_%s", hash);
    /* "=_" never occurs in base64; only a text could hold it. */
    while (contains(m->text, boundary) && strlen(boundary) + 1 < sizeof boundary)
        strcat(boundary, "_");
    const char *domain = strchr(m->from.address, '@') + 1;
    mailbox(out, "From", &m->from);
    mailbox(out, "To", &m->to);
    if (m->reply_to)
        mailbox(out, "Reply-To", m->reply_to);
    unstructured(out, "Subject", m->subject);
    date_header(out, m->date);
    /* A long name puts the identifier on a line of its own. */
    size_t id_len = strlen(m->name) + strlen(hash) + strlen(domain) + 4;
    buffer_puts(out, 13 + id_len > LINE_MAX ? "Message-ID:\r\n <" : "Message-ID: <");
    for (const char *p = m->name; *p; p++)
        buffer_putc(out, atext(*p) ? *p : '-');
    buffer_printf(out, ".%s@%s>\r\n", hash, domain);
    buffer_puts(out, "MIME-Version: 1.0\r\n");
    buffer_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary);
    buffer_puts(out, "This is a letter in MIME format: its text, and its PDF attached.\r\n");
    buffer_printf(out, "\r\n--%s\r\n", boundary);
    buffer_puts(out, "Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
                     "Content-Transfer-Encoding: 8bit\r\n");
    if (m->language)
        buffer_printf(out, "Content-Language: %s\r\n", m->language);
    buffer_puts(out, "\r\n");
    flowed_body(out, m->text);
    buffer_printf(out, "\r\n--%s\r\n", boundary);
    buffer_printf(out,
                  "Content-Type: application/pdf; name=\"%s.pdf\"\r\n"
                  "Content-Disposition: attachment; filename=\"%s.pdf\"\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\n",
                  m->name, m->name);
    base64_body(out, m->pdf);
    buffer_printf(out, "\r\n--%s--\r\n", boundary);
}
