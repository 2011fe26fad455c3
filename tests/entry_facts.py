#!/usr/bin/env python3
"""entry_facts.py EMBEDDED.json REGISTER.json

Compares the register entry a PDF carries (detached with pdfdetach) with
`missive register show --json` for the same reference: every fact the PDF
holds must be the register's, and the PDF must hold them all but its own
file's hash. Prints "same" or each difference."""
import json
import sys

embedded = json.load(open(sys.argv[1], encoding="utf-8"))
register = json.load(open(sys.argv[2], encoding="utf-8"))
expected = {
    "format": "missive register entry 1",
    "reference": register["reference"],
    "scope": register["scope"],
    "sequence": register["sequence"],
    "issued_at": register["recorded_at"],
    "letter_date": register["letter_date"],
    "language": register["language"],
    "series": register["series"],
    "country": register["recipient"]["country"],
    "recipient": {"id": register["recipient"]["id"], "name": register["recipient"]["name"]},
    "subject": register["subject"],
    "signatories": register["signatories"],
    "template": register["template"],
    "files": [f for f in register["files"] if f["role"] != "pdf"],
}
differences = [k for k in sorted(set(expected) | set(embedded)) if expected.get(k) != embedded.get(k)]
print("same" if not differences else "differ: " + " ".join(differences))
