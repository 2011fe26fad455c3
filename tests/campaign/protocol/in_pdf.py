#!/usr/bin/env python3
"""in_pdf.py EXPECTED PDF... — for each PDF of the protocol campaign
(campaign-ID.pdf), checks that the address form, salutation and closing
expected.txt gives for ID are in the PDF's text (pdftotext, whitespace
runs made one space, so line breaks do not matter), in that order. Prints
one line per letter that lacks one, and the number of letters checked."""
import os
import re
import subprocess
import sys


def flat(text):
    return re.sub(r"\s+", " ", text).strip()


def main():
    expected = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        name, rest = line.rstrip("\n").split(": ", 1)
        address, salutation, closing = rest.split(" || ")
        expected[name] = (address.split(" / ")[0], salutation, closing)
    bad = 0
    for path in sys.argv[2:]:
        name = os.path.basename(path)[len("campaign-"):-len(".pdf")]
        text = flat(subprocess.run(["pdftotext", path, "-"], capture_output=True,
                                   check=True, text=True).stdout)
        at = 0
        for part in expected[name]:
            found = text.find(flat(part), at)
            if found < 0:
                print(f"{name}: not in the PDF after its position {at}: {part}")
                bad += 1
                break
            at = found + len(flat(part))
    print(f"{len(sys.argv) - 2} letters checked, {bad} lacking")
    return 1 if bad else 0


sys.exit(main())
