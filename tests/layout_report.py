#!/usr/bin/env python3
"""layout_report.py REPORT.json [FILE.pdf...]

Checks a `missive render --layout-report` file against issue 10's figures,
printing one "ok"/"FAIL" line per check and a summary per language:
- every line has the fields the report promises, and a page;
- no line is wider than the measure once its spaces are set (a single
  unbreakable word excepted, reported as badness 10000);
- on justified lines no space above 1.5 times natural in en/fr/es, 1.6 in
  de/ru/kk, unless the paragraph admits no better break (emergency);
- a paragraph marked emergency admits no better break: its best_ratio
  (the least widest adjustment ratio any set of lines allows under the
  rules) is above the limit, and its widest line within 0.05 of it; one
  with a line above the limit must carry it (proven by the bisection),
  unless a word wider than the measure stands alone on a line;
- no page ends in a hyphenated line;
- every justified paragraph's demerits are at most the old (minimum
  raggedness) breaker's, and lower in total.
- with PDFs given, every document's lines are lines of one of them, as
  pdftotext extracts them: one report entry per line set (lines with
  spaces over 2.5 times natural aside, which pdftotext cuts apart; a line
  ending in a hyphen joined with the next, as pdftotext joins them).
Exit status 1 when a check fails."""
import subprocess
import json
import sys

FIELDS = {"text", "ratio", "badness", "demerits", "fitness", "hyphen", "last",
          "natural", "space", "page"}
LIMIT = {"de": 1.6, "ru": 1.6, "kk": 1.6}

report = json.load(open(sys.argv[1], encoding="utf-8"))
failures = []
totals = {}
for doc in report["documents"]:
    lang = doc["language"]
    limit = LIMIT.get(lang, 1.5)
    measure = doc["measure"]
    t = totals.setdefault(lang, {"paragraphs": 0, "new": 0.0, "old": 0.0, "lines": 0,
                                 "worst": 1.0, "emergency": 0})
    for block in doc["blocks"]:
        where = f'{doc["name"]} ({lang}) {block["file"]}:{block["line"]}'
        for line in block["lines"]:
            missing = FIELDS - set(line)
            if missing:
                failures.append(f"{where}: line lacks {sorted(missing)}")
            if line["page"] < 1:
                failures.append(f"{where}: line without a page: {line['text']!r}")
            set_width = line["natural"] if block["mode"] == "ragged" else None
            if block["mode"] == "justified":
                # Spaces shrink at most to 80%: the set width is the measure.
                if line["space"] < 0.8 - 1e-6 and line["badness"] < 10000:
                    failures.append(f"{where}: space {line['space']} below 0.8: {line['text']!r}")
            elif set_width > measure + 1e-6 and line["badness"] < 10000:
                failures.append(f"{where}: line wider than the measure: {line['text']!r}")
        # A hyphenated line never ends a page (it is kept with the next).
        for a, b in zip(block["lines"], block["lines"][1:]):
            if a["hyphenated"] and b["page"] != a["page"]:
                failures.append(f"{where}: page {a['page']} ends in a hyphen: {a['text']!r}")
        if block["mode"] != "justified":
            continue
        t["paragraphs"] += 1
        t["new"] += block["demerits"]
        t["old"] += block["old_demerits"]
        t["emergency"] += block["emergency"]
        if block["demerits"] > block["old_demerits"] + 1e-6:
            failures.append(f"{where}: demerits {block['demerits']} above the old "
                            f"breaker's {block['old_demerits']}")
        for line in block["lines"]:
            if line["last"]:
                continue
            t["lines"] += 1
            t["worst"] = max(t["worst"], line["space"])
            if line["space"] > limit + 1e-6 and not block["emergency"]:
                failures.append(f"{where}: spaces {line['space']}x natural: {line['text']!r}")
        # A paragraph that admits no better break: its least possible widest
        # ratio (found by bisection) is above the limit, and its lines are
        # within 0.05 of it.
        if block["emergency"]:
            best = block["best_ratio"]
            widest = max([l["ratio"] for l in block["lines"] if not l["last"]] + [0])
            above = [l for l in block["lines"] if not l["last"] and l["space"] > limit + 1e-6]
            # Every loose line must be proven the least possible: only a
            # paragraph with a word wider than the measure (badness 10000
            # on a line of one item) may lack a best_ratio.
            overlong = any(l["badness"] >= 10000 and " " not in l["text"].strip()
                           for l in block["lines"])
            if above and best <= 0 and not overlong:
                failures.append(f"{where}: emergency without a proven best_ratio "
                                f"({best}), yet spaces {above[0]['space']}x: "
                                f"{above[0]['text']!r}")
            if 0 < best <= (limit - 1) / 0.5 + 1e-6:
                failures.append(f"{where}: emergency, yet lines within the limit exist "
                                f"(ratio {best})")
            if best > 0 and widest > best + 0.05 + 1e-6:
                failures.append(f"{where}: widest ratio {widest} above the least possible "
                                f"{best}")
            t["admits"] = max(t.get("admits", 0), best)

def plain(text):
    """pdftotext gives no-break spaces as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").strip()


extracted = []
for pdf in sys.argv[2:]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    extracted.append({plain(line) for line in out.split("\n")})
def extracted_lines(block):
    """A block's lines as pdftotext gives them: it joins a line ending in a
    hyphen with the next one, dropping the hyphen (poppler's
    dehyphenation), so a hyphenated word extracts whole."""
    out, carry = [], ""
    for line in block["lines"]:
        # pdftotext cuts a line whose spaces are very wide into pieces, and
        # the line it joins to one of them is not ours either.
        if line["space"] >= 2.5 or carry is None:
            carry = None if line["hyphenated"] or line["text"].endswith("-") else ""
            continue
        text = carry + line["text"]
        # A hyphen of the text ending a line ("one-" of "one-week") is
        # dropped and joined as an added one is.
        if line["hyphenated"] or (text.endswith("-") and not line["last"]):
            carry = text[:-1]
            continue
        carry = ""
        if text:
            out.append(plain(text))
    return out


for doc in report["documents"] if extracted else []:
    texts = [t for block in doc["blocks"] for t in extracted_lines(block)]
    if not any(all(t in lines for t in texts) for lines in extracted):
        failures.append(f'{doc["name"]} ({doc["language"]}): its lines are not the lines of '
                        f"any PDF given")

for lang, t in sorted(totals.items()):
    print(f"{lang}: {t['paragraphs']} justified paragraphs, {t['lines']} full lines, widest "
          f"space {t['worst']:.2f}x, {t['emergency']} without a set within tolerance, "
          f"demerits {t['new']:.0f} (old breaker {t['old']:.0f}); the least widest ratio "
          f"the worst of those admits {t.get('admits', 0):.2f}")
    if t["paragraphs"] and not t["new"] < t["old"]:
        failures.append(f"{lang}: total demerits {t['new']} not below the old {t['old']}")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
