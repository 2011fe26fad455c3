/* layout_ties.c — the breaks a reader must never see, decided on whole
 * words (the text between spaces) after ICU has cut the text into items:
 * TeX's ties (~) put in automatically, the same for the PDF and the text
 * output since both break through layout.c. */
#include "layout_internal.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* A word: joined[from, to), made of items [first, last]. */
struct word {
    size_t from, to;
    size_t first, last;
};

static bool is(const char *joined, const struct word *w, const char *text)
{
    size_t n = strlen(text);
    return w->to - w->from == n && memcmp(joined + w->from, text, n) == 0;
}

static bool is_any(const char *joined, const struct word *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is(joined, w, list[i]))
            return true;
    return false;
}

/* The word without the punctuation that may follow it ("km," "%)"). */
static struct word bare(const char *joined, struct word w)
{
    while (w.to > w.from && strchr(",.;:)!?", joined[w.to - 1]))
        w.to--;
    return w;
}

static UChar32 first_char(const char *joined, const struct word *w)
{
    int32_t i = (int32_t)w->from;
    UChar32 c;
    U8_NEXT(joined, i, (int32_t)w->to, c);
    return c;
}

static bool number_sign(const char *joined, const struct word *w)
{
    static const char *const signs[] = {"\u2116",  "\u2116\u2116", "No.",     "Nos.",
                                        "no.",     "Nr.",          "n\u00B0", "N\u00B0",
                                        "n\u00BA", "N\u00BA",      "n.\u00BA"};
    return is_any(joined, w, signs, sizeof signs / sizeof signs[0]);
}

static bool one_letter_word(const char *joined, const struct word *w, const char *language)
{
    static const char *const cyrillic[] = {"\u0432", "\u0438", "\u043A", "\u0441", "\u0443",
                                           "\u043E", "\u0430", "\u0412", "\u0418", "\u041A",
                                           "\u0421", "\u0423", "\u041E", "\u0410"};
    bool ru = language && (strncmp(language, "ru", 2) == 0 || strncmp(language, "kk", 2) == 0);
    return ru && is_any(joined, w, cyrillic, sizeof cyrillic / sizeof cyrillic[0]);
}

/* Digits with the separators of numbers (45, 3.5, 1,000, 2011-2012). */
static bool number(const char *joined, const struct word *w)
{
    bool digit = false;
    for (size_t i = w->from; i < w->to; i++) {
        char c = joined[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (!strchr(".,-+", c))
            return false;
    }
    return digit;
}

static bool unit(const char *joined, const struct word *w)
{
    static const char *const units[] = {
        "%", "\u2030", "\u00B0", "\u00B0C", "km", "m", "cm", "mm", "km\u00B2", "m\u00B2", "ha",
        "kg", "g", "t", "l", "h", "min", "s", "kW", "MW", "bbl", "\u20AC", "$", "\u00A3", "\u20B8",
        "USD", "EUR", "GBP", "KZT", "RUB", "tenge", "dollars", "euros", "pounds", "million",
        "millions", "billion", "billions", "thousand", "per", "percent", "milliards", "Mio", "Mrd",
        "Millionen", "Milliarden", "Euro", "Dollar", "Prozent", "millones", "mill\u00F3n",
        "d\u00F3lares",
        /* Russian: млн, млрд, тыс, км, кг, т, ч, руб, тенге, долларов, миллионов,
         * миллиона, миллион, процентов */
        "\u043C\u043B\u043D", "\u043C\u043B\u0440\u0434", "\u0442\u044B\u0441", "\u043A\u043C",
        "\u043A\u0433", "\u0442", "\u0447", "\u0440\u0443\u0431", "\u0442\u0435\u043D\u0433\u0435",
        "\u0434\u043E\u043B\u043B\u0430\u0440\u043E\u0432",
        "\u043C\u0438\u043B\u043B\u0438\u043E\u043D\u043E\u0432",
        "\u043C\u0438\u043B\u043B\u0438\u043E\u043D\u0430",
        "\u043C\u0438\u043B\u043B\u0438\u043E\u043D",
        "\u043F\u0440\u043E\u0446\u0435\u043D\u0442\u043E\u0432"};
    struct word b = bare(joined, *w);
    return is_any(joined, &b, units, sizeof units / sizeof units[0]);
}

static bool currency_sign(const char *joined, const struct word *w)
{
    static const char *const signs[] = {"$", "\u20AC", "\u00A3", "\u20B8", "USD", "EUR", "KZT"};
    return is_any(joined, w, signs, sizeof signs / sizeof signs[0]);
}

/* Three digits alone: the next group of a number written 45 000. */
static bool digit_group(const char *joined, const struct word *w)
{
    struct word b = bare(joined, *w);
    if (b.to - b.from != 3)
        return false;
    for (size_t i = b.from; i < b.to; i++)
        if (joined[i] < '0' || joined[i] > '9')
            return false;
    return true;
}

/* An initial: a capital and a full stop, maybe a second letter (Ch.,
 * Zh.) or a hyphenated second initial (J.-P.). */
static bool initial(const char *joined, const struct word *w)
{
    int32_t i = (int32_t)w->from, end = (int32_t)w->to;
    int letters = 0;
    bool dot = false;
    while (i < end) {
        UChar32 c;
        U8_NEXT(joined, i, end, c);
        if (c == '.' && letters > 0) {
            dot = true;
            letters = 0;
        } else if (c == '-' && dot) {
            dot = false;
        } else if ((letters == 0 && u_isupper(c)) || (letters == 1 && u_islower(c))) {
            if (dot && letters == 0 && c != '-')
                return false;
            letters++;
        } else {
            return false;
        }
    }
    return dot && letters == 0;
}

/* Letters, digits, '/', '-' and '.' with a slash, or digits, capitals and
 * a hyphen together: a reference or a code (ICEM-IMF11/EN, LT/107,
 * IA-ITUC22-EN-PT-12), never broken inside. */
static bool code(const char *joined, const struct word *w)
{
    struct word b = bare(joined, *w);
    while (b.from < b.to && (joined[b.from] == '(' || joined[b.from] == '['))
        b.from++;
    bool slash = false, digit = false, upper = false, hyphen = false, lower = false;
    for (size_t i = b.from; i < b.to; i++) {
        char c = joined[i];
        if (c == '/')
            slash = true;
        else if (c >= '0' && c <= '9')
            digit = true;
        else if (c >= 'A' && c <= 'Z')
            upper = true;
        else if (c >= 'a' && c <= 'z')
            lower = true;
        else if (c == '-')
            hyphen = true;
        else if (c != '.' && c != '_')
            return false;
    }
    return (slash && (upper || digit) && !lower) || (digit && upper && hyphen && !lower);
}

static bool tie_between(const char *joined, const struct word *a, const struct word *b,
                        const char *language)
{
    if (number_sign(joined, a) || one_letter_word(joined, a, language))
        return true;
    if (number(joined, a) && (unit(joined, b) || digit_group(joined, b)))
        return true;
    if (currency_sign(joined, a) &&
        number(joined, &(struct word){.from = b->from, .to = bare(joined, *b).to}))
        return true;
    if (initial(joined, a) && u_isupper(first_char(joined, b)))
        return true;
    return code(joined, a) && code(joined, b);
}

/* The word starting at item first: up to the first item a space ends. */
static struct word word_at(const struct layout_item *items, size_t n, size_t first)
{
    size_t last = first;
    while (last + 1 < n && items[last].space == 0)
        last++;
    return (struct word){items[first].from, items[last].to, first, last};
}

void layout_tie(struct layout_item *items, size_t n, const char *joined, const char *language)
{
    if (n == 0)
        return;
    struct word a = word_at(items, n, 0);
    while (true) {
        if (code(joined, &a))
            for (size_t k = a.first; k < a.last; k++)
                items[k].brk = BREAK_NONE;
        if (a.last + 1 >= n)
            break;
        struct word b = word_at(items, n, a.last + 1);
        if (items[a.last].brk == BREAK_SPACE && tie_between(joined, &a, &b, language))
            items[a.last].brk = BREAK_NONE;
        a = b;
    }
}
