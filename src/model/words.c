/* words.c — owns the one table of missive's own words per language. A new
 * template language gets its row here, or test_core fails. */
#include "words.h"

#include <string.h>

static const struct words table[] = {
    {"en",
     {"\u201C", "\u201D", "\u2018", "\u2019"},
     "Page %d of %d",
     "DRAFT",
     "Signatories",
     "Signatories (continued)",
     "Organisations",
     "Individuals",
     "Country not given",
     "Signature of %s",
     "Logo of %s"},
    {"fr",
     {"\u00AB\u00A0", "\u00A0\u00BB", "\u201C", "\u201D"},
     "Page %d sur %d",
     "PROJET",
     "Signataires",
     "Signataires (suite)",
     "Organisations",
     "Personnes",
     "Pays non indiqué",
     "Signature de %s",
     "Logo de %s"},
    {"de",
     {"\u201E", "\u201C", "\u201A", "\u2018"},
     "Seite %d von %d",
     "ENTWURF",
     "Unterzeichnende",
     "Unterzeichnende (Fortsetzung)",
     "Organisationen",
     "Einzelpersonen",
     "Land nicht angegeben",
     "Unterschrift von %s",
     "Logo von %s"},
    {"es",
     {"\u00AB", "\u00BB", "\u201C", "\u201D"},
     "Página %d de %d",
     "BORRADOR",
     "Firmantes",
     "Firmantes (continuación)",
     "Organizaciones",
     "Personas",
     "País no indicado",
     "Firma de %s",
     "Logotipo de %s"},
    {"ru",
     {"\u00AB", "\u00BB", "\u201E", "\u201C"},
     "Страница %d из %d",
     "ПРОЕКТ",
     "Подписавшие",
     "Подписавшие (продолжение)",
     "Организации",
     "Частные лица",
     "Страна не указана",
     "Подпись: %s",
     "Логотип: %s"},
    {"kk",
     {"\u00AB", "\u00BB", "\u201E", "\u201C"},
     "%d-бет, барлығы %d",
     "ЖОБА",
     "Қол қойғандар",
     "Қол қойғандар (жалғасы)",
     "Ұйымдар",
     "Жеке тұлғалар",
     "Елі көрсетілмеген",
     "Қолтаңба: %s",
     "Логотип: %s"},
};

static const struct words *find(const char *language)
{
    for (size_t i = 0; language && i < sizeof table / sizeof table[0]; i++)
        if (strncmp(language, table[i].language, 2) == 0 &&
            (language[2] == '\0' || language[2] == '-' || language[2] == '_'))
            return &table[i];
    return NULL;
}

const struct words *words_for(const char *language)
{
    const struct words *w = find(language);
    return w ? w : &table[0];
}

bool words_known(const char *language)
{
    return find(language) != NULL;
}
