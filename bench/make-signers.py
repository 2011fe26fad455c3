#!/usr/bin/env python3
"""make-signers.py — writes a petition's signer list as a petition platform
exports it (CSV, RFC 4180, UTF-8 with a BOM), for tests, the example and the
benchmark. Names are Latin with diacritics, Cyrillic and Greek (the scripts
the bundled fonts cover); organisation names hold commas and quotes, some
comments span lines. The same seed always gives the same file.

    bench/make-signers.py COUNT OUT.csv [--seed N] [--noise clean|realistic]

Noise, with --noise realistic (the default): about 2% duplicates (the same
e-mail in other capitals, or the same name in another Unicode form or
case), 1% blank rows and, unless the noise is "clean", about 1% wrong rows
(a bad country code such as "UK", no name, a field too many). "clean" keeps
the duplicates and blank rows but makes no wrong rows, so the petition
renders without --skip-invalid-signers.
"""
import argparse
import csv
import random
import unicodedata

HEADER = ["Signed as", "Full name", "Organisation", "Position", "City", "Country",
          "E-mail", "Signed on", "Comment"]

# (country code, language group, cities)
COUNTRIES = [
    ("KZ", "kk", ["Aktau", "Zhanaozen", "Almaty", "Astana", "Атырау", "Шымкент"]),
    ("RU", "ru", ["Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург"]),
    ("UA", "uk", ["Київ", "Харків", "Львів", "Дніпро"]),
    ("BY", "ru", ["Минск", "Гомель", "Брест"]),
    ("GR", "el", ["Αθήνα", "Θεσσαλονίκη", "Πάτρα", "Ηράκλειο"]),
    ("CY", "el", ["Λευκωσία", "Λεμεσός"]),
    ("PL", "pl", ["Kraków", "Łódź", "Gdańsk", "Wrocław"]),
    ("CZ", "cs", ["Praha", "Brno", "Ostrava", "České Budějovice"]),
    ("FR", "fr", ["Paris", "Saint-Étienne", "Besançon", "Nîmes"]),
    ("ES", "es", ["Córdoba", "Málaga", "León", "A Coruña"]),
    ("DE", "de", ["München", "Köln", "Düsseldorf", "Lübeck"]),
    ("TR", "tr", ["İstanbul", "İzmir", "Eskişehir", "Şanlıurfa"]),
    ("NO", "no", ["Tromsø", "Bodø", "Ålesund"]),
    ("GB", "en", ["Leeds", "Cardiff", "Glasgow"]),
    ("IT", "it", ["Forlì", "Cantù", "Genova"]),
]

FIRST = {
    "kk": ["Гүлнар", "Әсел", "Қайрат", "Нұрлан", "Айгүл", "Ерлан", "Жанар", "Өмірзақ", "Ұлан"],
    "ru": ["Анна", "Сергей", "Ольга", "Дмитрий", "Наталья", "Алексей", "Ирина", "Юрий"],
    "uk": ["Олена", "Тарас", "Ганна", "Євген", "Ірина", "Богдан", "Оксана", "Ярина"],
    "el": ["Γιώργος", "Μαρία", "Ελένη", "Δημήτρης", "Νίκος", "Κατερίνα", "Άννα", "Σοφία"],
    "pl": ["Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Zofia", "Jędrzej", "Bożena"],
    "cs": ["Jiří", "Tomáš", "Věra", "Zdeněk", "Markéta", "Růžena", "Ondřej"],
    "fr": ["Hélène", "François", "Zoé", "Benoît", "Cécile", "Jérôme", "Anaïs"],
    "es": ["José", "María", "Íñigo", "Begoña", "Andrés", "Nuria", "Ramón"],
    "de": ["Jürgen", "Käthe", "Björn", "Gülay", "Ulrike", "Jörg", "Sören"],
    "tr": ["Ayşe", "Mehmet", "Şule", "Çağrı", "Gökhan", "İrem", "Özgür"],
    "no": ["Åse", "Øystein", "Bjørn", "Ingrid", "Håkon", "Solveig"],
    "en": ["Siobhan", "Gareth", "Moira", "Callum", "Niamh", "Rhys"],
    "it": ["Niccolò", "Lucia", "Bartolomeo", "Chiara", "Nicolò", "Ilaria"],
}

LAST = {
    "kk": ["Жақсыбекова", "Тоқаев", "Сәрсенбаев", "Құрманова", "Өтегенов", "Нұрғалиев"],
    "ru": ["Соколова", "Иванов", "Кузнецова", "Смирнов", "Попова", "Лебедев"],
    "uk": ["Шевченко", "Коваленко", "Бондаренко", "Ткачук", "Мельник", "Ґудзь"],
    "el": ["Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Νικολάου", "Βασιλείου", "Αλεξίου"],
    "pl": ["Wiśniewski", "Wójcik", "Kowalczyk", "Żółkiewska", "Dąbrowski", "Szymańska"],
    "cs": ["Dvořák", "Novotná", "Černý", "Procházková", "Kučera", "Veselá"],
    "fr": ["Lefèvre", "Bézier", "Dubœuf", "Gaëtan", "Mégret", "Rivière"],
    "es": ["Núñez", "Peña", "Ibáñez", "Gutiérrez", "Muñoz", "Álvarez"],
    "de": ["Müller", "Schäfer", "Weiß", "Böhm", "Groß", "Köhler"],
    "tr": ["Yılmaz", "Şahin", "Çelik", "Öztürk", "Doğan", "Kılıç"],
    "no": ["Løvås", "Bråthen", "Sæther", "Ødegård", "Haugen"],
    "en": ["O'Brien", "Llewellyn", "MacDonald", "Fitzgerald", "Pryce"],
    "it": ["Falcò", "Rossi", "Bianchi", "Esposito", "Mancini"],
}

# Surnames made from syllables, so that large lists hold few namesakes:
# (starts, middles, endings) per script.
SYLLABLES = {
    "latin": (["Ba", "Be", "Bo", "Da", "Dě", "Fa", "Gö", "Ha", "Há", "Ja", "Ka", "Kö", "La", "Lø",
               "Ma", "Mü", "Na", "Ño", "Pa", "Rů", "Sa", "Şa", "Ta", "Tö", "Va", "Wó", "Za", "Že"],
              ["ber", "chel", "dą", "gar", "lin", "mar", "nes", "rić", "sk", "tov", "vel", "zen",
               "ñe", "ört", "ås", "ło", "ře", "ça"],
              ["", "er", "son", "ová", "ski", "ez", "oğlu", "sen", "ini", "ière", "ek"]),
    "cyrillic": (["Ба", "Во", "Гу", "Да", "Ер", "Жа", "За", "Ка", "Қа", "Ле", "Ма", "Нұ", "Ов",
                  "Пе", "Ро", "Са", "Ту", "Өт", "Ха", "Ша", "Ґу", "Ї"],
                 ["лан", "ров", "тен", "ген", "сым", "бек", "мир", "нов", "ков", "лев", "сен",
                  "ғали", "әл"],
                 ["ов", "ова", "ев", "ева", "енко", "ский", "ұлы", "қызы", "", "ук"]),
    "greek": (["Πα", "Οι", "Γε", "Νι", "Βα", "Αλ", "Κα", "Δη", "Μα", "Σπ", "Χρ", "Θε", "Ζα"],
              ["πα", "κο", "λα", "ρο", "νο", "στα", "δο", "μι", "γέ", "θα"],
              ["πουλος", "ου", "ίδης", "άκης", "άτος", "ίου", "ας"]),
}
SCRIPT = {"kk": "cyrillic", "ru": "cyrillic", "uk": "cyrillic", "el": "greek"}


def surname(rng, lang):
    if rng.random() < 0.03:
        return rng.choice(LAST[lang])
    starts, middles, ends = SYLLABLES[SCRIPT.get(lang, "latin")]
    return rng.choice(starts) + rng.choice(middles) + rng.choice(middles) + rng.choice(ends)


ORGS = [
    "Union of Oil and Gas Workers, Local {n}",
    "The \"Solidarity\" Miners' Union No. {n}",
    "Профсоюз нефтяников № {n}",
    "Σωματείο Εργαζομένων Ενέργειας {n}",
    "Związek Zawodowy Górników, Oddział {n}",
    "Syndicat CGT de l'Énergie, section {n}",
    "Federación de Industria, Sección {n}",
    "IG Metall Ortsgruppe {n}",
    "Маңғыстау кәсіподағы {n}",
    "Odborový svaz č. {n}",
]

ROLES = ["General Secretary", "President", "shop steward", "member", "Treasurer",
         "председатель", "γραμματέας", "przewodnicząca", "secrétaire", ""]

COMMENTS = ["", "", "", "Free them now!", "In solidarity,\nfrom the night shift",
            "«Свободу!»", "Αλληλεγγύη", "We stand with you, \"always\""]

ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def email_of(rng, first, last, n):
    base = unicodedata.normalize("NFKD", f"{first}.{last}".translate(ASCII))
    local = "".join(c for c in base if c.isascii() and (c.isalnum() or c == ".")).lower()
    if len(local) < 3:
        local = "signer"
    return f"{local}{n}@example.org"


def signer(rng, n):
    code, lang, cities = rng.choice(COUNTRIES)
    city = rng.choice(cities)
    date = f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    comment = rng.choice(COMMENTS)
    if rng.random() < 0.08:
        org = rng.choice(ORGS).format(n=rng.randint(1, 5000))
        contact = f"{rng.choice(FIRST[lang])} {rng.choice(LAST[lang])}"
        if rng.random() < 0.5:
            comment = f"{comment} (contact: {contact})".strip()
        return ["Organisation", org, "", "", city, code, email_of(rng, "office", "", n), date,
                comment]
    first, last = rng.choice(FIRST[lang]), surname(rng, lang)
    org = rng.choice(ORGS).format(n=rng.randint(1, 5000)) if rng.random() < 0.4 else ""
    return ["Individual", f"{first} {last}", org, rng.choice(ROLES) if org else "", city,
            code if rng.random() < 0.97 else code.lower(), email_of(rng, first, last, n), date,
            comment]


def duplicate_of(rng, row):
    dup = list(row)
    if rng.random() < 0.5:
        dup[6] = dup[6].upper()  # same e-mail in other capitals
    else:
        # Same name, city and country in another Unicode form and case.
        dup[1] = unicodedata.normalize("NFD", dup[1]).upper() if rng.random() < 0.5 \
            else unicodedata.normalize("NFD", dup[1])
        dup[6] = "another." + dup[6]
    dup[7] = "2022-12-31 23:59"
    return dup


def wrong(rng, row):
    bad = list(row)
    kind = rng.randrange(3)
    if kind == 0:
        bad[5] = rng.choice(["UK", "XX", "EL", "Kazakhstan"])
    elif kind == 1:
        bad[1] = ""
    else:
        bad.append("stray field")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("count", type=int, help="rows to write (before duplicates and blanks)")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--noise", choices=["clean", "realistic"], default="realistic")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rows = []
    for n in range(1, args.count + 1):
        row = signer(rng, n)
        r = rng.random()
        if args.noise == "realistic" and r < 0.01:
            row = wrong(rng, row)
        rows.append(row)
        if rng.random() < 0.02:
            recent = [r for r in rows[-50:] if r is not None]
            rows.append(duplicate_of(rng, rng.choice(recent)))
        if rng.random() < 0.01:
            rows.append([""] * len(HEADER) if rng.random() < 0.5 else None)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        for row in rows:
            if row is None:
                f.write("\r\n")  # an empty line: no record at all
            else:
                w.writerow(row)


if __name__ == "__main__":
    main()
