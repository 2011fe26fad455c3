/* layout_ties.c — the breaks a reader must never see, decided on whole
 * words (the text between spaces) after ICU has cut the text into items:
 * TeX's ties (~) put in automatically, the same for the PDF and the text
 * output since both break through layout.c. */
#include "layout_internal.h"

#include <stdatomic.h>
#include <stdint.h>
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
    /* The first byte first: every word is compared with a hundred month
     * names and units, and nearly all differ there (strlen of each was a
     * third of the ties' time). */
    if (w->to == w->from)
        return text[0] == '\0';
    if (joined[w->from] != text[0])
        return false;
    size_t n = strlen(text);
    return w->to - w->from == n && memcmp(joined + w->from, text, n) == 0;
}

/* is() for each of list, the word's length and first byte read once: each
 * word pair is compared with a dozen number signs and twice seventy months. */
static bool is_any(const char *joined, const struct word *w, const char *const *list, size_t n)
{
    size_t len = w->to - w->from;
    char first = len ? joined[w->from] : '\0';
    for (size_t i = 0; i < n; i++)
        if (list[i][0] == first &&
            (len == 0 || (strlen(list[i]) == len && memcmp(joined + w->from, list[i], len) == 0)))
            return true;
    return false;
}

/* A list of words with the first bytes they start with, found on first use
 * (threads that race find the same bits): a word pair is compared with the
 * number signs and most words rule them all out by their first byte. */
struct word_list {
    const char *const *words;
    size_t n;
    _Atomic bool ready;
    _Atomic uint64_t firsts[4];
};

#define WORD_LIST(array)                                                                           \
    {                                                                                              \
        array, sizeof array / sizeof array[0], false,                                              \
        {                                                                                          \
            0, 0, 0, 0                                                                             \
        }                                                                                          \
    }

static bool is_in(const char *joined, const struct word *w, struct word_list *list)
{
    if (!atomic_load_explicit(&list->ready, memory_order_acquire)) {
        for (size_t i = 0; i < list->n; i++) {
            unsigned char b = (unsigned char)list->words[i][0];
            atomic_fetch_or_explicit(&list->firsts[b >> 6], UINT64_C(1) << (b & 63),
                                     memory_order_relaxed);
        }
        atomic_store_explicit(&list->ready, true, memory_order_release);
    }
    unsigned char first = w->to > w->from ? (unsigned char)joined[w->from] : 0;
    if (!(atomic_load_explicit(&list->firsts[first >> 6], memory_order_relaxed) >> (first & 63) &
          1))
        return false;
    return is_any(joined, w, list->words, list->n);
}

/* strchr(",.;:)!?", c) without the call (it finds the terminator too). */
static bool trailing(char c)
{
    switch (c) {
    case ',':
    case '.':
    case ';':
    case ':':
    case ')':
    case '!':
    case '?':
    case '\0':
        return true;
    default:
        return false;
    }
}

/* The word without the punctuation that may follow it ("km," "%)"). */
static struct word bare(const char *joined, struct word w)
{
    while (w.to > w.from && trailing(joined[w.to - 1]))
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
    /* č. is Czech and Slovak "číslo". */
    static const char *const signs[] = {"\u2116",   "\u2116\u2116", "No.",     "Nos.",    "no.",
                                        "Nr.",      "n\u00B0",      "N\u00B0", "n\u00BA", "N\u00BA",
                                        "n.\u00BA", "\u010D.",      "\u010C."};
    static struct word_list list = WORD_LIST(signs);
    return is_in(joined, w, &list);
}

/* A day of the month: 1 to 31, maybe as an ordinal (8., 1er, 8th). */
static bool day(const char *joined, const struct word *w)
{
    size_t i = w->from, value = 0;
    while (i < w->to && i - w->from < 2 && joined[i] >= '0' && joined[i] <= '9')
        value = value * 10 + (size_t)(joined[i++] - '0');
    if (i == w->from || value < 1 || value > 31)
        return false;
    static const char *const ordinals[] = {"", ".", "er", "st", "nd", "rd", "th"};
    struct word rest = {.from = i, .to = w->to};
    return is_any(joined, &rest, ordinals, sizeof ordinals / sizeof ordinals[0]);
}

/* A month's name as it follows a day (in Russian, Czech and Slovak its
 * genitive), in every language missive writes and Czech and Slovak,
 * punctuation after it aside: a day and its month never break apart. */
static bool month(const char *joined, const struct word *w)
{
    static const char *const months[] = {
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.",
        "Sep.", "Sept.", "Oct.", "Nov.", "Dec.",
        /* German */
        "Januar", "J\u00E4nner", "Februar", "M\u00E4rz", "Mai", "Juni", "Juli", "Oktober",
        "Dezember", "Okt.", "Dez.",
        /* French */
        "janvier", "f\u00E9vrier", "mars", "avril", "mai", "juin", "juillet", "ao\u00FBt",
        "septembre", "octobre", "novembre", "d\u00E9cembre",
        /* Spanish (after "de") */
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
        "setiembre", "octubre", "noviembre", "diciembre",
        /* Russian: января ... декабря */
        "\u044F\u043D\u0432\u0430\u0440\u044F", "\u0444\u0435\u0432\u0440\u0430\u043B\u044F",
        "\u043C\u0430\u0440\u0442\u0430", "\u0430\u043F\u0440\u0435\u043B\u044F",
        "\u043C\u0430\u044F", "\u0438\u044E\u043D\u044F", "\u0438\u044E\u043B\u044F",
        "\u0430\u0432\u0433\u0443\u0441\u0442\u0430",
        "\u0441\u0435\u043D\u0442\u044F\u0431\u0440\u044F",
        "\u043E\u043A\u0442\u044F\u0431\u0440\u044F", "\u043D\u043E\u044F\u0431\u0440\u044F",
        "\u0434\u0435\u043A\u0430\u0431\u0440\u044F",
        /* Kazakh: қаңтар ... желтоқсан */
        "\u049B\u0430\u04A3\u0442\u0430\u0440", "\u0430\u049B\u043F\u0430\u043D",
        "\u043D\u0430\u0443\u0440\u044B\u0437", "\u0441\u04D9\u0443\u0456\u0440",
        "\u043C\u0430\u043C\u044B\u0440", "\u043C\u0430\u0443\u0441\u044B\u043C",
        "\u0448\u0456\u043B\u0434\u0435", "\u0442\u0430\u043C\u044B\u0437",
        "\u049B\u044B\u0440\u043A\u04AF\u0439\u0435\u043A", "\u049B\u0430\u0437\u0430\u043D",
        "\u049B\u0430\u0440\u0430\u0448\u0430",
        "\u0436\u0435\u043B\u0442\u043E\u049B\u0441\u0430\u043D",
        /* Czech */
        "ledna", "\u00FAnora", "b\u0159ezna", "dubna", "kv\u011Btna", "\u010Dervna",
        "\u010Dervence", "srpna", "z\u00E1\u0159\u00ED", "\u0159\u00EDjna", "listopadu", "prosince",
        /* Slovak */
        "janu\u00E1ra", "febru\u00E1ra", "marca", "apr\u00EDla", "m\u00E1ja", "j\u00FAna",
        "j\u00FAla", "augusta", "septembra", "okt\u00F3bra", "novembra", "decembra"};
    static struct word_list list = WORD_LIST(months);
    struct word b = bare(joined, *w);
    return is_in(joined, &b, &list) || is_in(joined, w, &list);
}

/* ru: the text is Russian or Kazakh, whose one-letter words bind. */
static bool one_letter_word(const char *joined, const struct word *w, bool ru)
{
    static const char *const cyrillic[] = {"\u0432", "\u0438", "\u043A", "\u0441", "\u0443",
                                           "\u043E", "\u0430", "\u0412", "\u0418", "\u041A",
                                           "\u0421", "\u0423", "\u041E", "\u0410"};
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
        else if (c != '.' && c != ',' && c != '-' && c != '+' && c != '\0')
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
    /* It ends in its full stop (most words stop here). */
    if (w->to == w->from || joined[w->to - 1] != '.')
        return false;
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

/* A capital letter alone: the article of a place's name (A Coruña, O
 * Grove), a title's (A Tale). Before another one it is a list of letters
 * (A B C), which stays breakable. */
static bool capital_alone(const char *joined, const struct word *w)
{
    size_t len = w->to - w->from;
    if (len == 0 || len > 4)
        return false;
    int32_t i = (int32_t)w->from;
    UChar32 c;
    U8_NEXT(joined, i, (int32_t)w->to, c);
    return i == (int32_t)w->to && u_isupper(c);
}

/* Letters, digits, '/', '-' and '.' with a slash, or digits, capitals and
 * a hyphen together: a reference or a code (ICEM-IMF11/EN, LT/107,
 * IA-ITUC22-EN-PT-12), never broken inside. */
static bool code(const char *joined, const struct word *w)
{
    struct word b = bare(joined, *w);
    while (b.from < b.to && (joined[b.from] == '(' || joined[b.from] == '['))
        b.from++;
    bool slash = false, digit = false, upper = false, hyphen = false;
    for (size_t i = b.from; i < b.to; i++) {
        char c = joined[i];
        if (c == '/')
            slash = true;
        else if (c >= '0' && c <= '9')
            digit = true;
        else if (c >= 'A' && c <= 'Z')
            upper = true;
        else if (c >= 'a' && c <= 'z')
            return false; /* a lower-case letter: never a code (most words stop here) */
        else if (c == '-')
            hyphen = true;
        else if (c != '.' && c != '_')
            return false;
    }
    return (slash && (upper || digit)) || (digit && upper && hyphen);
}

/* Whether the break between words a and b (c the word after b, or NULL)
 * must not be taken; codes: both a and b are codes (code()), which the
 * caller knows already. */
static bool tie_between(const char *joined, const struct word *a, const struct word *b,
                        const struct word *c, bool ru, bool codes)
{
    if (number_sign(joined, a) || one_letter_word(joined, a, ru))
        return true;
    /* 8 August, 8. August, 6 сентября; 6 de septiembre (both spaces);
     * August 8, the American order. */
    bool de = is(joined, b, "de") && c && month(joined, c);
    if (day(joined, a) && (month(joined, b) || de))
        return true;
    if (is(joined, a, "de") && month(joined, b))
        return true;
    /* The day first: it is rare and cheap to see, a month is neither. */
    if (day(joined, &(struct word){.from = b->from, .to = bare(joined, *b).to}) && month(joined, a))
        return true;
    if (number(joined, a) && (unit(joined, b) || digit_group(joined, b)))
        return true;
    if (currency_sign(joined, a) &&
        number(joined, &(struct word){.from = b->from, .to = bare(joined, *b).to}))
        return true;
    /* Initials and a lone capital stay with the name after them: a line
     * never ends on "J." of J. Smith or on "A" of A Coruña. */
    if ((initial(joined, a) || (capital_alone(joined, a) && !capital_alone(joined, b))) &&
        u_isupper(first_char(joined, b)))
        return true;
    return codes;
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
    bool ru = language && (strncmp(language, "ru", 2) == 0 || strncmp(language, "kk", 2) == 0);
    struct word a = word_at(items, n, 0);
    /* Each word is looked at as a code once, as b and then as a. */
    bool a_code = code(joined, &a);
    while (true) {
        if (a_code)
            for (size_t k = a.first; k < a.last; k++)
                items[k].brk = BREAK_NONE;
        if (a.last + 1 >= n)
            break;
        struct word b = word_at(items, n, a.last + 1);
        struct word c = b.last + 1 < n ? word_at(items, n, b.last + 1) : (struct word){0};
        bool b_code = code(joined, &b);
        if (items[a.last].brk == BREAK_SPACE &&
            tie_between(joined, &a, &b, b.last + 1 < n ? &c : NULL, ru, a_code && b_code))
            items[a.last].brk = BREAK_NONE;
        a = b;
        a_code = b_code;
    }
}
