/* letter.c — loads a letter file: checks its structure element by element
 * (unknown elements and attributes, missing or repeated parts, dates, fact
 * ids) and compiles fact texts and the body as markup (tmpl.h). Ids of the
 * recipient and signatories are only recorded here; merge resolves them. */
#include "letter_internal.h"

#include "codes.h"

#include <string.h>

bool letter_date_valid(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    }
    if (s[10] != '\0')
        return false;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    if (year < 1 || month < 1 || month > 12 || day < 1)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap);
}

static const char *name_of(const xmlNode *node)
{
    return (const char *)node->name;
}

static bool is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* Whitespace runs become one space, trimmed at both ends: element text in
 * a letter is wrapped and indented freely. */
static char *collapse(struct arena *arena, const char *s)
{
    char *out = arena_alloc(arena, strlen(s) + 1), *o = out;
    bool space = false;
    for (; *s; s++) {
        if (strchr(" \t\r\n", *s)) {
            space = o != out;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = false;
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

/* Reports every attribute of element not in allowed (NULL-terminated list
 * joined as expected for the message). */
void letter_check_attributes(struct letter_loader *l, const xmlNode *element,
                             const char *const *allowed, const char *expected)
{
    for (const xmlAttr *a = element->properties; a; a = a->next) {
        size_t i = 0;
        while (allowed[i] && (a->ns || strcmp(allowed[i], (const char *)a->name) != 0))
            i++;
        if (allowed[i])
            continue;
        struct source_loc loc = xmldoc_attr_loc(l->xml, element, (const char *)a->name);
        if (expected)
            errors_add(l->errors, loc, "unknown attribute '%s' on <%s> (expected %s)",
                       (const char *)a->name, name_of(element), expected);
        else
            errors_add(l->errors, loc, "unknown attribute '%s' on <%s> (it takes none)",
                       (const char *)a->name, name_of(element));
    }
}

/* A required attribute's value (non-empty), or NULL after an error. */
char *letter_required_attribute(struct letter_loader *l, const xmlNode *element, const char *name)
{
    char *value = xmldoc_attr(l->arena, element, name);
    if (!value)
        errors_add(l->errors, xmldoc_node_loc(l->xml, element), "missing attribute '%s' on <%s>",
                   name, name_of(element));
    else if (is_blank(value))
        errors_add(l->errors, xmldoc_attr_loc(l->xml, element, name),
                   "empty attribute '%s' on <%s>", name, name_of(element));
    else
        return value;
    return NULL;
}

/* Children that are neither elements nor whitespace text are mistakes in
 * containers (<letter>, <facts>); comments are fine. */
bool letter_stray_node(struct letter_loader *l, const xmlNode *parent, const xmlNode *child)
{
    if (child->type == XML_COMMENT_NODE)
        return true;
    if (child->type == XML_TEXT_NODE) {
        if (!is_blank((const char *)child->content))
            errors_add(l->errors, xmldoc_node_loc(l->xml, child), "unexpected text in <%s>",
                       name_of(parent));
        return true;
    }
    if (child->type == XML_PI_NODE) {
        errors_add(l->errors, xmldoc_node_loc(l->xml, child),
                   "unexpected processing instruction <?%s?> in <%s>", name_of(child),
                   name_of(parent));
        return true;
    }
    if (child->type != XML_ELEMENT_NODE) {
        errors_add(l->errors, xmldoc_node_loc(l->xml, child),
                   "unexpected content in <%s> (only elements and comments)", name_of(parent));
        return true;
    }
    if (child->ns) {
        errors_add(l->errors, xmldoc_node_loc(l->xml, child),
                   "unexpected element <%s:%s> (namespaces are not used in letters)",
                   (const char *)child->ns->prefix, name_of(child));
        return true;
    }
    return false;
}

/* True once per element kind; the second and later are reported. */
bool letter_first_of(struct letter_loader *l, const xmlNode **seen, const xmlNode *element)
{
    if (!*seen) {
        *seen = element;
        return true;
    }
    errors_add(l->errors, xmldoc_node_loc(l->xml, element), "duplicate <%s> (first at line %d)",
               name_of(element), xmldoc_node_loc(l->xml, *seen).line);
    return false;
}

/* The text of an element that holds text only (reference, date, subject),
 * collapsed; NULL after an error. */
char *letter_text_only(struct letter_loader *l, const xmlNode *element)
{
    letter_check_attributes(l, element, (const char *const[]){NULL}, NULL);
    for (const xmlNode *c = element->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            errors_add(l->errors, xmldoc_node_loc(l->xml, c),
                       "<%s> holds plain text only, not <%s>", name_of(element), name_of(c));
            return NULL;
        }
    }
    char *text = collapse(l->arena, xmldoc_text(l->arena, element));
    if (text[0] == '\0') {
        errors_add(l->errors, xmldoc_node_loc(l->xml, element), "empty <%s>", name_of(element));
        return NULL;
    }
    return text;
}

/* Where an element's text starts, for errors about the text itself. */
struct source_loc letter_text_loc(struct letter_loader *l, const xmlNode *element)
{
    for (const xmlNode *c = element->children; c; c = c->next)
        if (c->type == XML_TEXT_NODE && !is_blank((const char *)c->content))
            return xmldoc_node_loc(l->xml, c);
    return xmldoc_node_loc(l->xml, element);
}

static void load_date(struct letter_loader *l, const xmlNode *element)
{
    char *date = letter_text_only(l, element);
    if (!date)
        return;
    l->letter->date_loc = letter_text_loc(l, element);
    if (!letter_date_valid(date))
        errors_add(l->errors, l->letter->date_loc,
                   "invalid date '%s' (expected a real day as yyyy-mm-dd)", date);
    else
        l->letter->date = date;
}

/* <recipient ref="id"/> and <signatory ref="id"/>: empty, one attribute. */
bool letter_load_ref(struct letter_loader *l, const xmlNode *element, struct letter_ref *ref)
{
    letter_check_attributes(l, element, (const char *const[]){"ref", NULL}, "'ref'");
    for (const xmlNode *c = element->children; c; c = c->next) {
        if (c->type != XML_COMMENT_NODE &&
            (c->type != XML_TEXT_NODE || !is_blank((const char *)c->content))) {
            errors_add(l->errors, xmldoc_node_loc(l->xml, c),
                       "<%s> must be empty: the person is named by its ref", name_of(element));
            break;
        }
    }
    char *id = letter_required_attribute(l, element, "ref");
    if (!id)
        return false;
    *ref = (struct letter_ref){id, xmldoc_attr_loc(l->xml, element, "ref")};
    return true;
}

static void load_signatory(struct letter_loader *l, const xmlNode *element)
{
    struct letter_ref ref;
    l->signatory_seen = true;
    if (!letter_load_ref(l, element, &ref))
        return;
    struct letter *letter = l->letter;
    for (size_t i = 0; i < letter->signatory_count; i++) {
        if (strcmp(letter->signatories[i].id, ref.id) == 0) {
            errors_add(l->errors, ref.loc, "signatory '%s' is listed twice (first at line %d)",
                       ref.id, letter->signatories[i].loc.line);
            return;
        }
    }
    letter->signatories = arena_grow(l->arena, letter->signatories, letter->signatory_count,
                                     &l->signatory_capacity, sizeof *letter->signatories);
    letter->signatories[letter->signatory_count++] = ref;
}

static bool valid_id(const char *s)
{
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return s[0] != '\0';
}

/* The date attribute of a fact: ISO dates separated by spaces, each later
 * than the one before ("July 10 and 8" is a slip, not an order). */
static struct value *fact_dates(struct letter_loader *l, const xmlNode *fact, const char *attr)
{
    struct source_loc loc = xmldoc_attr_loc(l->xml, fact, "date");
    struct value *list = value_list(l->arena, loc);
    char *copy = arena_strdup(l->arena, attr);
    const char *previous = NULL;
    bool ok = true;
    for (char *save = NULL, *d = strtok_r(copy, " \t\r\n", &save); d;
         d = strtok_r(NULL, " \t\r\n", &save)) {
        /* Once per attribute: "8 August 2011" is one mistake, not three. */
        if (ok && !letter_date_valid(d)) {
            errors_add(l->errors, loc,
                       "invalid date '%s' in the fact's date (expected real days as yyyy-mm-dd, "
                       "separated by spaces)",
                       d);
            ok = false;
        } else if (ok && previous && strcmp(d, previous) <= 0) {
            /* yyyy-mm-dd compares as text in the order of days. */
            if (strcmp(d, previous) == 0)
                errors_add(l->errors, loc, "date '%s' appears twice in the fact's date", d);
            else
                errors_add(l->errors, loc,
                           "date '%s' comes before '%s' in the fact's date (list the days in "
                           "the order they happened)",
                           d, previous);
            ok = false;
        }
        previous = d;
        value_list_push(l->arena, list, value_string(l->arena, d, loc));
    }
    return ok ? list : NULL;
}

bool letter_has_content(const xmlNode *element)
{
    for (const xmlNode *c = element->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE ||
            (c->type == XML_TEXT_NODE && !is_blank((const char *)c->content)))
            return true;
    return false;
}

static void load_fact(struct letter_loader *l, const xmlNode *element)
{
    letter_check_attributes(
        l, element, (const char *const[]){"id", "date", "source", "countries", "groups", NULL},
        "'id', 'date', 'source', 'countries' or 'groups'");
    char *id = letter_required_attribute(l, element, "id");
    char *date = letter_required_attribute(l, element, "date");
    char *source = xmldoc_attr(l->arena, element, "source");
    struct source_loc loc = xmldoc_node_loc(l->xml, element);
    struct source_loc id_loc = xmldoc_attr_loc(l->xml, element, "id");
    if (id && !valid_id(id)) {
        errors_add(l->errors, id_loc, "invalid fact id '%s' (use letters, digits, '-' and '_')",
                   id);
        id = NULL;
    }
    const struct value *earlier = id ? value_map_get(l->fact_map, id) : NULL;
    if (earlier) {
        errors_add(l->errors, id_loc, "duplicate fact id '%s' (first at line %d)", id,
                   earlier->loc.line);
        id = NULL;
    }
    if (source && is_blank(source)) {
        errors_add(l->errors, xmldoc_attr_loc(l->xml, element, "source"),
                   "empty attribute 'source' on <fact> (leave it out instead)");
        source = NULL;
    }
    char *countries = xmldoc_attr(l->arena, element, "countries");
    struct value *limit = countries ? codes_countries(l->arena, countries,
                                                      xmldoc_attr_loc(l->xml, element, "countries"),
                                                      "countries", l->errors)
                                    : NULL;
    char *groups = xmldoc_attr(l->arena, element, "groups");
    struct value *members =
        groups ? codes_names(l->arena, groups, xmldoc_attr_loc(l->xml, element, "groups"), "groups",
                             l->errors)
               : NULL;
    struct value *dates = date ? fact_dates(l, element, date) : NULL;
    if (dates && dates->count == 0) {
        errors_add(l->errors, dates->loc, "empty attribute 'date' on <fact>");
        dates = NULL;
    }
    struct value *fact = value_map(l->arena, loc);
    if (id)
        value_map_set(l->arena, fact, "id", value_string(l->arena, id, id_loc));
    bool empty = !letter_has_content(element);
    if (empty)
        errors_add(l->errors, loc, "empty <fact>: its text says what happened");
    size_t before = l->errors->count;
    const struct tmpl_node *text =
        empty ? NULL : tmpl_compile_markup(l->arena, l->xml, element, false, NULL, l->errors);
    if (empty || !id || !dates || (countries && !limit) || (groups && !members) ||
        l->errors->count != before) {
        /* A wrong fact is still known by its id, so that its mentions are
         * not reported as unknown facts on top of its own error (the
         * letter is refused: the map's incomplete entry is never merged). */
        const struct value *id_value = value_map_get(fact, "id");
        if (id_value && !earlier)
            value_map_set(l->arena, l->fact_map, id_value->string, fact);
        return;
    }
    value_map_set(l->arena, fact, "date", dates->items[0]);
    value_map_set(l->arena, fact, "dates", dates);
    if (source)
        value_map_set(l->arena, fact, "source",
                      value_string(l->arena, source, xmldoc_attr_loc(l->xml, element, "source")));
    value_map_set(l->arena, fact, "text",
                  value_markup(l->arena, text, letter_text_loc(l, element)));
    if (limit)
        value_map_set(l->arena, fact, "countries", limit);
    if (members)
        value_map_set(l->arena, fact, "groups", members);

    value_list_push(l->arena, l->letter->facts, fact);
    value_map_set(l->arena, l->fact_map, id, fact);
}

static void load_facts(struct letter_loader *l, const xmlNode *element)
{
    letter_check_attributes(l, element, (const char *const[]){NULL}, NULL);
    for (const xmlNode *c = element->children; c; c = c->next) {
        if (letter_stray_node(l, element, c))
            continue;
        if (strcmp(name_of(c), "fact") == 0)
            load_fact(l, c);
        else
            errors_add(l->errors, xmldoc_node_loc(l->xml, c),
                       "unknown element <%s> in <facts> (expected <fact>)", name_of(c));
    }
}

static void load_body(struct letter_loader *l, const xmlNode *element)
{
    letter_check_attributes(l, element, (const char *const[]){NULL}, NULL);
    if (!letter_has_content(element)) {
        errors_add(l->errors, xmldoc_node_loc(l->xml, element), "empty <body>");
        return;
    }
    size_t before = l->errors->count;
    const struct tmpl_node *body =
        tmpl_compile_markup(l->arena, l->xml, element, true, l->fact_map, l->errors);
    if (l->errors->count == before)
        l->letter->body = body;
}

/* ---- <petition>: the co-signers' CSV and how its columns map ---- */

static bool valid_field_name(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return false;
    return true;
}

static const struct letter_column *find_field(const struct letter_petition *p, const char *field)
{
    for (size_t i = 0; i < p->column_count; i++)
        if (p->columns[i].field && strcmp(p->columns[i].field, field) == 0)
            return &p->columns[i];
    return NULL;
}

/* One <column> or <ignore>; false after an error. */
static bool load_column(struct letter_loader *l, const xmlNode *element,
                        struct letter_column *column)
{
    bool ignore = strcmp(name_of(element), "ignore") == 0;
    if (ignore)
        letter_check_attributes(l, element, (const char *const[]){"header", NULL}, "'header'");
    else
        letter_check_attributes(
            l, element,
            (const char *const[]){"field", "header", "organisation", "individual", NULL},
            "'field', 'header', 'organisation' or 'individual'");
    if (letter_has_content(element))
        errors_add(l->errors, xmldoc_node_loc(l->xml, element),
                   "<%s> must be empty: it names a column by its attributes", name_of(element));
    *column = (struct letter_column){.loc = xmldoc_node_loc(l->xml, element)};
    column->header = letter_required_attribute(l, element, "header");
    if (ignore)
        return column->header != NULL;
    column->field = letter_required_attribute(l, element, "field");
    column->organisation = xmldoc_attr(l->arena, element, "organisation");
    column->individual = xmldoc_attr(l->arena, element, "individual");
    if (column->field && !valid_field_name(column->field)) {
        errors_add(l->errors, xmldoc_attr_loc(l->xml, element, "field"),
                   "invalid field name '%s' (use lower-case letters, digits, '-' and '_')",
                   column->field);
        column->field = NULL;
    }
    if ((column->organisation || column->individual) && column->field &&
        strcmp(column->field, "type") != 0)
        errors_add(l->errors, column->loc,
                   "'organisation' and 'individual' belong on the column of field 'type', "
                   "not '%s'",
                   column->field);
    return column->header && column->field;
}

/* The show= attribute: fields printed in each signer's entry. */
static void load_show(struct letter_loader *l, const xmlNode *element, struct letter_petition *p)
{
    char *attr = xmldoc_attr(l->arena, element, "show");
    p->show_loc = attr ? xmldoc_attr_loc(l->xml, element, "show") : p->loc;
    if (!attr) {
        /* By default every descriptive field that has a column. */
        static const char *const defaults[] = {"name", "role", "organisation", "city", "country"};
        p->show = arena_alloc(l->arena, sizeof defaults);
        for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
            if (find_field(p, defaults[i]))
                p->show[p->show_count++] = defaults[i];
        return;
    }
    p->show = arena_alloc(l->arena, (strlen(attr) / 2 + 1) * sizeof *p->show);
    for (char *save = NULL, *f = strtok_r(attr, " \t\r\n", &save); f;
         f = strtok_r(NULL, " \t\r\n", &save)) {
        if (strcmp(f, "email") == 0)
            errors_add(l->errors, p->show_loc,
                       "'email' cannot be shown: e-mail addresses are never printed");
        else if (!find_field(p, f))
            errors_add(l->errors, p->show_loc, "'%s' in show is not a field of any <column>", f);
        else
            p->show[p->show_count++] = f;
    }
    if (p->show_count == 0 || strcmp(p->show[0], "name") != 0)
        errors_add(l->errors, p->show_loc,
                   "show must start with 'name': an entry begins with the signer's name");
}

static void load_group_by(struct letter_loader *l, const xmlNode *element,
                          struct letter_petition *p)
{
    char *group_by = xmldoc_attr(l->arena, element, "group-by");
    if (!group_by || strcmp(group_by, "type") == 0)
        p->group_by = LETTER_GROUP_TYPE;
    else if (strcmp(group_by, "country") == 0)
        p->group_by = LETTER_GROUP_COUNTRY;
    else if (strcmp(group_by, "none") == 0)
        p->group_by = LETTER_GROUP_NONE;
    else
        errors_add(l->errors, xmldoc_attr_loc(l->xml, element, "group-by"),
                   "unknown group-by '%s' (expected type, country or none)", group_by);
    if (p->group_by == LETTER_GROUP_COUNTRY && !find_field(p, "country"))
        errors_add(l->errors, xmldoc_attr_loc(l->xml, element, "group-by"),
                   "group-by=\"country\" needs a <column field=\"country\">");
}

/* A column mapped twice is a mistake in the letter, caught before reading
 * the CSV. */
static bool column_repeated(struct letter_loader *l, const struct letter_petition *p,
                            const struct letter_column *c)
{
    for (size_t i = 0; i < p->column_count; i++) {
        const struct letter_column *earlier = &p->columns[i];
        if (strcmp(earlier->header, c->header) == 0) {
            errors_add(l->errors, c->loc, "column '%s' is mapped twice (first at line %d)",
                       c->header, earlier->loc.line);
            return true;
        }
        if (c->field && earlier->field && strcmp(earlier->field, c->field) == 0) {
            errors_add(l->errors, c->loc, "field '%s' is mapped twice (first at line %d)", c->field,
                       earlier->loc.line);
            return true;
        }
    }
    return false;
}

/* path relative to the letter's folder, each leading "../" taken off the
 * folder, so messages name "tests/signers/x.csv", not
 * "tests/letters/../signers/x.csv". */
static const char *beside_letter(struct letter_loader *l, const char *path)
{
    const char *folder = l->letter->path;
    const char *slash = strrchr(folder, '/');
    if (path[0] == '/' || !slash)
        return path;
    int len = (int)(slash - folder);
    while (strncmp(path, "../", 3) == 0 && len > 0) {
        int start = len;
        while (start > 0 && folder[start - 1] != '/')
            start--;
        if (len - start == 2 && strncmp(folder + start, "..", 2) == 0)
            break;
        path += 3;
        if (start == 0)
            return arena_strdup(l->arena, path);
        len = start - 1;
    }
    return arena_printf(l->arena, "%.*s/%s", len, folder, path);
}

static void load_petition(struct letter_loader *l, const xmlNode *element)
{
    struct letter_petition *p = arena_alloc(l->arena, sizeof *p);
    p->loc = xmldoc_node_loc(l->xml, element);
    letter_check_attributes(l, element, (const char *const[]){"signers", "group-by", "show", NULL},
                            "'signers', 'group-by' or 'show'");
    const char *signers = letter_required_attribute(l, element, "signers");
    if (signers) {
        p->signers = beside_letter(l, signers);
        p->signers_loc = xmldoc_attr_loc(l->xml, element, "signers");
    }
    size_t capacity = 0;
    for (const xmlNode *c = element->children; c; c = c->next) {
        if (letter_stray_node(l, element, c))
            continue;
        if (strcmp(name_of(c), "column") != 0 && strcmp(name_of(c), "ignore") != 0) {
            errors_add(l->errors, xmldoc_node_loc(l->xml, c),
                       "unknown element <%s> in <petition> (expected column or ignore)",
                       name_of(c));
            continue;
        }
        struct letter_column column;
        if (!load_column(l, c, &column) || column_repeated(l, p, &column))
            continue;
        if (p->column_count == capacity) {
            capacity = capacity ? capacity * 2 : 8;
            struct letter_column *grown = arena_alloc(l->arena, capacity * sizeof *grown);
            if (p->column_count)
                memcpy(grown, p->columns, p->column_count * sizeof *grown);
            p->columns = grown;
        }
        p->columns[p->column_count++] = column;
    }
    if (!find_field(p, "name"))
        errors_add(l->errors, p->loc,
                   "missing <column field=\"name\"> in <petition>: every signer needs a name");
    load_group_by(l, element, p);
    load_show(l, element, p);
    l->letter->petition = p;
}

static void load_child(struct letter_loader *l, const xmlNode *c)
{
    struct letter *letter = l->letter;
    const char *name = name_of(c);
    if (strcmp(name, "reference") == 0) {
        if (letter_first_of(l, &l->reference, c)) {
            letter->reference = letter_text_only(l, c);
            letter->reference_loc = letter_text_loc(l, c);
        }
    } else if (strcmp(name, "series") == 0) {
        if (letter_first_of(l, &l->series, c)) {
            letter->series = letter_text_only(l, c);
            letter->series_loc = letter_text_loc(l, c);
        }
    } else if (strcmp(name, "date") == 0) {
        if (letter_first_of(l, &l->date, c))
            load_date(l, c);
    } else if (strcmp(name, "recipients") == 0) {
        if (letter_first_of(l, &l->recipients, c))
            letter_load_recipients(l, c);
    } else if (strcmp(name, "translation") == 0) {
        /* Loaded once the facts are known: see letter_load_texts. */
    } else if (strcmp(name, "recipient") == 0) {
        if (letter_first_of(l, &l->recipient, c))
            letter_load_ref(l, c, &letter->recipient);
    } else if (strcmp(name, "signatory") == 0) {
        load_signatory(l, c);
    } else if (strcmp(name, "subject") == 0) {
        if (letter_first_of(l, &l->subject, c))
            letter->subject = letter_text_only(l, c);
    } else if (strcmp(name, "facts") == 0) {
        if (letter_first_of(l, &l->facts, c))
            load_facts(l, c);
    } else if (strcmp(name, "petition") == 0) {
        if (letter_first_of(l, &l->petition, c))
            load_petition(l, c);
    } else if (strcmp(name, "body") == 0) {
        /* Compiled after all children: facts may follow the body. */
        letter_first_of(l, &l->body, c);
    } else {
        errors_add(l->errors, xmldoc_node_loc(l->xml, c),
                   "unknown element <%s> in <letter> (expected reference, series, date, "
                   "recipient, recipients, signatory, subject, facts, body, translation or "
                   "petition)",
                   name);
    }
}

static void require(struct letter_loader *l, bool present, const char *what)
{
    if (!present)
        errors_add(l->errors, l->letter->loc, "missing <%s> in <letter>", what);
}

static void load_root(struct letter_loader *l, const xmlNode *root)
{
    struct letter *letter = l->letter;
    letter->loc = xmldoc_node_loc(l->xml, root);
    if (root->ns || strcmp(name_of(root), "letter") != 0) {
        errors_add(l->errors, letter->loc, "the root element must be <letter>, not <%s>",
                   name_of(root));
        return;
    }
    letter_check_attributes(l, root,
                            (const char *const[]){"template", "language", "fallback", NULL},
                            "'template', 'language' or 'fallback'");
    char *template_name = letter_required_attribute(l, root, "template");
    if (template_name)
        letter->template_name =
            (struct letter_ref){template_name, xmldoc_attr_loc(l->xml, root, "template")};
    letter->language = letter_required_attribute(l, root, "language");
    for (const xmlNode *c = root->children; c; c = c->next)
        if (!letter_stray_node(l, root, c))
            load_child(l, c);
    if (l->body)
        load_body(l, l->body);
    letter_load_texts(l, root);
    require(l, l->date, "date");
    require(l, l->recipient || l->recipients, "recipient");
    if (l->recipient && l->recipients)
        errors_add(l->errors, xmldoc_node_loc(l->xml, l->recipients),
                   "a letter names one <recipient> or a campaign's <recipients>, not both");
    if (l->petition && l->recipients)
        errors_add(l->errors, xmldoc_node_loc(l->xml, l->recipients),
                   "a petition goes to one <recipient>: campaigns of petitions are not supported");
    require(l, l->signatory_seen, "signatory");
    require(l, l->subject, "subject");
    require(l, l->body, "body");
}

static const char *base_name(struct arena *arena, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".xml") == 0)
        len -= 4;
    return arena_strndup(arena, base, len);
}

struct letter *letter_load(const char *path, struct errors *errors)
{
    struct arena *arena = arena_new();
    struct letter *letter = arena_alloc(arena, sizeof *letter);
    letter->arena = arena;
    size_t before = errors->count;
    struct xmldoc *xml = xmldoc_load(arena, path, PATH_NAMED_LETTER, errors);
    if (!xml) {
        arena_free(arena);
        return NULL;
    }
    letter->path = xml->path;
    letter->name = base_name(arena, xml->path);
    letter->facts = value_list(arena, (struct source_loc){xml->path, 0, 0});
    struct letter_loader l = {.letter = letter, .arena = arena, .xml = xml, .errors = errors};
    l.fact_map = value_map(arena, letter->facts->loc);
    load_root(&l, xmlDocGetRootElement(xml->doc));
    xmldoc_free(xml);
    if (errors->count != before) {
        arena_free(arena);
        return NULL;
    }
    return letter;
}

void letter_free(struct letter *letter)
{
    if (letter)
        arena_free(letter->arena);
}
