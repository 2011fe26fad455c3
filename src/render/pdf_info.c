/* pdf_info.c — document information and the trailer /ID, from the
 * document alone. */
#include "pdf_info.h"

#include "arena.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <nettle/sha2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A text string for the Info dictionary: literal when ASCII, else UTF-16BE
 * with a byte order mark, as PDF wants for non-Latin text. */
static void set_text(HPDF_Doc pdf, const char *key, const char *utf8)
{
    if (!utf8 || !pdf->info)
        return;
    bool ascii = true;
    for (const char *c = utf8; *c; c++)
        ascii = ascii && (unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7F;
    if (ascii) {
        HPDF_Dict_Add(pdf->info, key, HPDF_String_New(pdf->mmgr, utf8, NULL));
        return;
    }
    int32_t len = (int32_t)strlen(utf8);
    HPDF_BYTE *bytes = xmalloc(4 * (size_t)len + 2);
    size_t n = 0;
    bytes[n++] = 0xFE;
    bytes[n++] = 0xFF;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(utf8, i, len, c);
        UChar units[2];
        int32_t count = 0;
        U16_APPEND_UNSAFE(units, count, c < 0 ? 0xFFFD : c);
        for (int32_t k = 0; k < count; k++) {
            bytes[n++] = (HPDF_BYTE)(units[k] >> 8);
            bytes[n++] = (HPDF_BYTE)(units[k] & 0xFF);
        }
    }
    HPDF_Dict_Add(pdf->info, key, HPDF_Binary_New(pdf->mmgr, bytes, (HPDF_UINT)n));
    free(bytes);
}

/* The issue time when the letter has one, else its date at midnight. The
 * offset is written '+00'00'' rather than 'Z': libharu's 'Z' form breaks
 * PDF/A (DEPENDENCIES.md). */
static bool document_date(const struct doc_document *doc, HPDF_Date *date)
{
    int y, mo, d, h = 0, mi = 0, s = 0;
    bool ok = doc->timestamp &&
              sscanf(doc->timestamp, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) == 6;
    if (!ok) {
        h = mi = s = 0;
        ok = doc->date && sscanf(doc->date, "%4d-%2d-%2d", &y, &mo, &d) == 3;
    }
    if (ok)
        *date = (HPDF_Date){y, mo, d, h, mi, s, '+', 0, 0};
    return ok;
}

/* Both halves of the /ID: the first 16 bytes of SHA-256 over what makes the
 * document this document (reference or name, time, title). Without an /ID
 * of our own, libharu would add one from the clock in PDF/A mode. */
static void set_identity(HPDF_Doc pdf, const struct doc_document *doc)
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    const char *parts[] = {doc->reference ? doc->reference : doc->name,
                           doc->timestamp ? doc->timestamp : doc->date, doc->title};
    sha256_init(&ctx);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const char *part = parts[i] ? parts[i] : "";
        sha256_update(&ctx, strlen(part), (const uint8_t *)part);
        sha256_update(&ctx, 1, (const uint8_t *)"\n");
    }
    sha256_digest(&ctx, sizeof digest, digest);
    HPDF_Array id = HPDF_Array_New(pdf->mmgr);
    if (!id)
        return;
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, digest, 16));
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, digest, 16));
    HPDF_Dict_Add(pdf->trailer, "ID", id);
}

void pdf_info_set(HPDF_Doc pdf, const struct doc_document *doc)
{
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "missive");
    set_text(pdf, "Title", doc->title);
    set_text(pdf, "Author", doc->author);
    set_text(pdf, "Subject", doc->reference ? doc->reference : "DRAFT");
    HPDF_Date date;
    if (document_date(doc, &date)) {
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
    }
    set_identity(pdf, doc);
}
