/* pdf_xmp.c — the XMP packet of a PDF/A file and its metadata stream. */
#include "pdf_xmp.h"

#include "buffer.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <unicode/utf8.h>

#include <stdio.h>
#include <string.h>

/* Appends text as XML character data: markup characters escaped, invalid
 * UTF-8 and the control characters XML 1.0 cannot hold replaced, so no
 * title can break the packet. */
static void put_escaped(struct buffer *b, const char *text)
{
    int32_t len = (int32_t)strlen(text);
    for (int32_t i = 0; i < len;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(text, i, len, c);
        if (c == '&')
            buffer_puts(b, "&amp;");
        else if (c == '<')
            buffer_puts(b, "&lt;");
        else if (c == '>')
            buffer_puts(b, "&gt;");
        else if (c < 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE ||
                 c == 0xFFFF)
            buffer_puts(b, "\xEF\xBF\xBD");
        else
            buffer_append(b, text + start, (size_t)(i - start));
    }
}

static void put_element(struct buffer *b, const char *name, const char *value)
{
    if (!value)
        return;
    buffer_printf(b, "<%s>", name);
    put_escaped(b, value);
    buffer_printf(b, "</%s>\n", name);
}

/* A language alternative with one x-default entry (dc:title...). */
static void put_alternative(struct buffer *b, const char *name, const char *value)
{
    if (!value)
        return;
    buffer_printf(b, "<%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", name);
    put_escaped(b, value);
    buffer_printf(b, "</rdf:li></rdf:Alt></%s>\n", name);
}

/* The whole author string as the one entry of dc:creator: PDF/A wants
 * the Info /Author to equal it, and the signatories are one author. */
static void put_sequence(struct buffer *b, const char *name, const char *value)
{
    if (!value)
        return;
    buffer_printf(b, "<%s><rdf:Seq><rdf:li>", name);
    put_escaped(b, value);
    buffer_printf(b, "</rdf:li></rdf:Seq></%s>\n", name);
}

/* pdfuaid is not one of the schemas PDF/A predefines: it must be
 * described in the packet itself (ISO 19005-3, 6.6.2.3.2). */
static const char ua_extension[] =
    "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaProperty:name>part</pdfaProperty:name>\n"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "<pdfaProperty:category>internal</pdfaProperty:category>\n"
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is "
    "followed</pdfaProperty:description>\n"
    "</rdf:li></rdf:Seq></pdfaSchema:property>\n"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n";

void pdf_xmp_write(const struct pdf_xmp *x, struct buffer *b)
{
    buffer_puts(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                   "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                   "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                   "<rdf:Description rdf:about=\"\"\n"
                   " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                   " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                   " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                   " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    if (x->universal)
        buffer_puts(b, "\n xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n"
                       " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
                       " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
                       " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\"");
    buffer_puts(b, ">\n<dc:format>application/pdf</dc:format>\n");
    put_alternative(b, "dc:title", x->title);
    put_sequence(b, "dc:creator", x->author);
    put_alternative(b, "dc:description", x->subject);
    if (x->language)
        buffer_printf(b, "<dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>\n",
                      x->language);
    if (x->has_date) {
        const HPDF_Date *d = &x->date;
        char iso[40];
        snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d->year, d->month,
                 d->day, d->hour, d->minutes, d->seconds, d->ind == '-' ? '-' : '+', d->off_hour,
                 d->off_minutes);
        put_element(b, "xmp:CreateDate", iso);
        put_element(b, "xmp:ModifyDate", iso);
        put_element(b, "xmp:MetadataDate", iso);
    }
    put_element(b, "xmp:CreatorTool", x->creator);
    put_element(b, "pdf:Producer", x->producer);
    buffer_printf(b, "<pdfaid:part>3</pdfaid:part>\n<pdfaid:conformance>%c</pdfaid:conformance>\n",
                  x->conformance);
    if (x->universal) {
        buffer_puts(b, "<pdfuaid:part>1</pdfuaid:part>\n");
        buffer_puts(b, ua_extension);
    }
    buffer_puts(b, "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
}

void pdf_xmp_set(HPDF_Doc pdf, const struct pdf_xmp *x)
{
    struct buffer packet = {0};
    pdf_xmp_write(x, &packet);
    /* Unfiltered, as PDF/A wants metadata readable without decoding. */
    HPDF_Dict stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (stream) {
        HPDF_Dict_AddName(stream, "Type", "Metadata");
        HPDF_Dict_AddName(stream, "Subtype", "XML");
        HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)packet.data, (HPDF_UINT)packet.len);
        HPDF_Dict_Add(pdf->catalog, "Metadata", stream);
    }
    buffer_free(&packet);
}
