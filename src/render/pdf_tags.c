/* pdf_tags.c — marked content while drawing (the tree after: pdf_tags_tree.c). */
#include "pdf_tags_internal.h"

#include "arena.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Ends a marked-content sequence, without strlen: one per line drawn. */
#define PUT_EMC(b) buffer_append((b), "EMC\n", 4)

/* The languages a span of another script is given (show_keyed). */
static const char *const span_languages[] = {NULL, "kk", "be", "uk", "ru", "el"};

static uint8_t span_language_index(const char *language)
{
    for (uint8_t i = 1; language && i < sizeof span_languages / sizeof span_languages[0]; i++)
        if (strcmp(span_languages[i], language) == 0)
            return i;
    return 0;
}

const char *pdf_tags_mark_language(const struct mark *m)
{
    return span_languages[m->language];
}
static bool cyrillic_language(const char *language);

static bool latin_language(const char *language)
{
    return !cyrillic_language(language) && !(language && strncmp(language, "el", 2) == 0);
}

struct pdf_tags *pdf_tags_new(HPDF_Doc pdf, const struct doc_document *doc)
{
    struct pdf_tags *t = xcalloc(1, sizeof *t);
    t->pdf = pdf;
    t->main = t->doc = doc;
    t->arena = arena_new();
    t->slot_capacity = 64;
    t->slots = xcalloc(t->slot_capacity, sizeof *t->slots);
    t->latin = latin_language(doc->language);
    t->array_max = pdf_tags_array_max();
    t->entry_last = -1;
    return t;
}

void pdf_tags_free(struct pdf_tags *t)
{
    if (!t)
        return;
    pdf_tags_compact_release_rows(t);
    free(t->signer_rows);
    free(t->row_offsets);
    free(t->kids);
    for (size_t i = 0; t->parents && i < t->page_count; i++)
        free(t->parents[i]);
    free(t->parents);
    free(t->pages);
    free(t->page_mcids);
    free(t->marks);
    free(t->slots);
    for (size_t i = 0; i < t->group_count; i++)
        free(t->groups[i].first);
    free(t->groups);
    free(t->chars);
    free(t->overflows);
    free(t->letters);
    arena_free(t->arena);
    free(t);
}

void pdf_tags_letter(struct pdf_tags *t, const struct doc_document *doc)
{
    t->letters = xrealloc(t->letters, (t->letter_count + 1) * sizeof *t->letters);
    t->letters[t->letter_count++] = doc;
    t->doc = doc;
    t->latin = latin_language(doc->language);
}

void pdf_tags_page(struct pdf_tags *t, HPDF_Page page)
{
    if (t->page_count == t->page_capacity) {
        t->page_capacity = t->page_capacity ? 2 * t->page_capacity : 8;
        t->pages = xrealloc(t->pages, t->page_capacity * sizeof *t->pages);
        t->page_mcids = xrealloc(t->page_mcids, t->page_capacity * sizeof *t->page_mcids);
    }
    t->pages[t->page_count] = page;
    t->page_mcids[t->page_count++] = 0;
}

static size_t slot_index(const struct pdf_tags *t, const void *key)
{
    uintptr_t h = (uintptr_t)key;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15u;
    size_t i = (size_t)(h >> 7) & (t->slot_capacity - 1);
    while (t->slots[i].key && t->slots[i].key != key)
        i = (i + 1) & (t->slot_capacity - 1);
    return i;
}

static void grow_slots(struct pdf_tags *t)
{
    struct slot *old = t->slots;
    size_t old_capacity = t->slot_capacity;
    t->slot_capacity *= 2;
    t->slots = xcalloc(t->slot_capacity, sizeof *t->slots);
    for (size_t i = 0; i < old_capacity; i++)
        if (old[i].key)
            t->slots[slot_index(t, old[i].key)] = old[i];
    free(old);
}

const struct slot *pdf_tags_slot_of(const struct pdf_tags *t, const void *key)
{
    const struct slot *s = &t->slots[slot_index(t, key)];
    return s->key ? s : NULL;
}

/* The first marks of group's entries; made when make (else NULL when
 * none of its entries has a mark). */
static int *entry_firsts(struct pdf_tags *t, const struct doc_block *group, bool make)
{
    if (t->group_hit < t->group_count && t->groups[t->group_hit].group == group)
        return t->groups[t->group_hit].first;
    for (size_t i = 0; i < t->group_count; i++)
        if (t->groups[i].group == group) {
            t->group_hit = i;
            return t->groups[i].first;
        }
    if (!make)
        return NULL;
    int *first = xmalloc((group->entry_count ? group->entry_count : 1) * sizeof *first);
    for (size_t i = 0; i < group->entry_count; i++)
        first[i] = -1;
    t->groups = xrealloc(t->groups, (t->group_count + 1) * sizeof *t->groups);
    t->groups[t->group_count] = (struct entry_marks){group, first};
    t->group_hit = t->group_count++;
    return first;
}

int pdf_tags_entry_mark(struct pdf_tags *t, const struct doc_block *group, size_t i)
{
    const int *first = i < group->entry_count ? entry_firsts(t, group, false) : NULL;
    return first ? first[i] : -1;
}

/* Mark index is entry's (of group): its first, or linked after its last. */
static void entry_mark(struct pdf_tags *t, const struct doc_block *group,
                       const struct doc_entry *entry, int index)
{
    size_t i = (size_t)(entry - group->entries);
    if (i >= group->entry_count)
        return;
    int *first = entry_firsts(t, group, true);
    if (first[i] < 0) {
        first[i] = index;
    } else {
        /* Its marks follow one another: the last is at hand (else found). */
        int last = t->entry_last_of == entry ? t->entry_last : first[i];
        while (t->marks[last].next >= 0)
            last = t->marks[last].next;
        t->marks[last].next = index;
    }
    t->entry_last = index;
    t->entry_last_of = entry;
}

static bool is_artifact(const struct doc_block *block, enum pdf_tags_role role)
{
    if (!block || role == PDF_TAGS_ARTIFACT || block->kind == DOC_SENDER)
        return true;
    /* The letterhead's names repeat what the signatures say, and the text
     * output leaves them out: decoration, like a printed letterhead. */
    return role == PDF_TAGS_TEXT && block->kind == DOC_LINE && block->parent &&
           block->parent->kind == DOC_LETTERHEAD;
}

const char *pdf_tags_text_type(const struct doc_block *block)
{
    switch (block->kind) {
    case DOC_SUBJECT:
        return "H1";
    case DOC_ANNEX:
        return "H2";
    case DOC_GROUP:
        return "TH";
    case DOC_SIGNER:
        return "TD";
    default:
        return "P";
    }
}

/* The decimal digits of v at w (room for 10); returns the end. As
 * font_pdf_number writes a whole number. */
static char *put_mcid(char *w, unsigned v)
{
    char digits[10];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(w, digits + n, sizeof digits - n);
    return w + (sizeof digits - n);
}

/* Marked content of key (a block, or an annex entry of group) as
 * structure type (P, TD...), or an artifact. */
static void begin_keyed(struct pdf_tags *t, const void *key, const struct doc_block *group,
                        const char *type, bool artifact, bool figure, const char *language,
                        struct buffer *content)
{
    if (artifact || t->page_count == 0) {
        buffer_puts(content, "/Artifact BMC\n");
        return;
    }
    int page = (int)t->page_count - 1;
    int mcid = t->page_mcids[page]++;
    if (t->mark_count == t->mark_capacity) {
        t->mark_capacity = t->mark_capacity ? 2 * t->mark_capacity : 64;
        t->marks = xrealloc(t->marks, t->mark_capacity * sizeof *t->marks);
    }
    int index = (int)t->mark_count++;
    t->marks[index] = (struct mark){.page = (uint32_t)page,
                                    .language = span_language_index(language),
                                    .figure = figure,
                                    .mcid = mcid,
                                    .next = -1};
    if (group) {
        entry_mark(t, group, key, index);
    } else {
        if (2 * (t->slot_count + 1) > t->slot_capacity)
            grow_slots(t);
        struct slot *s = &t->slots[slot_index(t, key)];
        if (!s->key) {
            *s = (struct slot){key, index, index};
            t->slot_count++;
        } else {
            t->marks[s->last].next = index;
            s->last = index;
        }
    }
    /* Not printf: a petition's annex opens 230,000 of these. */
    const char *name = figure ? "Figure" : language ? "Span" : type;
    size_t name_len = strlen(name);
    if (content->len + name_len + 32 > content->capacity)
        buffer_reserve(content, name_len + 32);
    char *w = content->data + content->len;
    *w++ = '/';
    memcpy(w, name, name_len);
    w += name_len;
    memcpy(w, " <</MCID ", 9);
    w = put_mcid(w + 9, (unsigned)mcid);
    memcpy(w, ">> BDC\n", 8); /* with the NUL */
    content->len = (size_t)(w + 7 - content->data);
}

static void begin_mark(struct pdf_tags *t, const struct doc_block *block, enum pdf_tags_role role,
                       const char *language, struct buffer *content)
{
    bool artifact = is_artifact(block, role);
    begin_keyed(t, block, NULL, artifact ? NULL : pdf_tags_text_type(block), artifact,
                role == PDF_TAGS_FIGURE, language, content);
}

void pdf_tags_begin(struct pdf_tags *t, const struct doc_block *block, enum pdf_tags_role role,
                    struct buffer *content)
{
    begin_mark(t, block, role, NULL, content);
}

/* ---- spans in another language ---- */

enum script { NEUTRAL, LATIN, CYRILLIC, GREEK };

static enum script script_of(UChar32 c)
{
    if (c < 0x80) /* most glyphs: no need to ask ICU */
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? LATIN : NEUTRAL;
    if (c >= 0x0400 && c <= 0x052F)
        return CYRILLIC;
    if ((c >= 0x0370 && c <= 0x03FF) || (c >= 0x1F00 && c <= 0x1FFF))
        return GREEK;
    if (c < 0x0250 && u_isalpha(c))
        return LATIN;
    return NEUTRAL;
}

static bool cyrillic_language(const char *language)
{
    static const char *const cyrillic[] = {"ru", "kk", "uk", "be", "bg", "sr", "mk", "ky", "tg"};
    for (size_t i = 0; language && i < sizeof cyrillic / sizeof cyrillic[0]; i++)
        if (strncmp(language, cyrillic[i], 2) == 0)
            return true;
    return false;
}

/* The language of a run of Cyrillic in a letter in another script, told
 * by the letters only some alphabets have: Kazakh (Ә Ғ Қ Ң Ө Ұ Ү Һ),
 * Ukrainian (Є Ї Ґ, or І without Kazakh letters), Belarusian (Ў); else
 * Russian. A guess a screen reader is better off with than the letter's
 * own language. */
static const char *cyrillic_run_language(const int32_t *chars, size_t from, size_t to)
{
    static const UChar32 kazakh[] = {0x4D8, 0x4D9, 0x492, 0x493, 0x49A, 0x49B, 0x4A2, 0x4A3,
                                     0x4E8, 0x4E9, 0x4B0, 0x4B1, 0x4AE, 0x4AF, 0x4BA, 0x4BB};
    bool dotted_i = false, ukrainian = false, belarusian = false;
    for (size_t g = from; g < to; g++) {
        UChar32 c = chars[g];
        /* Kazakh's letters lie in U+0492..U+04E9: most letters are not. */
        for (size_t k = 0; c >= 0x492 && c <= 0x4E9 && k < sizeof kazakh / sizeof kazakh[0]; k++)
            if (c == kazakh[k])
                return "kk";
        dotted_i = dotted_i || c == 0x406 || c == 0x456;
        ukrainian = ukrainian || c == 0x404 || c == 0x454 || c == 0x407 || c == 0x457 ||
                    c == 0x490 || c == 0x491;
        belarusian = belarusian || c == 0x40E || c == 0x45E;
    }
    return belarusian ? "be" : ukrainian || dotted_i ? "uk" : "ru";
}

/* pdf_tags_show of key's text (key an entry of group when group is not
 * NULL), marked as type (or an artifact). */
static void show_keyed(struct pdf_tags *t, struct font_embed *e, const void *key,
                       const struct doc_block *group, const char *type, bool artifact,
                       struct buffer *content, double x, double y, double size,
                       const struct font_shaped *shaped)
{
    /* ASCII text is one span of Latin letters and neutral characters,
     * which the loop below would find glyph by glyph. */
    if (artifact || !t->latin || shaped->count == 0 || shaped->ascii) {
        begin_keyed(t, key, group, type, artifact, false, NULL, content);
        font_embed_show(e, content, x, y, size, shaped);
        PUT_EMC(content);
        return;
    }
    /* Runs of one script. What has none (spaces, digits, punctuation)
     * goes with the run before it up to the first space, so that a span
     * ends with its word's punctuation and the space after it. */
    if (shaped->count > t->chars_capacity) {
        t->chars_capacity = 2 * shaped->count;
        t->chars = xrealloc(t->chars, t->chars_capacity * sizeof *t->chars);
    }
    const int32_t *chars = t->chars;
    font_embed_glyph_chars(e, shaped, t->chars);
    size_t start = 0, after_letter = 0;
    enum script current = NEUTRAL;
    for (size_t g = 0; g <= shaped->count; g++) {
        enum script s = g < shaped->count ? script_of(chars[g]) : NEUTRAL;
        bool last = g == shaped->count;
        if (last || (s != NEUTRAL && current != NEUTRAL && s != current)) {
            size_t cut = last ? g : after_letter;
            for (size_t k = after_letter; !last && k < g; k++)
                if (chars[k] == ' ') {
                    cut = k + 1;
                    break;
                }
            const char *span = current == CYRILLIC ? cyrillic_run_language(chars, start, cut)
                               : current == GREEK  ? "el"
                                                   : NULL;
            begin_keyed(t, key, group, type, false, false, span, content);
            if (start == 0 && cut == shaped->count)
                font_embed_show(e, content, x, y, size, shaped);
            else
                font_embed_show_range(e, content, x, y, size, shaped, start, cut);
            PUT_EMC(content);
            start = cut;
        }
        if (s != NEUTRAL) {
            current = s;
            after_letter = g + 1;
        }
    }
}

void pdf_tags_show(struct pdf_tags *t, struct font_embed *e, const struct doc_block *block,
                   struct buffer *content, double x, double y, double size,
                   const struct font_shaped *shaped)
{
    bool artifact = is_artifact(block, PDF_TAGS_TEXT);
    show_keyed(t, e, block, NULL, artifact ? NULL : pdf_tags_text_type(block), artifact, content, x,
               y, size, shaped);
}

void pdf_tags_show_entry(struct pdf_tags *t, struct font_embed *e, const struct doc_block *group,
                         const struct doc_entry *entry, struct buffer *content, double x, double y,
                         double size, const struct font_shaped *shaped)
{
    show_keyed(t, e, entry, group, "TD", false, content, x, y, size, shaped);
}

bool pdf_tags_saved(const struct pdf_tags *t)
{
    return !t || pdf_tags_compact_saved(t);
}

void pdf_tags_end(struct pdf_tags *t, struct buffer *content)
{
    (void)t;
    PUT_EMC(content);
}
