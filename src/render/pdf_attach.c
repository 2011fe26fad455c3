/* pdf_attach.c — embedded files as PDF/A-3 associated files. */
#include "pdf_attach.h"

#include "arena.h"
#include "pdf_info.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include <stdlib.h>
#include <string.h>

static HPDF_Dict embedded_file(HPDF_Doc pdf, const struct pdf_attachment *a, HPDF_Dict info)
{
    HPDF_Dict stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict params = HPDF_Dict_New(pdf->mmgr);
    if (!stream || !params)
        return NULL;
    stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)a->data, (HPDF_UINT)a->len);
    HPDF_Dict_AddName(stream, "Type", "EmbeddedFile");
    HPDF_Dict_AddName(stream, "Subtype", a->mime);
    HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)a->len);
    /* The file's date is the letter's (its issue time): never the clock. */
    const char *date = info ? HPDF_GetInfoAttr(pdf, HPDF_INFO_MOD_DATE) : NULL;
    if (date)
        HPDF_Dict_Add(params, "ModDate", HPDF_String_New(pdf->mmgr, date, NULL));
    HPDF_Dict_Add(stream, "Params", params);
    return stream;
}

static HPDF_Dict file_spec(HPDF_Doc pdf, const struct pdf_attachment *a)
{
    HPDF_Dict spec = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict ef = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict stream = embedded_file(pdf, a, pdf->info);
    if (!spec || !ef || !stream || HPDF_Xref_Add(pdf->xref, spec) != HPDF_OK)
        return NULL;
    HPDF_Dict_AddName(spec, "Type", "Filespec");
    HPDF_Dict_Add(spec, "F", HPDF_String_New(pdf->mmgr, a->name, NULL));
    HPDF_Dict_Add(spec, "UF", pdf_info_text(pdf, a->name));
    HPDF_Dict_Add(spec, "Desc", pdf_info_text(pdf, a->description));
    HPDF_Dict_AddName(spec, "AFRelationship", a->relationship);
    HPDF_Dict_Add(ef, "F", stream);
    HPDF_Dict_Add(ef, "UF", stream);
    HPDF_Dict_Add(spec, "EF", ef);
    return spec;
}

static int by_name(const void *a, const void *b)
{
    const struct pdf_attachment *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

void pdf_attach(HPDF_Doc pdf, const struct pdf_attachment *a, size_t count)
{
    if (count == 0)
        return;
    HPDF_Array af = HPDF_Array_New(pdf->mmgr);
    HPDF_Array names = HPDF_Array_New(pdf->mmgr);
    HPDF_Dict name_tree = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict catalog_names = HPDF_Dict_New(pdf->mmgr);
    const struct pdf_attachment **sorted = xmalloc(count * sizeof *sorted);
    HPDF_Dict *specs = xcalloc(count, sizeof *specs);
    for (size_t i = 0; i < count; i++) {
        sorted[i] = &a[i];
        specs[i] = file_spec(pdf, &a[i]);
        if (specs[i])
            HPDF_Array_Add(af, specs[i]);
    }
    /* A name tree's keys are sorted (ISO 32000-1, 7.9.6). */
    qsort(sorted, count, sizeof *sorted, by_name);
    for (size_t i = 0; i < count; i++) {
        size_t k = (size_t)(sorted[i] - a);
        if (!specs[k])
            continue;
        HPDF_Array_Add(names, HPDF_String_New(pdf->mmgr, sorted[i]->name, NULL));
        HPDF_Array_Add(names, specs[k]);
    }
    HPDF_Dict_Add(name_tree, "Names", names);
    HPDF_Dict_Add(catalog_names, "EmbeddedFiles", name_tree);
    HPDF_Dict_Add(pdf->catalog, "Names", catalog_names);
    HPDF_Dict_Add(pdf->catalog, "AF", af);
    free(specs);
    free(sorted);
}
