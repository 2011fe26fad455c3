#!/usr/bin/env bash
# pdfa.sh — every example letter, campaign variant and petition as PDF/A-3a
# and PDF/UA-1, read by third-party tools only: tests/pdfa.py (qpdf --check
# and qpdf --json: header, XMP and Info agreeing, output intent and its ICC
# profile, transparency groups, /ID from the content, fonts, the structure
# tree, marked content and the parent tree, nothing forbidden) against
# tests/pdfa/NAME.txt line by line; pdfinfo (version, metadata, Tagged);
# pdfinfo -struct-text against the text output, word for word. When a
# letter's content changes, look at the difference, then regenerate with
# `python3 tests/pdfa.py out/NAME.pdf > tests/pdfa/NAME.txt`.
source "$(dirname "$0")/lib.sh"

"$MISSIVE" render -q -o "$TMP/a" letters/*.xml; check "render examples exits 0" "$?" "0"

count=0
for pdf in "$TMP"/a/*.pdf; do
  name=$(basename "$pdf" .pdf)
  count=$((count + 1))
  python3 tests/pdfa.py "$pdf" >"$TMP/$name.report" 2>&1
  check_file "$name: PDF/A-3 and PDF/UA clauses (tests/pdfa/$name.txt)" "$TMP/$name.report" "tests/pdfa/$name.txt"
  check "$name: pdfinfo" "$(pdfinfo "$pdf" | grep -E '^(PDF version|Metadata Stream|Tagged|JavaScript|Encrypted):')" \
    "Metadata Stream: yes
Tagged:          yes
JavaScript:      no
Encrypted:       no
PDF version:     1.7"
  # poppler 22.12 reads the output intent's ICC profile again for every
  # structure element's text (4 s for the seed letter, a minute for the
  # petition): the tree is read from a copy whose catalog key is renamed
  # (same length, so every offset holds).
  python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"/OutputIntents", b"/OutputIntentX", 1))' \
    "$pdf" "$TMP/$name.fast.pdf"
  pdfinfo -struct-text "$TMP/$name.fast.pdf" >"$TMP/$name.struct" 2>"$TMP/$name.struct.err"
  check "$name: pdfinfo -struct-text prints no warning" "$(cat "$TMP/$name.struct.err")" ""
  out=$(python3 tests/struct_words.py "$TMP/a/$name.txt" "$TMP/$name.struct" 2>&1)
  check "$name: structure tree's words = text output's words: $out" "$?" "0"
done
check "every example rendered (letters, campaign variants, petition)" "$count" "10"

# The comparison notices a difference: another letter's tree does not match.
python3 tests/struct_words.py "$TMP/a/ICEM-IMF11-EN-LT-107.txt" "$TMP/zhanaozen-2021.struct" >/dev/null
check "struct_words.py tells two letters apart" "$?" "1"

# What the Kazakh organisation's name in the English letter is marked as.
check "zhanaozen: Kazakh spans" "$(grep -c '^ *Span' "$TMP/zhanaozen-2021.struct")" "4"

# An issued letter (the seed letter and the petition) carries its archived
# source and its register entry; pdfdetach gives them back equal to what
# the archive and the register hold, and reprint embeds them again.
A=$TMP/archive
for letter in kazakhstan-2011 petition-2022; do
  "$MISSIVE" issue -w "$ROOT" -a "$A" "letters/$letter.xml" >"$TMP/issued" 2>/dev/null
  check "$letter: issue exits 0" "$?" "0"
  reference=$(head -1 "$TMP/issued")
  pdf=$(ls -t "$A"/letters/*.pdf | head -1)
  stem=$(basename "$pdf" .pdf)
  check "$letter: pdfdetach -list" "$(pdfdetach -list "$pdf")" "2 embedded files
1: $stem.entry.json
2: $stem.xml"
  mkdir -p "$TMP/detached-$letter"
  (cd "$TMP/detached-$letter" && pdfdetach -saveall "$pdf")
  check_file "$letter: detached source = archived source" "$TMP/detached-$letter/$stem.xml" "$A/letters/$stem.xml"
  "$MISSIVE" register show -w "$ROOT" -a "$A" --json "$reference" >"$TMP/register.json"
  check "$letter: detached entry = the register's" \
    "$(python3 tests/entry_facts.py "$TMP/detached-$letter/$stem.entry.json" "$TMP/register.json")" "same"
  python3 tests/pdfa.py "$pdf" >"$TMP/issued.report" 2>&1
  check "$letter: issued PDF's associated files" "$(grep '^associated' "$TMP/issued.report")" \
    "associated files: $stem.xml (/Source, application/xml); $stem.entry.json (/Data, application/json)"
  check "$letter: issued PDF claims and checks" \
    "$(grep -E '^(qpdf|pdfaid|info|/ID|forbidden)' "$TMP/issued.report"; grep -c ', 0 not; .* 0 drawing operators outside' "$TMP/issued.report")" \
    "qpdf --check clean
pdfaid:part=3 pdfaid:conformance=A pdfuaid:part=1
info = xmp: Title Author Subject Creator Producer CreationDate ModDate
/ID = MD5 of the file
forbidden: none
1"
  "$MISSIVE" reprint -w "$ROOT" -a "$A" -q -o "$TMP/reprint-$letter" "$reference" >/dev/null
  check_file "$letter: reprint embeds the same and is byte-identical" "$TMP/reprint-$letter/$(basename "$(ls "$TMP/reprint-$letter"/*.pdf)")" "$pdf"
done

finish
