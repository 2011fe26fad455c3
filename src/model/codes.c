/* codes.c — ISO country and language codes, checked with ICU's lists. */
#include "codes.h"

#include <string.h>
#include <unicode/uloc.h>

static bool in_list(const char *code, const char *const *list)
{
    /* ICU's lists hold hundreds of codes: the first byte rules out most. */
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == code[0] && strcmp(list[i], code) == 0)
            return true;
    return false;
}

static bool check(const char *code, struct source_loc loc, bool country, struct errors *errors)
{
    const char *const *list = country ? uloc_getISOCountries() : uloc_getISOLanguages();
    if (in_list(code, list))
        return true;
    char fixed[16];
    size_t len = strlen(code);
    bool fits = len < sizeof fixed;
    for (size_t i = 0; fits && i <= len; i++) {
        char c = code[i];
        if (country && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!country && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        fixed[i] = c;
    }
    if (fits && in_list(fixed, list))
        errors_add(errors, loc, "%s code '%s' must be %s-case ('%s')",
                   country ? "country" : "language", code, country ? "upper" : "lower", fixed);
    else if (country)
        errors_add(errors, loc,
                   "unknown country code '%s' (expected an ISO 3166 alpha-2 code such as 'KZ')",
                   code);
    else
        errors_add(errors, loc,
                   "unknown language code '%s' (expected an ISO 639 code such as 'en')", code);
    return false;
}

bool codes_check_country(const char *code, struct source_loc loc, struct errors *errors)
{
    return check(code, loc, true, errors);
}

bool codes_check_language(const char *code, struct source_loc loc, struct errors *errors)
{
    return check(code, loc, false, errors);
}

struct value *codes_countries(struct arena *arena, const char *text, struct source_loc loc,
                              const char *what, struct errors *errors)
{
    struct value *list = value_list(arena, loc);
    char *copy = arena_strdup(arena, text);
    bool ok = true;
    for (char *save = NULL, *code = strtok_r(copy, " \t\r\n", &save); code;
         code = strtok_r(NULL, " \t\r\n", &save)) {
        /* "!KZ": every country but KZ */
        if (!codes_check_country(code + (code[0] == '!'), loc, errors))
            ok = false;
        else if (!codes_has(list, code))
            value_list_push(arena, list, value_string(arena, code, loc));
    }
    if (ok && list->count == 0) {
        errors_add(errors, loc, "empty '%s' (expected country codes such as 'KZ RU')", what);
        ok = false;
    }
    return ok ? list : NULL;
}

bool codes_has(const struct value *list, const char *code)
{
    for (size_t i = 0; list && i < list->count; i++)
        if (strcmp(list->items[i]->string, code) == 0)
            return true;
    return false;
}

struct value *codes_names(struct arena *arena, const char *text, struct source_loc loc,
                          const char *what, struct errors *errors)
{
    struct value *list = value_list(arena, loc);
    char *copy = arena_strdup(arena, text);
    for (char *save = NULL, *name = strtok_r(copy, " \t\r\n", &save); name;
         name = strtok_r(NULL, " \t\r\n", &save))
        if (!codes_has(list, name))
            value_list_push(arena, list, value_string(arena, name, loc));
    if (list->count == 0) {
        errors_add(errors, loc, "empty '%s' (expected names such as 'embassies !g20')", what);
        return NULL;
    }
    return list;
}

bool codes_match(const struct value *limit, const char *item)
{
    bool any_positive = false, included = false;
    for (size_t i = 0; limit && i < limit->count; i++) {
        const char *s = limit->items[i]->string;
        if (s[0] == '!' && item && strcmp(s + 1, item) == 0)
            return false;
        if (s[0] != '!') {
            any_positive = true;
            included = included || (item && strcmp(s, item) == 0);
        }
    }
    return !any_positive || included;
}

bool codes_match_any(const struct value *limit, const struct value *items)
{
    bool any_positive = false, included = false;
    for (size_t i = 0; limit && i < limit->count; i++) {
        const char *s = limit->items[i]->string;
        bool negative = s[0] == '!';
        any_positive = any_positive || !negative;
        bool member = items && codes_has(items, s + negative);
        if (negative && member)
            return false;
        included = included || (!negative && member);
    }
    return !any_positive || included;
}
