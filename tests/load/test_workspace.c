/* test_workspace.c — INI reading (ini.c) and workspace loading
 * (workspace.c): values with their locations, every error with its exact
 * message and place, and the example workspace at the repository root. */
#include "suggest.h"
#include "check.h"
#include "support.h"
#include "ini.h"
#include "path.h"
#include "doc.h"
#include "workspace.h"
#include "buffer.h"
#include "people_briefs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Loads one INI fixture and checks it fails with exactly expected. */
static void expect_ini(const char *name, const char *expected)
{
    char path[256];
    snprintf(path, sizeof path, "tests/workspace/ini/%s", name);
    path_policy_clear(); /* these files belong to no workspace */
    struct arena *arena = arena_new();
    struct errors errors = {0};
    struct ini_file *ini = ini_load(arena, path, INI_CROSS_CHECK, &errors);
    CHECK(ini == NULL);
    char *text = errors_text(&errors);
    CHECK_STR(text, expected);
    free(text);
    errors_clear(&errors);
    arena_free(arena);
}

static void expect_workspace(const char *root, const char *expected)
{
    struct errors errors = {0};
    struct workspace *ws = workspace_load(root, &errors);
    CHECK(ws == NULL);
    char *text = errors_text(&errors);
    CHECK_STR(text, expected);
    free(text);
    errors_clear(&errors);
    workspace_free(ws);
}

static void entry_is(const struct ini_section *sec, const char *key, const char *value, int line,
                     int key_col, int value_col)
{
    const struct ini_entry *e = ini_entry(sec, key);
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK_STR(e->value, value);
    CHECK(e->loc.line == line && e->loc.column == key_col);
    CHECK(e->value_loc.line == line && e->value_loc.column == value_col);
}

static void test_ini_good(void)
{
    struct arena *arena = arena_new();
    struct errors errors = {0};
    path_policy_clear();
    struct ini_file *ini =
        ini_load(arena, "tests/workspace/ini/good.ini", INI_CROSS_CHECK, &errors);
    CHECK(errors.count == 0);
    CHECK(ini != NULL);
    if (ini) {
        CHECK(ini->count == 2);
        const struct ini_section *person = ini_section(ini, "person");
        CHECK(person && person->loc.line == 3 && person->loc.column == 2);
        CHECK(person && person->count == 6);
        if (person) {
            /* Columns count code points: "Жаңаөзен" is one column a letter. */
            entry_is(person, "name", "Жаңаөзен Worker", 4, 1, 8);
            entry_is(person, "title", "Chair of the \"Union\"", 5, 3, 15);
            entry_is(person, "address", "Flat #5; Block 2", 6, 1, 12);
            entry_is(person, "motto", "say \"no\"", 7, 1, 10);
            entry_is(person, "empty", "", 8, 1, 10);
            entry_is(person, "equation", "1 = 2", 9, 1, 12);
            CHECK(ini_entry(person, "x") == NULL);
        }
        const struct ini_section *other = ini_section(ini, "other.id-2");
        CHECK(other && other->loc.line == 11);
        if (other)
            entry_is(other, "x", "1", 12, 1, 3);
        CHECK(ini_section(ini, "missing") == NULL);
    }
    errors_clear(&errors);
    arena_free(arena);
}

static void test_ini_errors(void)
{
    expect_ini("bom.ini", "tests/workspace/ini/bom.ini:1:1: error: file starts with a UTF-8 byte "
                          "order mark (BOM), which iniparser cannot read: save the file as UTF-8 "
                          "without BOM\n");
    expect_ini("long-line.ini", "tests/workspace/ini/long-line.ini:2:1023: error: line is 1023 "
                                "bytes long; iniparser reads at most 1022 bytes per line\n");
    expect_ini("duplicate-key.ini", "tests/workspace/ini/duplicate-key.ini:4:1: error: duplicate "
                                    "key 'name' in [s] (first at line 2)\n");
    expect_ini("duplicate-section.ini", "tests/workspace/ini/duplicate-section.ini:6:2: error: "
                                        "duplicate section [s] (first at line 1)\n");
    expect_ini("semicolon.ini",
               "tests/workspace/ini/semicolon.ini:2:17: error: unquoted value contains ';' "
               "(iniparser would cut the value there): put the value in double quotes\n");
    expect_ini("hash.ini", "tests/workspace/ini/hash.ini:2:16: error: unquoted value contains '#' "
                           "(iniparser would cut the value there): put the value in double "
                           "quotes\n");
    expect_ini("after-quote.ini",
               "tests/workspace/ini/after-quote.ini:2:12: error: unexpected text after the "
               "closing quote (iniparser would drop it; a quoted value cannot contain its own "
               "quote character)\n");
    expect_ini("unclosed-quote.ini", "tests/workspace/ini/unclosed-quote.ini:2:8: error: missing "
                                     "closing quote (\")\n");
    expect_ini("continuation.ini", "tests/workspace/ini/continuation.ini:2:10: error: line ends "
                                   "in '\\', which makes iniparser join the next line to it\n");
    expect_ini("comment-continuation.ini",
               "tests/workspace/ini/comment-continuation.ini:2:11: error: line ends in '\\', "
               "which makes iniparser join the next line to it\n");
    expect_ini("upper-case.ini",
               "tests/workspace/ini/upper-case.ini:1:2: error: section name 'S' must be "
               "lower-case (iniparser folds case, so ids could clash)\n"
               "tests/workspace/ini/upper-case.ini:2:1: error: key 'Name' must be lower-case\n");
    expect_ini("before-section.ini", "tests/workspace/ini/before-section.ini:1:1: error: key "
                                     "'name' comes before any [section]\n");
    expect_ini("no-equals.ini", "tests/workspace/ini/no-equals.ini:2:1: error: expected 'key = "
                                "value', a [section] or a comment\n");
    expect_ini("bad-utf8.ini", "tests/workspace/ini/bad-utf8.ini:2:11: error: invalid UTF-8\n");
    expect_ini("bad-section.ini",
               "tests/workspace/ini/bad-section.ini:1:2: error: empty section name\n"
               "tests/workspace/ini/bad-section.ini:2:2: error: missing ']' at the end of the "
               "section header\n");
    expect_ini("bad-names.ini",
               "tests/workspace/ini/bad-names.ini:1:2: error: invalid section name 'a b' (use "
               "lower-case letters, digits, '-', '_' and '.')\n"
               "tests/workspace/ini/bad-names.ini:2:1: error: invalid key 'my key' (use "
               "lower-case letters, digits, '-' and '_')\n"
               "tests/workspace/ini/bad-names.ini:3:2: error: missing key before '='\n");
    expect_ini("does-not-exist.ini", "tests/workspace/ini/does-not-exist.ini: error: cannot read "
                                     "file: No such file or directory\n");
}

static void test_ini_keys_and_hints(void)
{
    static const char *const words[] = {"salutation", "name", "title"};
    CHECK_STR(suggest_closest("salutaton", words, 3), "salutation");
    CHECK_STR(suggest_closest("nmae", words, 3), "name");
    CHECK(suggest_closest("country", words, 3) == NULL);
    struct source_loc loc = {"f", 3, 10};
    struct source_loc at = ini_loc_at(loc, "Ақтау | x", 13); /* 5 letters, 2 bytes each */
    CHECK(at.line == 3 && at.column == 18);
}

static double mm(double v)
{
    return v * 72 / 25.4;
}

static bool near(double a, double b)
{
    return a - b < 1e-6 && b - a < 1e-6;
}

static void test_workspace_good(void)
{
    struct errors errors = {0};
    struct workspace *ws = workspace_load("tests/workspace/good", &errors);
    CHECK(errors.count == 0);
    CHECK(ws != NULL);
    if (!ws)
        return;
    const struct settings *s = &ws->settings;
    CHECK_STR(s->organisation, "TEST-ORG");
    CHECK_STR(s->language, "fr");
    CHECK_STR(s->page.paper, "Letter");
    CHECK(s->page.width == 612 && s->page.height == 792);
    CHECK(near(s->page.margin_top, 72) && near(s->page.margin_bottom, 72));
    CHECK(near(s->page.margin_left, 72) && near(s->page.margin_right, mm(30)));
    CHECK_STR(s->fonts.regular, "tests/workspace/good/../../../fonts/LiberationSerif-Regular.ttf");
    CHECK_STR(s->fonts.bold_italic,
              "tests/workspace/good/../../../fonts/LiberationSerif-BoldItalic.ttf");
    CHECK(s->fonts.fallback_count == 2);
    if (s->fonts.fallback_count == 2) {
        CHECK_STR(s->fonts.fallbacks[0], "tests/workspace/good/../../../fonts/DejaVuSerif.ttf");
        CHECK_STR(s->fonts.fallbacks[1],
                  "tests/workspace/good/../../../fonts/LiberationSerif-Regular.ttf");
    }
    /* Styled fallbacks only where given: this workspace chose its own
     * common fallback, so DejaVu's italic is not added unasked. */
    CHECK(s->fonts.style_fallback_count[DOC_STYLE_BOLD] == 1);
    if (s->fonts.style_fallback_count[DOC_STYLE_BOLD] == 1)
        CHECK_STR(s->fonts.style_fallbacks[DOC_STYLE_BOLD][0],
                  "tests/workspace/good/../../../fonts/DejaVuSerif-Bold.ttf");
    CHECK(s->fonts.style_fallback_count[DOC_STYLE_ITALIC] == 0);
    CHECK(s->fonts.style_fallback_count[DOC_STYLE_BOLD | DOC_STYLE_ITALIC] == 0);
    CHECK(s->fonts.size == 12 && s->fonts.leading == 15);
    CHECK(s->text_width == 60);
    CHECK_STR(s->output_dir, "tests/workspace/good/rendered");
    CHECK_STR(workspace_locale(ws, "fr"), "fr_CH");
    CHECK_STR(workspace_locale(ws, "de"), "de");
    CHECK_STR(workspace_path(ws, "/abs/x"), "/abs/x");

    const struct value *org = value_map_get(ws->organisations, "org");
    CHECK(org && org->kind == VALUE_MAP && org->loc.line == 1 && org->loc.column == 2);
    const struct value *address = value_map_get(org, "address");
    CHECK(address && address->kind == VALUE_LIST && address->count == 3);
    if (address && address->count == 3) {
        CHECK_STR(address->items[1]->string, "1000 Bruxelles");
        CHECK(address->items[1]->loc.line == 4 && address->items[1]->loc.column == 27);
        CHECK_STR(address->items[2]->string, "Belgique");
    }
    CHECK_STR(value_map_get(org, "logo")->string,
              "tests/workspace/good/../../../letters/signatures/mensah.png");

    const struct value *signer = value_map_get(ws->signatories, "signer");
    CHECK_STR(value_map_get(signer, "name")->string, "Ана Тестова");
    CHECK_STR(value_map_get(signer, "organisation")->string, "org");
    CHECK(value_map_get(signer, "organisation")->loc.column == 16);

    const struct value *minister = workspace_recipient(ws, "minister", ws->arena, &errors);
    /* Its keys, the list of languages after `language`, and `groups`
     * (empty) as it is left out. */
    CHECK(minister && minister->count == 12);
    if (minister && minister->count == 12) {
        /* Keys as given, in file order. */
        CHECK_STR(minister->keys[0], "name");
        CHECK_STR(minister->keys[6], "languages");
        CHECK_STR(minister->keys[7], "honorific");
        CHECK(minister->items[8]->kind == VALUE_LIST && minister->items[8]->count == 0);
    }
    CHECK_STR(value_map_get(minister, "title")->string, "Ministre du Travail; Emploi");
    const struct value *maddr = value_map_get(minister, "address");
    CHECK(maddr && maddr->count == 2);
    if (maddr && maddr->count == 2)
        CHECK_STR(maddr->items[1]->string, "75007 Paris");
    CHECK_STR(value_map_get(minister, "country")->loc.file,
              "tests/workspace/good/letters/recipients.ini");
    errors_clear(&errors);
    workspace_free(ws);
}

static void test_workspace_errors(void)
{
    const char *bad_settings =
        "tests/workspace/bad-settings/missive.ini:4:1: error: unknown key 'colour' (expected "
        "one of: organisation, language, office)\n"
        "tests/workspace/bad-settings/missive.ini:21:2: error: unknown section [ouput] (did you "
        "mean [output]?)\n"
        "tests/workspace/bad-settings/missive.ini:3:12: error: language code 'EN' must be "
        "lower-case ('en')\n"
        "tests/workspace/bad-settings/missive.ini:7:8: error: unknown paper size 'A3' (expected "
        "A4 or Letter)\n"
        "tests/workspace/bad-settings/missive.ini:8:14: error: invalid length '25' for "
        "'margin_top' (expected a number and a unit: mm, cm, in or pt, e.g. 25mm)\n"
        "tests/workspace/bad-settings/missive.ini:10:16: error: invalid length '-1mm' for "
        "'margin_right' (expected a number and a unit: mm, cm, in or pt, e.g. 25mm)\n"
        "tests/workspace/bad-settings/missive.ini:13:11: error: font file not found: "
        "'tests/workspace/bad-settings/fonts/missing.ttf'\n"
        "tests/workspace/bad-settings/missive.ini: error: font file not found: "
        "'tests/workspace/bad-settings/fonts/LiberationSerif-Italic.ttf' (the default for "
        "'italic' in [fonts])\n"
        "tests/workspace/bad-settings/missive.ini: error: font file not found: "
        "'tests/workspace/bad-settings/fonts/LiberationSerif-Bold.ttf' (the default for 'bold' "
        "in [fonts])\n"
        "tests/workspace/bad-settings/missive.ini: error: font file not found: "
        "'tests/workspace/bad-settings/fonts/LiberationSerif-BoldItalic.ttf' (the default for "
        "'bold_italic' in [fonts])\n"
        "tests/workspace/bad-settings/missive.ini:14:44: error: font file not found: "
        "'tests/workspace/bad-settings/nowhere.ttf'\n"
        "tests/workspace/bad-settings/missive.ini:15:8: error: invalid font size '100' (expected "
        "points between 4 and 72, e.g. 11 or 11pt)\n"
        "tests/workspace/bad-settings/missive.ini:16:11: error: invalid leading '5' (expected a "
        "length from the font size to 4 times it, e.g. 14pt)\n"
        "tests/workspace/bad-settings/missive.ini:19:9: error: invalid text width '72.5' "
        "(expected a whole number of columns from 20 to 200)\n"
        "tests/workspace/bad-settings/missive.ini:25:6: error: invalid locale 'english!' for "
        "'en' (expected an ICU locale such as 'en_GB')\n"
        "tests/workspace/bad-settings/missive.ini:26:1: error: unknown language code 'xx' "
        "(expected an ISO 639 code such as 'en')\n"
        "tests/workspace/bad-settings/missive.ini:29:9: error: invalid alignment 'centred' "
        "(expected justify or ragged)\n";
    expect_workspace("tests/workspace/bad-settings", bad_settings);
    expect_workspace("tests/workspace/no-missive-section",
                     "tests/workspace/no-missive-section/missive.ini: error: missing section "
                     "[missive] (it gives the organisation for references)\n");
    expect_workspace("tests/workspace/bad-margins",
                     "tests/workspace/bad-margins/missive.ini:5:2: error: the margins leave less "
                     "than 1in for text on Letter paper\n");
    /* An empty value is reported once, not again as a bad number. */
    expect_workspace("tests/workspace/empty-values",
                     "tests/workspace/empty-values/missive.ini:3:11: error: empty value for "
                     "'language' (leave the key out instead)\n"
                     "tests/workspace/empty-values/missive.ini:6:15: error: empty value for "
                     "'margin_top' (leave the key out instead)\n"
                     "tests/workspace/empty-values/missive.ini:14:9: error: empty value for "
                     "'size' (leave the key out instead)\n"
                     "tests/workspace/empty-values/missive.ini:13:43: error: empty item in "
                     "'fallback' (items are separated by ',')\n");
    expect_workspace("tests/workspace/nonexistent",
                     "missive: error: no missive.ini in 'tests/workspace/nonexistent': not a "
                     "missive workspace\n");
    const char *P = "tests/workspace/bad-people/letters/";
    char expected[4096];
    snprintf(expected, sizeof expected,
             "%sorganisations.ini:4:39: error: empty item in 'address' (items are separated by "
             "'|')\n"
             "%sorganisations.ini:5:8: error: image '%slogo.txt' is not a PNG file\n"
             "%sorganisations.ini:9:1: error: unknown key 'adress' (did you mean 'address'?)\n"
             "%sorganisations.ini:7:2: error: missing key 'short' in [imf]\n"
             "%ssignatories.ini:5:13: error: image file not found: '%swarda.png'\n"
             "%ssignatories.ini:9:8: error: empty value for 'title' (it is required)\n"
             "%srecipients.ini:4:1: error: unknown key 'salutaton' (did you mean 'salutation'?)\n"
             "%srecipients.ini:1:2: error: missing key 'salutation' in [kz-president-2011]\n"
             "%srecipients.ini:5:11: error: country code 'kz' must be upper-case ('KZ')\n"
             "%srecipients.ini:6:12: error: language code 'EN' must be lower-case ('en')\n"
             "%srecipients.ini:12:11: error: unknown country code 'XY' (expected an ISO 3166 "
             "alpha-2 code such as 'KZ')\n"
             "%srecipients.ini:13:12: error: unknown language code 'english' (expected an ISO "
             "639 code such as 'en')\n"
             "%ssignatories.ini:4:16: error: unknown organisation 'icme' (did you mean "
             "'icem'?)\n"
             "%ssignatories.ini:10:16: error: unknown organisation 'metal' (not in "
             "%sorganisations.ini)\n",
             P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P);
    expect_workspace("tests/workspace/bad-people", expected);
}

/* Groups are declared as [group.NAME] and joined with `groups = ...`;
 * `language` may list several codes. */
static void test_groups(void)
{
    const char *P = "tests/workspace/groups/letters/";
    char expected[2048];
    /* Translations of text keys ("title-fr") need a known language. */
    snprintf(expected, sizeof expected,
             "%ssignatories.ini:7:7: error: unknown language code 'xq' (expected an ISO 639 "
             "code such as 'en')\n"
             "%ssignatories.ini:8:1: error: unknown key 'titel-fr' (expected one of: name, "
             "title, organisation, signature, key, key_passphrase_env)\n"
             "%srecipients.ini:4:2: error: missing group name after 'group.' in [group.]\n"
             "%srecipients.ini:20:19: error: language code 'RU' must be lower-case ('ru')\n"
             "%srecipients.ini:21:20: error: empty item in 'groups' (items are separated by "
             "',')\n"
             "%srecipients.ini:25:1: error: unknown key 'favourite' (expected one of: name)\n"
             "%srecipients.ini:13:21: error: unknown group 'embasies' (did you mean "
             "'embassies'?)\n"
             "%srecipients.ini:21:21: error: unknown group 'g20' (declare it with a [group.g20] "
             "section)\n",
             P, P, P, P, P, P, P, P);
    expect_workspace("tests/workspace/groups", expected);
}

static void test_example_workspace(void)
{
    struct errors errors = {0};
    struct workspace *ws = workspace_load(".", &errors);
    char *text = errors_text(&errors);
    CHECK_STR(text, "");
    free(text);
    CHECK(ws != NULL);
    if (ws) {
        CHECK_STR(ws->settings.organisation, "ICEM-IMF");
        CHECK_STR(ws->settings.fonts.regular, "fonts/LiberationSerif-Regular.ttf");
        CHECK(ws->settings.fonts.style_fallback_count[DOC_STYLE_BOLD] == 1);
        if (ws->settings.fonts.style_fallback_count[DOC_STYLE_BOLD] == 1)
            CHECK_STR(ws->settings.fonts.style_fallbacks[DOC_STYLE_BOLD][0],
                      "fonts/DejaVuSerif-Bold.ttf");
        CHECK_STR(workspace_locale(ws, "en"), "en_GB");
        const struct value *icem = value_map_get(ws->organisations, "icem");
        CHECK_STR(value_map_get(icem, "name")->string,
                  "International Federation of Chemical, Energy, Mine and General Workers' "
                  "Unions");
        const struct value *kz = workspace_recipient(ws, "kz-president-2011", ws->arena, &errors);
        CHECK_STR(value_map_get(kz, "salutation")->string, "Dear Mr. President");
        /* Optional keys left out are there, empty. */
        const struct value *none = value_map_get(kz, "address");
        CHECK(none && none->kind == VALUE_LIST && none->count == 0);
        CHECK_STR(value_map_get(kz, "honorific")->string, "");
        CHECK(value_map_get(kz, "honorific")->loc.line == 11);
        const struct value *tokayev =
            workspace_recipient(ws, "kz-president-2021", ws->arena, &errors);
        CHECK_STR(value_map_get(tokayev, "name")->string, "Қасым-Жомарт Тоқаев");
        const struct value *sig =
            value_map_get(value_map_get(ws->signatories, "mensah"), "signature");
        CHECK_STR(sig->string, "letters/signatures/mensah.png");
    }
    errors_clear(&errors);
    workspace_free(ws);
}

/* With no [fonts] at all, every style's fallback is DejaVu Serif in that
 * style, then DejaVu Serif itself. */
static void test_font_defaults(void)
{
    struct errors errors = {0};
    struct workspace *ws = workspace_load("tests/workspace/font-defaults", &errors);
    char *text = errors_text(&errors);
    CHECK_STR(text, "");
    free(text);
    CHECK(ws != NULL);
    if (ws) {
        const struct font_settings *f = &ws->settings.fonts;
        CHECK(f->fallback_count == 1 && f->style_fallback_count[0] == 0);
        if (f->fallback_count == 1)
            CHECK_STR(f->fallbacks[0], "tests/workspace/font-defaults/fonts/DejaVuSerif.ttf");
        const char *styled[] = {NULL, "tests/workspace/font-defaults/fonts/DejaVuSerif-Italic.ttf",
                                "tests/workspace/font-defaults/fonts/DejaVuSerif-Bold.ttf",
                                "tests/workspace/font-defaults/fonts/DejaVuSerif-BoldItalic.ttf"};
        for (unsigned s = 1; s < 4; s++) {
            CHECK(f->style_fallback_count[s] == 1);
            if (f->style_fallback_count[s] == 1)
                CHECK_STR(f->style_fallbacks[s][0], styled[s]);
        }
    }
    errors_clear(&errors);
    workspace_free(ws);
}

static const char *string_at(const struct value *map, const char *key)
{
    const struct value *v = value_map_get(map, key);
    return v && v->kind == VALUE_STRING ? v->string : "(none)";
}

/* People from a CSV named by [source.NAME]: mapped and own columns, a
 * multi-line address, fields of the workspace's own (`fax`) on every
 * recipient, translations, each value located at its cell. */
static void test_csv_people(void)
{
    struct errors errors = {0};
    struct workspace *ws = workspace_load("tests/workspace/csv-people", &errors);
    char *text = errors_text(&errors);
    CHECK_STR(text, "");
    free(text);
    errors_clear(&errors);
    if (!ws)
        return;
    const struct value *r = ws->recipient_ids;
    CHECK(r->count == 3);
    CHECK_STR(r->keys[1], "emb-fr");
    const struct value *fr = workspace_recipient(ws, "emb-fr", ws->arena, &errors),
                       *it = workspace_recipient(ws, "emb-it", ws->arena, &errors);
    const struct value *president = workspace_recipient(ws, "president", ws->arena, &errors);
    CHECK(fr && it && president);
    if (!fr || !it || !president)
        return;
    CHECK_STR(string_at(fr, "name"), "Son Excellence M. Dupont");
    CHECK_STR(string_at(fr, "salutation"), "Monsieur l’Ambassadeur");
    CHECK_STR(string_at(fr, "salutation-fr"), "Excellence");
    CHECK_STR(string_at(fr, "fax"), "+33 1 23");
    CHECK_STR(string_at(fr, "embassy_city"), "Paris");
    CHECK_STR(string_at(it, "name"), "H.E. Mario Rossi");
    CHECK_STR(string_at(it, "fax"), "");
    CHECK_STR(string_at(president, "fax"), "");
    CHECK_STR(string_at(president, "embassy_city"), "");
    CHECK_STR(string_at(it, "notes"), "(none)");
    const struct value *address = value_map_get(fr, "address");
    CHECK(address && address->kind == VALUE_LIST && address->count == 2);
    if (address && address->count == 2) {
        CHECK_STR(address->items[1]->string, "75008 Paris");
    }
    const struct value *name = value_map_get(it, "name");
    CHECK(name->loc.line == 4 && name->loc.column == 10);
    CHECK_STR(name->loc.file, "tests/workspace/csv-people/letters/embassies.csv");
    const struct value *languages = value_map_get(it, "languages");
    CHECK(languages && languages->count == 2);
    const struct value *group = value_map_get(ws->groups, "embassies");
    size_t members = 0;
    CHECK(group && workspace_group_members(ws, "embassies", &members) && members == 2);
    workspace_free(ws);
}

/* Every mistake of a source and its CSV, at its place. */
static void test_csv_people_errors(void)
{
    const char *P = "tests/workspace/csv-bad/";
    char expected[4096];
    snprintf(expected, sizeof expected,
             "%smissive.ini:23:10: error: unknown people 'recipient' (expected organisations, "
             "signatories or recipients)\n"
             "%smissive.ini:24:1: error: unknown key 'fiel' (did you mean 'file'?)\n"
             "%sletters/header.csv:1:4: error: column 'Ambassador' is not a key name: map "
             "it with 'map-KEY = Ambassador' in [source.header] of missive.ini, or leave it "
             "out with 'ignore = Ambassador'\n"
             "%sletters/header.csv:1:15: error: column 'Embassy City' is not a key name: map "
             "it with 'map-KEY = Embassy City' in [source.header] of missive.ini, or leave it "
             "out with 'ignore = Embassy City'\n"
             "%smissive.ini:14:12: error: no column 'Ambasador' in %sletters/header.csv (did "
             "you mean 'Ambassador'?)\n"
             "%smissive.ini:15:10: error: no column 'Remarks' in %sletters/header.csv\n"
             "%sletters/rows.csv:4:1: error: row has no id (column 'id' is empty)\n"
             "%sletters/rows.csv:5:1: error: invalid id 'Bad Id' in column 'id' (use "
             "lower-case letters, digits, '-', '_' and '.'; groups are declared in "
             "recipients.ini)\n"
             "%sletters/rows.csv:6:1: error: id 'ok' appears twice (first at line 2)\n"
             "%sletters/rows.csv:7:8: error: line break in column 'title' (only an address "
             "may have several lines)\n"
             "%sletters/rows.csv:9:1: error: this row has 2 cells but the header has 8\n"
             "%sletters/rows.csv:3:1: error: id 'dup' is already used at "
             "%sletters/recipients.ini:1\n"
             "%sletters/rows.csv:10:18: error: unknown key 'honorifc' (did you mean "
             "'honorific'?)\n"
             "%sletters/rows.csv:10:12: error: unknown country code 'XX' (expected an ISO 3166 "
             "alpha-2 code such as 'KZ')\n",
             P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P);
    expect_workspace("tests/workspace/csv-bad", expected);
}

/* A workspace of two recipients in a temporary folder (fonts named
 * outside it, allowed by [paths]); its root into dir. */
static void temp_workspace(char *dir, const char *recipients)
{
    char fonts[PATH_MAX], path[PATH_MAX + 64], ini[6 * PATH_MAX + 512];
    CHECK(mkdtemp(dir) != NULL && realpath("fonts", fonts) != NULL);
    snprintf(ini, sizeof ini,
             "[missive]\norganisation = T\n\n[paths]\nallow = %s\n\n[fonts]\n"
             "regular = %s/LiberationSerif-Regular.ttf\nitalic = %s/LiberationSerif-Italic.ttf\n"
             "bold = %s/LiberationSerif-Bold.ttf\nbold_italic = %s/LiberationSerif-BoldItalic.ttf\n"
             "fallback = %s/DejaVuSerif.ttf\n",
             fonts, fonts, fonts, fonts, fonts, fonts);
    snprintf(path, sizeof path, "%s/missive.ini", dir);
    write_file(path, ini);
    snprintf(path, sizeof path, "%s/letters", dir);
    CHECK(mkdir(path, 0755) == 0);
    snprintf(path, sizeof path, "%s/letters/organisations.ini", dir);
    write_file(path, "");
    snprintf(path, sizeof path, "%s/letters/signatories.ini", dir);
    write_file(path, "");
    snprintf(path, sizeof path, "%s/letters/recipients.ini", dir);
    write_file(path, recipients);
}

static const char *name_of(const struct workspace *ws, const char *id, struct arena *arena,
                           struct errors *errors)
{
    const struct value *r = workspace_recipient(ws, id, arena, errors);
    const struct value *name = value_map_get(r, "name");
    return name ? name->string : "(none)";
}

/* The country and languages loading notes for planning are the
 * recipient's as made again, for random recipients: seven countries,
 * one to three languages, spaced or not, repeated or not. */
/* Past 65,535 distinct countries the notes give up (planning makes the
 * recipients again) rather than number a country as another. */
static void test_recipient_briefs_bound(void)
{
    struct arena *arena = arena_new();
    struct people_briefs b = {0};
    enum { MOST = 65535 };
    char country[32];
    for (int i = 0; i < MOST; i++) {
        snprintf(country, sizeof country, "C%d", i);
        people_briefs_add(&b, arena, country, NULL);
    }
    const char *got = NULL;
    const struct value *languages = NULL;
    bool right = !b.broken && b.count == MOST;
    for (size_t i = 0; i < b.count && right; i++) {
        snprintf(country, sizeof country, "C%zu", i);
        right = people_briefs_get(&b, i, &got, &languages) && strcmp(got, country) == 0;
    }
    people_briefs_add(&b, arena, "one more", NULL);
    CHECK(right && b.broken && !people_briefs_get(&b, 0, &got, &languages));
    people_briefs_free(&b);
    arena_free(arena);
}

static void test_recipient_briefs(void)
{
    static const char *const countries[] = {"GB", "FR", "DE", "KZ", "RU", "ES", "US"};
    static const char *const languages[] = {"en", "fr", "de", "ru", "es", "kk"};
    struct buffer ini = {0};
    srand(17);
    enum { PEOPLE = 400 };
    for (int i = 0; i < PEOPLE; i++) {
        const char *country = countries[rand() % 7];
        buffer_printf(&ini, "[r%d]\nname = R\ntitle = T\nsalutation = Dear R\n", i);
        buffer_printf(&ini, "country = %s\n", country);
        int n = 1 + rand() % 3;
        for (int k = 0; k < n; k++)
            buffer_printf(&ini, "%s%s",
                          k ? (rand() % 2 ? ", " : ",") : "language = ", languages[rand() % 6]);
        buffer_puts(&ini, "\n\n");
    }
    char dir[] = "/tmp/missive-test-briefs-XXXXXX";
    temp_workspace(dir, ini.data);
    buffer_free(&ini);
    struct errors errors = {0};
    struct workspace *ws = workspace_load(dir, &errors);
    char *text = errors_text(&errors);
    CHECK_STR(text, "");
    free(text);
    CHECK(ws != NULL && ws->recipient_ids->count == PEOPLE);
    size_t differ = 0;
    for (size_t i = 0; ws && i < ws->recipient_ids->count; i++) {
        struct arena *arena = arena_new();
        const char *country = NULL;
        const struct value *noted = NULL;
        const struct value *r = workspace_recipient_at(ws, i, arena, &errors);
        const struct value *made = value_map_get(r, "languages");
        const struct value *c = value_map_get(r, "country");
        bool same = workspace_recipient_brief(ws, i, &country, &noted) &&
                    strcmp(country, c && c->kind == VALUE_STRING ? c->string : "") == 0 &&
                    (noted ? noted->count : 0) == (made ? made->count : 0) && !noted == !made;
        for (size_t k = 0; same && made && k < made->count; k++)
            same = strcmp(noted->items[k]->string, made->items[k]->string) == 0;
        differ += !same;
        arena_free(arena);
    }
    CHECK(differ == 0);
    workspace_free(ws);
}

/* Recipients are read again from recipients.ini when a letter needs them:
 * from the file loading read (a file renamed over it changes nothing), and
 * never other bytes than it read (changed in place or cut: an error at the
 * recipient's section). */
static void test_recipients_read_again(void)
{
    static const char two[] = "[a]\nname = A\ntitle = T\nsalutation = Dear A\ncountry = GB\n"
                              "language = en\n\n[b]\nname = B\ntitle = T\nsalutation = Dear B\n"
                              "country = GB\nlanguage = en\n";
    char dir[] = "/tmp/missive-test-recipients-XXXXXX";
    temp_workspace(dir, two);
    char path[PATH_MAX], other[PATH_MAX + 8];
    snprintf(path, sizeof path, "%s/letters/recipients.ini", dir);
    struct errors errors = {0};
    struct arena *arena = arena_new();
    struct workspace *ws = workspace_load(dir, &errors);
    char *text = errors_text(&errors);
    CHECK_STR(text, "");
    free(text);
    CHECK(ws != NULL);
    if (!ws)
        return;
    CHECK_STR(name_of(ws, "b", arena, &errors), "B");
    /* Replaced by another file: the loaded one is still what is read. */
    snprintf(other, sizeof other, "%s.new", path);
    write_file(other, "[a]\nname = Z\n");
    CHECK(rename(other, path) == 0);
    CHECK_STR(name_of(ws, "a", arena, &errors), "A");
    CHECK(errors.count == 0);
    workspace_free(ws);

    /* Changed in place, one byte of b's name: a is still read, b is not. */
    write_file(path, two);
    ws = workspace_load(dir, &errors);
    CHECK(ws != NULL && errors.count == 0);
    if (!ws)
        return;
    FILE *f = fopen(path, "r+");
    CHECK(f && fseek(f, (long)(strstr(two, "name = B") - two) + 7, SEEK_SET) == 0);
    if (f) {
        fputc('C', f);
        fclose(f);
    }
    CHECK_STR(name_of(ws, "a", arena, &errors), "A");
    CHECK_STR(name_of(ws, "b", arena, &errors), "(none)");
    /* At b's header, line 8. */
    char at[PATH_MAX + 16], expected[PATH_MAX + 512];
    snprintf(at, sizeof at, "%s:8:1", path);
    snprintf(expected, sizeof expected,
             "%s: error: the file changed while missive was running (this section is no longer "
             "what was loaded): run the command again\n",
             at);
    text = errors_text(&errors);
    CHECK_STR(text, expected);
    free(text);
    errors_clear(&errors);
    /* Cut short: b's bytes are gone. */
    CHECK(truncate(path, 20) == 0);
    CHECK_STR(name_of(ws, "b", arena, &errors), "(none)");
    snprintf(expected, sizeof expected,
             "%s: error: cannot read the file again: it is shorter than when it was loaded (it "
             "changed while missive was running?)\n",
             at);
    text = errors_text(&errors);
    CHECK_STR(text, expected);
    free(text);
    errors_clear(&errors);
    workspace_free(ws);
    arena_free(arena);
    char command[PATH_MAX + 16];
    snprintf(command, sizeof command, "rm -rf %s", dir);
    CHECK(system(command) == 0);
}

CHECK_MAIN("workspace", test_csv_people(); test_recipients_read_again(); test_recipient_briefs();
           test_recipient_briefs_bound(); test_csv_people_errors(); test_ini_good();
           test_ini_errors(); test_ini_keys_and_hints(); test_workspace_good();
           test_workspace_errors(); test_groups(); test_example_workspace(); test_font_defaults())
