/* fonts.h — the bundled fonts as the unit tests that shape, draw and sign load
 * them (run from the repository root): Liberation Serif's four styles,
 * DejaVu Serif as the fallback, 11 pt on 14. */
#ifndef MISSIVE_TEST_FONTS_H
#define MISSIVE_TEST_FONTS_H

#include "font.h"

static const char *test_fallbacks[] = {"fonts/DejaVuSerif.ttf"};

static const struct font_settings test_fonts = {
    .regular = "fonts/LiberationSerif-Regular.ttf",
    .italic = "fonts/LiberationSerif-Italic.ttf",
    .bold = "fonts/LiberationSerif-Bold.ttf",
    .bold_italic = "fonts/LiberationSerif-BoldItalic.ttf",
    .fallbacks = test_fallbacks,
    .fallback_count = 1,
    .size = 11,
    .leading = 14,
};

#endif
