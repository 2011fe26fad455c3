#!/usr/bin/env python3
"""petition_pdf.py PDF TEXT — checks that the PDF's annex lists every signer
of the text output's annex exactly once, and nothing else.

The PDF's words and their boxes come from `pdftotext -bbox-layout`. An
entry starts at the left edge of a column; a line indented further
continues the entry above it (a wrapped entry). Lines are ordered by page,
column and height, so the check does not depend on pdftotext's idea of
reading order. Running headers, footers, the title and group headings are
left out. Prints the differences and exits 1 when the two lists differ.
"""
import collections
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/1999/xhtml}"
SKIP = re.compile(r"Signatories \(continued\)| — Signatories$|^Page \d+ of \d+$")


def join(entry, line):
    return entry + line if entry.endswith("-") else entry + " " + line


def text_annex(path):
    """Title, headings and entries of the text output's annex."""
    lines = open(path, encoding="utf-8").read().split("\n")
    start = next(i for i, l in enumerate(lines) if re.match(r"^Signatories \(\d[\d,]*\)$", l))
    headings, entries = set(), []
    previous_blank = False
    for line in lines[start + 1:]:
        if not line:
            previous_blank = True
            continue
        if previous_blank:
            headings.add(line)
        elif line.startswith("  "):
            entries[-1] = join(entries[-1], line.strip())
        else:
            entries.append(line)
        previous_blank = False
    return lines[start], headings, entries


def pdf_lines(path):
    html = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], check=True,
                          capture_output=True).stdout
    root = ET.fromstring(html)
    out = []
    for number, page in enumerate(root.iter(NS + "page")):
        width = float(page.get("width"))
        for line in page.iter(NS + "line"):
            words = [w.text or "" for w in line.iter(NS + "word")]
            out.append((number, float(line.get("xMin")), float(line.get("yMin")), width,
                        " ".join(words)))
    return out


def main():
    pdf, text = sys.argv[1], sys.argv[2]
    title, headings, expected = text_annex(text)
    lines = pdf_lines(pdf)
    first = next(i for i, l in enumerate(lines) if l[4] == title)
    annex = [l for l in lines[first + 1:] if not SKIP.search(l[4]) and l[4] not in headings]
    # Column left edges: the leftmost x in each half of the page.
    lefts = {}
    for page, x, y, width, text_ in annex:
        half = 0 if x < width / 2 else 1
        lefts[half] = min(lefts.get(half, x), x)
    annex.sort(key=lambda l: (l[0], 0 if l[1] < l[3] / 2 else 1, l[2]))
    found = []
    for page, x, y, width, line in annex:
        half = 0 if x < width / 2 else 1
        if x - lefts[half] > 3 and found:
            found[-1] = join(found[-1], line)
        else:
            found.append(line)
    want, got = collections.Counter(expected), collections.Counter(found)
    missing, extra = want - got, got - want
    for entry in sorted(missing):
        print(f"missing from the PDF ({missing[entry]}x): {entry}")
    for entry in sorted(extra):
        print(f"extra in the PDF ({extra[entry]}x): {entry}")
    if missing or extra or not expected:
        return 1
    print(f"{len(found)} entries, each as often as in the text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
