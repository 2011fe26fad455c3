/* pdf_info.c — document information and the trailer /ID, from the
 * document alone. */
#include "pdf_info.h"

#include "arena.h"
#include "pdf_pdfa.h"
#include "pdf_xmp.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *pdf_info_text(HPDF_Doc pdf, const char *utf8)
{
    bool ascii = true;
    for (const char *c = utf8; *c; c++)
        ascii = ascii && (unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7F;
    if (ascii)
        return HPDF_String_New(pdf->mmgr, utf8, NULL);
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
    HPDF_Binary text = HPDF_Binary_New(pdf->mmgr, bytes, (HPDF_UINT)n);
    free(bytes);
    return text;
}

static void set_text(HPDF_Doc pdf, const char *key, const char *utf8)
{
    if (utf8 && pdf->info)
        HPDF_Dict_Add(pdf->info, key, pdf_info_text(pdf, utf8));
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

void pdf_info_set(HPDF_Doc pdf, const struct doc_document *doc)
{
    const char *subject = doc->reference ? doc->reference : "DRAFT";
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "missive");
    set_text(pdf, "Title", doc->title);
    set_text(pdf, "Author", doc->author);
    set_text(pdf, "Subject", subject);
    struct pdf_xmp xmp = {.title = doc->title,
                          .author = doc->author,
                          .subject = subject,
                          .creator = "missive",
                          .producer = HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER),
                          .conformance = 'A',
                          .universal = true,
                          .language = doc->language};
    if (document_date(doc, &xmp.date)) {
        xmp.has_date = true;
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, xmp.date);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, xmp.date);
    }
    pdf_xmp_set(pdf, &xmp);
    pdf_pdfa_reserve_id(pdf);
}
