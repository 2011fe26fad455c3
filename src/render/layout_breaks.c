/* layout_breaks.c — the line break opportunities of plain text found
 * without ICU's iterator, where the rules that apply are few and known.
 *
 * Opening a letter's first iterator and running it was 0.56 M of a
 * one-letter process's 25 M instructions (issue 17), for text whose
 * breaks follow from a handful of UAX #14's rules: letters (class AL),
 * digits (NU), spaces (SP), full stops, commas, colons and semicolons
 * (IS), quotation marks (QU; the curly ones Pi or Pf), brackets (OP, CP),
 * hyphens (HY) and slashes (SY). Any other character, or any of these in
 * a context whose rule is not written below, sends the text to ICU, so
 * that the breaks are always ICU's. test_layout compares with ICU over
 * random texts of these characters and of others near them. */
#include "layout_internal.h"

#include "arena.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

enum cls { OTHER, AL, NU, SP, IS, QU, PI, PF, OP, CP, HY, SY };

/* The classes of ASCII characters, OTHER (0) for the rest. */
static const unsigned char ascii[128] = {
    [' '] = SP, [','] = IS, ['.'] = IS, [':'] = IS, [';'] = IS, ['\''] = QU, ['"'] = QU, ['('] = OP,
    [')'] = CP, ['-'] = HY, ['/'] = SY, ['0'] = NU, ['1'] = NU, ['2'] = NU,  ['3'] = NU, ['4'] = NU,
    ['5'] = NU, ['6'] = NU, ['7'] = NU, ['8'] = NU, ['9'] = NU, ['a'] = AL,  ['b'] = AL, ['c'] = AL,
    ['d'] = AL, ['e'] = AL, ['f'] = AL, ['g'] = AL, ['h'] = AL, ['i'] = AL,  ['j'] = AL, ['k'] = AL,
    ['l'] = AL, ['m'] = AL, ['n'] = AL, ['o'] = AL, ['p'] = AL, ['q'] = AL,  ['r'] = AL, ['s'] = AL,
    ['t'] = AL, ['u'] = AL, ['v'] = AL, ['w'] = AL, ['x'] = AL, ['y'] = AL,  ['z'] = AL, ['A'] = AL,
    ['B'] = AL, ['C'] = AL, ['D'] = AL, ['E'] = AL, ['F'] = AL, ['G'] = AL,  ['H'] = AL, ['I'] = AL,
    ['J'] = AL, ['K'] = AL, ['L'] = AL, ['M'] = AL, ['N'] = AL, ['O'] = AL,  ['P'] = AL, ['Q'] = AL,
    ['R'] = AL, ['S'] = AL, ['T'] = AL, ['U'] = AL, ['V'] = AL, ['W'] = AL,  ['X'] = AL, ['Y'] = AL,
    ['Z'] = AL};

/* Per character from U+0080 to U+052F (accented Latin, Greek, Cyrillic:
 * most of a petition's names): 0 not yet asked, 1 ICU's class AL, 2 any
 * other. ICU's look-up was a call for every such letter of every wrapped
 * entry; the answer is ICU's, kept. Threads may fill it at once: each
 * writes the same byte. */
#define KEPT_CLASSES 0x530
static _Atomic unsigned char kept_alphabetic[KEPT_CLASSES];

static bool alphabetic(UChar32 c)
{
    _Atomic unsigned char *kept = c < KEPT_CLASSES ? &kept_alphabetic[c] : NULL;
    unsigned char k = kept ? atomic_load_explicit(kept, memory_order_relaxed) : 0;
    if (k)
        return k == 1;
    bool al = u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_ALPHABETIC;
    if (kept)
        atomic_store_explicit(kept, al ? 1 : 2, memory_order_relaxed);
    return al;
}

/* The class of the character at *i, moving *i past it. */
static enum cls next_class(const char *text, size_t len, size_t *i)
{
    unsigned char byte = (unsigned char)text[*i];
    if (byte < 0x80) {
        (*i)++;
        return (enum cls)ascii[byte];
    }
    int32_t at = (int32_t)*i;
    UChar32 c;
    U8_NEXT(text, at, (int32_t)len, c);
    *i = (size_t)at;
    if (c == 0x2018 || c == 0x201C)
        return PI;
    if (c == 0x2019 || c == 0x201D)
        return PF;
    return c >= 0 && alphabetic(c) ? AL : OTHER;
}

/* Whether a line may break between a and b (neither a space), by LB13
 * (no break before CP, IS, SY), LB14 (none after OP), LB19 (none around
 * QU), LB21 (none before HY), LB23-LB29 (none inside words and numbers),
 * LB30 (none between letters or digits and brackets) and LB31 (a break
 * after HY or SY before a letter). Sets *known false for a pair whose
 * rule is not one of these. */
static bool breaks_between(enum cls a, enum cls b, bool *known)
{
    bool word = b == AL || b == NU;
    switch (a) {
    case HY:
        *known = word;
        return b == AL;
    case SY:
        *known = b == AL;
        return true;
    case OP:
        *known = word || b == QU || b == PI || b == OP;
        return false;
    case CP:
        *known = word || b == IS || b == CP || b == QU || b == PF;
        return false;
    default:
        break;
    }
    switch (b) {
    case OP:
        *known = a == AL || a == NU || a == OP;
        return false;
    case HY:
    case SY:
        *known = a == AL || a == NU;
        return false;
    default:
        return false;
    }
}

/* Whether a line may break after a run of spaces before b (LB18), the
 * spaces following a (OTHER at the start), c the class after b (OTHER
 * at the end). Not before IS unless a digit follows (LB13, ICU's
 * LB15c). Unknown: CP, SY and Pf after spaces (LB13, LB15b), spaces
 * after OP or Pi (LB14, LB15a), OP after a quotation mark and spaces
 * (LB15), and HY after spaces (LB25's numbers). */
static bool breaks_after_spaces(enum cls a, enum cls b, enum cls c, bool *known)
{
    *known = !(b == CP || b == SY || b == PF || b == HY || a == OP || a == PI ||
               (b == OP && (a == QU || a == PI || a == PF)));
    return b != IS || c == NU;
}

static bool known_language(const char *language)
{
    static const char *const plain[] = {"en", "fr", "de", "es", "ru", "kk"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strncmp(language, plain[i], 2) == 0 &&
            (language[2] == '\0' || language[2] == '_' || language[2] == '-'))
            return true;
    return false;
}

/* Whether byte is an ASCII letter or digit, between which nothing breaks. */
static bool word_byte(unsigned char byte)
{
    return byte < 0x80 && (ascii[byte] == AL || ascii[byte] == NU);
}

size_t *layout_plain_breaks(const char *text, size_t len, const char *language, size_t *count)
{
    if (layout_icu_always || len == 0 || !known_language(language))
        return NULL;
    size_t *cuts = xmalloc((len + 1) * sizeof *cuts);
    size_t n = 0, b_at = 0;
    /* a is the character before the place looked at, b (from b_at to
     * b_end) the one after it. */
    enum cls a = next_class(text, len, &b_at);
    /* A word-initial hyphen (ICU's LB20a) is left to ICU. */
    bool known = a != OTHER && a != HY;
    enum cls before_spaces = OTHER; /* the class before a run of spaces */
    /* Whether a ends a number so far (LB25: digits, then digits, SY or
     * IS), after which a slash keeps to the digits that follow it. */
    bool number = a == NU;
    while (known && b_at < len) {
        size_t b_end = b_at;
        enum cls b = next_class(text, len, &b_end);
        bool cut = false, rule = true;
        if ((a == AL || a == NU) && (b == AL || b == NU)) {
            /* Inside a word: b becomes its last character. */
            while (b_end < len && word_byte((unsigned char)text[b_end]))
                b_end++;
            if (b_end > b_at + 1 && (unsigned char)text[b_end - 1] < 0x80)
                b = (enum cls)ascii[(unsigned char)text[b_end - 1]];
        } else if (a == SY && b == NU) {
            cut = !number;
        } else if (a == SP && b != SP) {
            size_t c_end = b_end;
            enum cls c = b_end < len ? next_class(text, len, &c_end) : OTHER;
            cut = breaks_after_spaces(before_spaces, b, c, &rule);
        } else if (a != SP && b != SP) {
            cut = breaks_between(a, b, &rule);
        }
        known = b != OTHER && rule;
        if (cut)
            cuts[n++] = b_at;
        if (a != SP)
            before_spaces = a;
        number = b == NU || (number && (b == SY || b == IS));
        a = b;
        b_at = b_end;
    }
    if (!known) {
        free(cuts);
        return NULL;
    }
    cuts[n++] = len;
    *count = n;
    return cuts;
}
