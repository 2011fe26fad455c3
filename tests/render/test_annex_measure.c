/* test_annex_measure.c — the annex's remembered word widths
 * (pdf_measures_measure) against font_layout_measure itself: 200,000
 * measures of words drawn from 60,000 (more than the table's slots, so
 * words lose their slots and come back), accented Latin, Cyrillic, Greek,
 * digits, in two styles, some longer than a slot's text. Every width must
 * be the same double. */
#include "caches.h"
#include "check.h"
#include "fonts.h"
#include "font.h"
#include "pdf_annex_measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const syllables[] = {"ka", "Mü", "ll", "er", "Жо", "ма", "рт", "қа",
                                        "Αθ", "ήν", "α",  "17", ",",  "ŁÓ", "fi", "Tr"};

/* Word number n, the same each time it is asked for. */
static void word(unsigned n, char *out, size_t room)
{
    out[0] = '\0';
    unsigned parts = 1 + n % 9;
    for (unsigned k = 0; k < parts; k++) {
        const char *s = syllables[(n / (k + 1) + k * 7) % (sizeof syllables / sizeof syllables[0])];
        if (strlen(out) + strlen(s) + 1 < room)
            strcat(out, s);
    }
}

static void test_widths(void)
{
    struct errors errors = {0};
    struct font_set *fs = font_set_open(&test_fonts, &errors);
    CHECK(fs != NULL);
    if (!fs)
        return;
    struct font_layout layout = {fs, "en", 9.35, 0};
    struct pdf_measures *m = pdf_measures_new(&layout);
    srand(4242);
    size_t differ = 0;
    for (int i = 0; i < 200000; i++) {
        char text[64];
        unsigned n = (unsigned)rand() % 60000;
        word(n, text, sizeof text);
        unsigned style = n % 5 == 0 ? DOC_STYLE_BOLD : 0;
        double remembered = pdf_measures_measure(m, text, strlen(text), style);
        double measured = font_layout_measure(&layout, text, strlen(text), style);
        differ += remembered != measured;
    }
    printf("annex measures: %zu of 200000 differ\n", differ);
    CHECK(differ == 0);
    pdf_measures_free(m);
    font_set_free(fs);
    errors_clear(&errors);
}

CHECK_MAIN("annex_measure", test_widths())
