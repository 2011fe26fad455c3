/* pdf_pdfa.c — PDF/A-3 beyond the metadata: version, output intent, page
 * transparency groups and a content-derived /ID. */
#include "pdf_pdfa.h"

#include "pdf_deflate.h"
#include "pdf_icc.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <nettle/md5.h>

#include <stdbool.h>
#include <string.h>

#define ID_BYTES 16

void pdf_pdfa_begin(HPDF_Doc pdf)
{
    pdf->pdf_version = HPDF_VER_17;
    HPDF_Dict profile = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict intent = HPDF_Dict_New(pdf->mmgr);
    HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
    if (!profile || !intent || !intents)
        return;
    /* Deflated when the program was built: written as it is, with the
     * filter named by hand (a libharu filter would deflate it again). */
    pdf_deflate_write(profile, pdf_icc_srgb_deflated, pdf_icc_srgb_deflated_size);
    HPDF_Dict_AddNumber(profile, "N", 3);
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                  HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "Info", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(pdf->mmgr, "http://www.color.org", NULL));
    HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);
}

/* Whether page's resources name an image with a soft mask. */
static bool draws_soft_mask(HPDF_Page page)
{
    HPDF_PageAttr attr = page->attr;
    HPDF_Dict xobjects = attr->xobjects;
    if (!xobjects)
        return false;
    for (HPDF_UINT i = 0; i < xobjects->list->count; i++) {
        HPDF_DictElement e = HPDF_List_ItemAt(xobjects->list, i);
        HPDF_Dict image = HPDF_Dict_GetItem(xobjects, e->key, HPDF_OCLASS_DICT);
        if (image && HPDF_Dict_GetItem(image, "SMask", HPDF_OCLASS_DICT))
            return true;
    }
    return false;
}

void pdf_pdfa_pages(HPDF_Doc pdf)
{
    for (HPDF_UINT i = 0; i < pdf->page_list->count; i++) {
        HPDF_Page page = HPDF_List_ItemAt(pdf->page_list, i);
        if (!draws_soft_mask(page))
            continue;
        HPDF_Dict group = HPDF_Dict_New(pdf->mmgr);
        if (!group)
            return;
        HPDF_Dict_AddName(group, "Type", "Group");
        HPDF_Dict_AddName(group, "S", "Transparency");
        HPDF_Dict_AddName(group, "CS", "DeviceRGB");
        HPDF_Dict_Add(page, "Group", group);
    }
}

void pdf_pdfa_reserve_id(HPDF_Doc pdf)
{
    static const HPDF_BYTE zeros[ID_BYTES] = {0};
    HPDF_Array id = HPDF_Array_New(pdf->mmgr);
    if (!id)
        return;
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)zeros, ID_BYTES));
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)zeros, ID_BYTES));
    HPDF_Dict_Add(pdf->trailer, "ID", id);
}

/* The last occurrence of needle in the last window bytes of b. */
static char *find_last(struct buffer *b, const char *needle, size_t window)
{
    size_t n = strlen(needle);
    size_t from = b->len > window ? b->len - window : 0;
    for (size_t i = b->len >= n ? b->len - n + 1 : 0; i-- > from;)
        if (memcmp(b->data + i, needle, n) == 0)
            return b->data + i;
    return NULL;
}

int pdf_pdfa_identify(struct buffer *out)
{
    /* The trailer is the file's last few hundred bytes; libharu writes a
     * binary string as upper-case hex between angle brackets. */
    char placeholder[2 * ID_BYTES + 3] = "<";
    memset(placeholder + 1, '0', 2 * ID_BYTES);
    strcpy(placeholder + 1 + 2 * ID_BYTES, ">");
    char *id = find_last(out, "/ID", 1024);
    char *first = id ? strstr(id, placeholder) : NULL;
    char *second = first ? strstr(first + 1, placeholder) : NULL;
    if (!second)
        return -1;
    /* MD5, as ISO 32000-1 (14.4) suggests for /ID: an identifier, not a
     * seal (the register keeps the SHA-256), at a sixth of SHA-256's cost. */
    struct md5_ctx ctx;
    uint8_t digest[MD5_DIGEST_SIZE];
    md5_init(&ctx);
    md5_update(&ctx, out->len, (const uint8_t *)out->data);
    md5_digest(&ctx, sizeof digest, digest);
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < ID_BYTES; i++) {
        first[1 + 2 * i] = second[1 + 2 * i] = hex[digest[i] >> 4];
        first[2 + 2 * i] = second[2 + 2 * i] = hex[digest[i] & 15];
    }
    return 0;
}
