#!/usr/bin/env python3
"""campaign.py — makes the inputs of bench/campaign.sh: a missive workspace
whose campaign letter goes to N recipients, and the same letters as sources
for the tools a secretariat would otherwise use (LaTeX with KOMA-Script's
scrlttr2, groff -mm, Typst).

    campaign.py ROOT WORKDIR N [--mixed]

ROOT is the repository (its fonts, templates, organisations, signatories and
letters/mangystau-2011.xml are used). WORKDIR/ws is the missive workspace
(WORKDIR/ws/letters/campaign.xml names every recipient through one group),
WORKDIR/one a workspace with one recipient and a single letter
(letters/one.xml). WORKDIR/tex, groff and typst hold one source per letter,
named like missive's output, plus all-letters.tex for LaTeX's one run.

All recipients read English unless --mixed is given: then they are spread
over the campaign's five languages (en, fr, de, es, ru), which only missive
renders (the comparison runs use English letters)."""

import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
LANGUAGES = [("GB", "en", "Dear Minister"), ("FR", "fr", "Monsieur le Ministre"),
             ("DE", "de", "Sehr geehrter Herr Minister"), ("ES", "es", "Señor Ministro"),
             ("RU", "ru", "Уважаемый господин Министр")]


def collapse(text):
    return re.sub(r"\s+", " ", text).strip()


def typographic(text):
    """Plain "quotes" as missive prints them in English."""
    return re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)


def inline_text(element):
    return typographic(collapse("".join(element.itertext())))


def fact_dates(dates):
    """'On July 8 and 10' as the English template writes it."""
    days = [d.split("-") for d in dates.split()]
    month = MONTHS[int(days[0][1]) - 1]
    numbers = [str(int(d[2])) for d in days]
    if len(numbers) == 1:
        return "%s %s" % (month, numbers[0])
    return "%s %s and %s" % (month, ", ".join(numbers[:-1]), numbers[-1])


def english_letter(root):
    """The campaign's English text as a GB recipient gets it: subject,
    date and paragraphs (facts written out as the template does)."""
    letter = ET.parse(os.path.join(root, "letters/mangystau-2011.xml")).getroot()
    facts = {f.get("id"): f for f in letter.find("facts")}
    paragraphs = []
    for child in letter.find("body"):
        limit = child.get("countries")
        if child.tag == "fact":
            fact = facts[child.get("ref")]
            limit = limit or fact.get("countries")
            text = "On %s %s" % (fact_dates(fact.get("date")), inline_text(fact))
        else:
            text = inline_text(child)
        if limit is None or "GB" in limit.split():
            paragraphs.append(text)
    date = letter.find("date").text.strip()
    y, m, d = date.split("-")
    return {"date_iso": date, "date": "%d %s %s" % (int(d), MONTHS[int(m) - 1], y),
            "subject": collapse(letter.find("subject").text), "paragraphs": paragraphs}


def recipients(n, mixed):
    for i in range(n):
        country, language, salutation = LANGUAGES[i % len(LANGUAGES)] if mixed else LANGUAGES[0]
        yield {"id": "r%05d" % i, "name": "Minister Number %d" % i,
               "title": "Ministry of Labour", "salutation": salutation,
               "address": ["%d Main Street" % (i + 1), "City %d" % (i % 97 + 1), "Country"],
               "country": country, "language": language}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def copy(source, path):
    """A copy, not a symlink: missive reads nothing outside the workspace
    (docs/security.md), and a symlink counts where it points."""
    if not os.path.lexists(path):
        shutil.copytree(source, path)


def workspace(root, ws, people, letter_xml):
    os.makedirs(os.path.join(ws, "letters"), exist_ok=True)
    write(os.path.join(ws, "missive.ini"), open(os.path.join(root, "missive.ini")).read())
    copy(os.path.join(root, "fonts"), os.path.join(ws, "fonts"))
    copy(os.path.join(root, "templates"), os.path.join(ws, "templates"))
    copy(os.path.join(root, "letters", "signatures"), os.path.join(ws, "letters", "signatures"))
    for name in ("organisations.ini", "signatories.ini"):
        write(os.path.join(ws, "letters", name),
              open(os.path.join(root, "letters", name)).read())
    lines = ["[group.all]", "name = Every recipient of the benchmark", ""]
    for p in people:
        lines += ["[%s]" % p["id"], "name = " + p["name"], "title = " + p["title"],
                  "salutation = " + p["salutation"], "address = " + " | ".join(p["address"]),
                  "country = " + p["country"], "language = " + p["language"], "groups = all", ""]
    write(os.path.join(ws, "letters", "recipients.ini"), "\n".join(lines))
    write(os.path.join(ws, "letters", os.path.basename(letter_xml[0])), letter_xml[1])


def campaign_xml(root):
    text = open(os.path.join(root, "letters/mangystau-2011.xml"), encoding="utf-8").read()
    return re.sub(r"<recipients>.*?</recipients>", '<recipients><group ref="all"/></recipients>',
                  text, flags=re.S)


def single_xml(root):
    """The campaign's English text as a single letter to one recipient."""
    text = campaign_xml(root)
    text = re.sub(r"<recipients>.*?</recipients>", '<recipient ref="r00000"/>', text, flags=re.S)
    return re.sub(r"\s*<translation .*?</translation>", "", text, flags=re.S)


# ---- the other tools ----

def tex_escape(s):
    out = s.replace("\\", r"\textbackslash{}")
    for c in "&%$#_{}":
        out = out.replace(c, "\\" + c)
    return out.replace("\u201c", "``").replace("\u201d", "''").replace("\u2019", "'")


TEX_HEAD = r"""\documentclass[fontsize=11pt,paper=a4,parskip=full,fromalign=left,foldmarks=false]{scrlttr2}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{mathptmx}
\usepackage[scaled=0.92]{helvet}
\setkomavar{fromname}{ICEM and IMF}
\setkomavar{fromaddress}{Avenue Emile de B\'eco 109, 1050 Brussels}
\setkomavar{signature}{\begin{tabular}{@{}l@{\hspace{2em}}l@{}}Manfred Warda & Jyrki Raina\\
ICEM General Secretary & IMF General Secretary\end{tabular}}
\renewcommand*{\raggedsignature}{\raggedright}
"""


def tex_letter(letter, p):
    body = "\n\n".join(tex_escape(x) for x in letter["paragraphs"])
    address = r"\\".join(tex_escape(x) for x in [p["name"], p["title"]] + p["address"])
    return ("\\setkomavar{yourref}{DRAFT}\\setkomavar{date}{%s}\n"
            "\\begin{letter}{%s}\n\\opening{%s,}\n%s\n\\closing{Yours faithfully,}\n"
            "\\end{letter}\n" % (letter["date"], address, tex_escape(p["salutation"]), body))


def groff_escape(s):
    s = s.replace("\\", "\\e").replace("\u201c", "\\(lq").replace("\u201d", "\\(rq")
    s = s.replace("\u2019", "\\(cq")
    return "\n".join(("\\&" + line) if line[:1] in ".'" else line for line in s.split("\n"))


def groff_letter(letter, p):
    lines = [".nr Hy 0", ".P", "Ref: DRAFT", ".P", letter["date"], ".DS L"]
    lines += [groff_escape(x) for x in [p["name"], p["title"]] + p["address"]]
    lines += [".DE", ".P", groff_escape(p["salutation"]) + ","]
    for para in letter["paragraphs"]:
        lines += [".P", groff_escape(para)]
    lines += [".P", "Yours faithfully,", ".SP 3", ".TS", "l l.",
              "Manfred Warda\tJyrki Raina", "ICEM General Secretary\tIMF General Secretary",
              ".TE"]
    return "\n".join(lines) + "\n"


def typst_escape(s):
    out = s
    for c in "\\#*_`$<>@[]~":
        out = out.replace(c, "\\" + c)
    return out


def typst_letter(letter, p):
    address = " \\\n".join(typst_escape(x) for x in [p["name"], p["title"]] + p["address"])
    body = "\n\n".join(typst_escape(x) for x in letter["paragraphs"])
    return """#set page(paper: "a4", margin: (top: 20mm, bottom: 20mm, left: 25mm, right: 20mm))
#set text(font: "Liberation Serif", size: 11pt, lang: "en")
#set par(justify: true)
#text(weight: "bold")[International Federation of Chemical, Energy, Mine and General Workers' Unions \\
International Metalworkers' Federation]
#line(length: 100%%)
Ref: DRAFT #h(1fr) %s

%s

%s,

%s

Yours faithfully,
#v(3em)
#grid(columns: 2, column-gutter: 2em, [Manfred Warda \\ ICEM General Secretary],
      [Jyrki Raina \\ IMF General Secretary])
""" % (letter["date"], address, typst_escape(p["salutation"]), body)


def main():
    root, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    mixed = "--mixed" in sys.argv[4:]
    people = list(recipients(n, mixed))
    workspace(root, os.path.join(work, "ws"), people, ("campaign.xml", campaign_xml(root)))
    workspace(root, os.path.join(work, "one"), people[:1], ("one.xml", single_xml(root)))
    if mixed:
        return
    letter = english_letter(root)
    all_tex = [TEX_HEAD, "\\begin{document}\n"]
    for p in people:
        stem = "campaign-" + p["id"]
        one = tex_letter(letter, p)
        write(os.path.join(work, "tex", stem + ".tex"),
              TEX_HEAD + "\\begin{document}\n" + one + "\\end{document}\n")
        all_tex.append(one)
        write(os.path.join(work, "groff", stem + ".mm"), groff_letter(letter, p))
        write(os.path.join(work, "typst", stem + ".typ"), typst_letter(letter, p))
    all_tex.append("\\end{document}\n")
    write(os.path.join(work, "tex", "all-letters.tex"), "".join(all_tex))


if __name__ == "__main__":
    main()
