#!/usr/bin/env python3
"""Prints, for each text letter named, its id, address block, salutation
and closing on one line each: what tests/people.sh compares with
expected.txt (one entry per row of templates/protocol.ini); in_pdf.py checks
the same in the PDFs."""
import os
import sys

for path in sorted(sys.argv[1:]):
    paras = [p for p in open(path, encoding="utf-8").read().split("\n\n") if p.strip()]
    # reference, date, address, subject, salutation, body, closing, signatures
    name = os.path.basename(path)[len("campaign-"):-len(".txt")]
    print(f"{name}: {paras[2].replace(chr(10), ' / ')} || {paras[4]} || "
          f"{paras[6].replace(chr(10), ' ')}")
