#!/usr/bin/env python3
"""typst-template.py TYPST_DIR OUT_DIR — from bench/campaign.py's Typst
letters (one per recipient), the mail-merge form for bench/anchors.sh:
OUT_DIR/template.typ (the first letter with its address block read from
sys.inputs) and OUT_DIR/recipients.json (each letter's name and address
lines)."""
import json
import os
import sys

src, out = sys.argv[1], sys.argv[2]
names = sorted(f for f in os.listdir(src) if f.endswith(".typ"))
recipients = []
template = None
for name in names:
    lines = open(os.path.join(src, name), encoding="utf-8").read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("Ref:")) + 2
    end = next(i for i, l in enumerate(lines) if l.startswith("Dear "))
    block = [l.rstrip(" \\") for l in lines[start:end] if l.strip()]
    recipients.append({"name": name[:-4], "lines": "\n".join(block)})
    if template is None:
        template = lines[:start] + [
            '#for (i, l) in sys.inputs.lines.split("\\n").enumerate() [#if i > 0 [ \\ ]#l]', ""
        ] + lines[end:]
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "template.typ"), "w", encoding="utf-8").write("\n".join(template))
json.dump(recipients, open(os.path.join(out, "recipients.json"), "w", encoding="utf-8"))
