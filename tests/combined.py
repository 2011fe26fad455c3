#!/usr/bin/env python3
"""combined.py COMBINED.pdf LETTER.pdf... — checks a campaign's combined
PDF against its letters with poppler and qpdf: the page count, where each
letter starts (an odd page, after a blank one when the letter before has
an odd count), every page's text equal to the letter's own page, the
blank pages empty, and the bookmarks (qpdf --json outlines): one per
letter, in order, each opening that letter's first page. Prints what it
found; exit 1 on any difference."""
import json
import re
import subprocess
import sys


def pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_text(pdf, n):
    return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", pdf, "-"],
                          capture_output=True, text=True, check=True).stdout


def main():
    combined, letters = sys.argv[1], sys.argv[2:]
    bad = []
    start, starts = 1, []
    for i, letter in enumerate(letters):
        n = pages(letter)
        starts.append(start)
        for k in range(1, n + 1):
            if page_text(combined, start + k - 1) != page_text(letter, k):
                bad.append(f"page {start + k - 1} is not page {k} of {letter}")
        start += n
        if n % 2 and i + 1 < len(letters):
            if page_text(combined, start).strip():
                bad.append(f"page {start} should be blank")
            start += 1
    total = pages(combined)
    print("pages:", total, "letters start on", " ".join(map(str, starts)))
    if total != start - 1:
        bad.append(f"{total} pages, expected {start - 1}")
    if any(s % 2 == 0 for s in starts):
        bad.append("a letter starts on an even page")
    doc = json.loads(subprocess.run(["qpdf", "--json", combined], capture_output=True,
                                    check=True).stdout)
    outlines = doc["outlines"]
    for o in outlines:
        print(f"bookmark: {o['title']} -> page {o['destpageposfrom1']}")
    if [o["destpageposfrom1"] for o in outlines] != starts:
        bad.append("the bookmarks do not open each letter's first page")
    for b in bad:
        print("PROBLEM:", b)
    return 1 if bad else 0


sys.exit(main())
