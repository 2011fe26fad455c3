/* mail.h — owns the e-mail form of a letter: an RFC 5322 message, MIME
 * multipart/mixed, whose first part is the letter's text (text/plain;
 * charset=utf-8; format=flowed, RFC 3676, space-stuffed) and whose second
 * is its PDF (application/pdf, base64, with a file name). Headers that are
 * not ASCII are RFC 2047 encoded-words. The message is bytes for a file:
 * missive never sends it (any mail client or `sendmail -t` can). */
#ifndef MISSIVE_MAIL_H
#define MISSIVE_MAIL_H

#include "arena.h"
#include "buffer.h"

#include <stdbool.h>

/* A mailbox: a display name (may be empty) and an ASCII addr-spec. */
struct mail_address {
    const char *name;
    const char *address;
};

/* Reads "Name <local@domain>" or "local@domain" (strings copied into
 * arena). false when text is not one such mailbox: the address must be
 * ASCII local@domain with dot-atom parts, the name one line. */
bool mail_parse_address(struct arena *arena, const char *text, struct mail_address *out);

struct mail_message {
    struct mail_address from, to;
    const struct mail_address *reply_to; /* NULL: none */
    const char *subject;
    const char *date;          /* "yyyy-mm-ddThh:mm:ssZ", or "yyyy-mm-dd" (midnight UTC) */
    const char *language;      /* Content-Language of the text, or NULL */
    const char *name;          /* the attachment is NAME.pdf; the Message-ID starts with it */
    const struct buffer *text; /* text_render_flowed's (LF line ends) */
    const struct buffer *pdf;
};

/* The message as an .eml file (CRLF line ends) into out. Its Message-ID
 * is <NAME.HASH@DOMAIN>, HASH 64 bits of the SHA-256 of the PDF and text,
 * DOMAIN the sender's: the same letter gives the same message. */
void mail_render(const struct mail_message *m, struct buffer *out);

#endif
