#!/usr/bin/env python3
"""anchors.py LETTER.txt OUT_DIR — the seed letter as scrlttr2 (LaTeX) and
Typst sources, for bench/typography-anchors.sh: the same words (taken from missive's
text output of letters/kazakhstan-2011.xml), the same page (A4, margins 25
and 20 mm: a measure of 165 mm, 467.7 pt), the same size (11 pt) and a font
of the same metrics (Liberation Serif in Typst; Times, which Liberation
Serif copies, in pdflatex), each tool's own justification and hyphenation.
Writes OUT_DIR/seed-scrlttr2.tex and OUT_DIR/seed-typst.typ."""
import os
import sys


def blocks(path):
    """The text output's blocks: lines joined, blank lines between."""
    out, cur = [], []
    for line in open(path, encoding="utf-8").read().split("\n"):
        if line.strip():
            cur.append(line.strip())
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def letter(path):
    b = blocks(path)
    # reference, date, address, salutation, paragraphs..., closing, signatures
    salutation = next(i for i, x in enumerate(b) if x[0].startswith("Dear"))
    closing = next(i for i, x in enumerate(b) if x[0].startswith("Yours"))
    return {"reference": b[0][0], "date": b[1][0], "address": b[2],
            "salutation": " ".join(b[salutation]),
            "paragraphs": [" ".join(x) for x in b[salutation + 1:closing]],
            "closing": " ".join(b[closing]), "signatures": b[closing + 1:]}


def tex_escape(s):
    out = s.replace("\\", r"\textbackslash{}")
    for c in "&%$#_{}":
        out = out.replace(c, "\\" + c)
    return (out.replace("\u201c", "``").replace("\u201d", "''").replace("\u2019", "'")
            .replace("\u2018", "`"))


def columns(l):
    """The signatures' names and titles: the text output sets them side by
    side, columns apart by two spaces or more."""
    rows = [[c.strip() for c in row.split("  ") if c.strip()] for row in l["signatures"][0]]
    return rows[0], rows[1]


def tex(l):
    names, titles = columns(l)
    return (r"""\documentclass[fontsize=11pt,paper=a4,parskip=full,fromalign=left,foldmarks=false,
  refline=nodate]{scrlttr2}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[british]{babel}
\usepackage{mathptmx}
%% one space after a full stop, as missive and Typst set it
\frenchspacing
%% missive's page: 25 mm left, 20 mm right, a measure of 165 mm (467.7 pt).
\setlength{\oddsidemargin}{\dimexpr25mm-1in\relax}
\setlength{\textwidth}{165mm}
\setkomavar{fromname}{ICEM and IMF}
\setkomavar{yourref}{""" + tex_escape(l["reference"].split(": ", 1)[-1]) + r"""}
\setkomavar{date}{""" + tex_escape(l["date"]) + r"""}
\setkomavar{signature}{\begin{tabular}{@{}l@{\hspace{2em}}l@{}}""" +
            " & ".join(map(tex_escape, names)) + r"\\" + " & ".join(map(tex_escape, titles)) +
            r"""\end{tabular}}
\renewcommand*{\raggedsignature}{\raggedright}
\begin{document}
\begin{letter}{""" + r"\\".join(map(tex_escape, l["address"])) + r"""}
\opening{""" + tex_escape(l["salutation"]) + "}\n" +
            "\n\n".join(map(tex_escape, l["paragraphs"])) + r"""
\closing{""" + tex_escape(l["closing"]) + r"""}
\end{letter}
\end{document}
""")


def typst_escape(s):
    for c in "\\#*_`$<>@[]~":
        s = s.replace(c, "\\" + c)
    return s


def typst(l):
    return ("""#set page(paper: "a4", margin: (top: 20mm, bottom: 20mm, left: 25mm, right: 20mm))
#set text(font: "Liberation Serif", size: 11pt, lang: "en", region: "gb")
#set par(justify: true)
""" + typst_escape(l["reference"]) + " #h(1fr) " + typst_escape(l["date"]) + "\n\n" +
            " \\\n".join(map(typst_escape, l["address"])) + "\n\n" +
            typst_escape(l["salutation"]) + "\n\n" +
            "\n\n".join(map(typst_escape, l["paragraphs"])) + "\n\n" +
            typst_escape(l["closing"]) + "\n#v(3em)\n" +
            "#grid(columns: 2, column-gutter: 2em, " +
            ", ".join("[" + typst_escape(n) + " \\ " + typst_escape(t) + "]"
                      for n, t in zip(*columns(l))) + ")\n")


def main():
    l = letter(sys.argv[1])
    out = sys.argv[2]
    with open(os.path.join(out, "seed-scrlttr2.tex"), "w", encoding="utf-8") as f:
        f.write(tex(l))
    with open(os.path.join(out, "seed-typst.typ"), "w", encoding="utf-8") as f:
        f.write(typst(l))


main()
