#!/usr/bin/env bash
# petition.sh — petitions end to end: the example's PDF lists every signer
# of its text exactly once (tests/petition_pdf.py), no e-mail address in any
# output, the annex's running header; wrong rows stop a render by default
# (tests/error-letters/petition-bad-rows.err) and are left out and reported with
# --skip-invalid-signers.
source "$(dirname "$0")/lib.sh"
name=IA-ITUC22-EN-PT-12

"$MISSIVE" render -q -o "$TMP/out" letters/petition-2022.xml 2>"$TMP/err"
check "example petition renders" "$?" "0"
check "example petition: duplicates merged, said once" "$(cat "$TMP/err")" \
  "letters/petition-2022.xml: 300 signers; 0 wrong rows left out, 6 duplicates merged (listed in $TMP/out/$name.signers.txt)"
check "three files" "$(ls "$TMP/out" | tr '\n' ' ')" "$name.pdf $name.signers.txt $name.txt "

out=$(python3 tests/petition_pdf.py "$TMP/out/$name.pdf" "$TMP/out/$name.txt")
check "PDF lists every signer exactly once: $out" "$?" "0"
check "300 entries in the PDF" "$out" "300 entries, each as often as in the text"

pdftotext "$TMP/out/$name.pdf" "$TMP/pdf.txt"
check "no e-mail address in the PDF" "$(grep -c '@' "$TMP/pdf.txt")" "0"
check "no e-mail address in the text" "$(grep -c '@' "$TMP/out/$name.txt")" "0"
check "no e-mail address in the report" "$(grep -c '@' "$TMP/out/$name.signers.txt")" "0"
pdftotext -f 3 -l 3 -layout "$TMP/out/$name.pdf" "$TMP/page3.txt"
check "running header on the annex's second page" \
  "$(head -1 "$TMP/page3.txt" | sed 's/  */ /g')" "IA-ITUC22/EN PT/12 — Signatories (continued) page 3 of 5"
check "the annex starts on a page of its own" \
  "$(pdftotext -f 2 -l 2 "$TMP/out/$name.pdf" - | head -1)" "Signatories (300)"

# Wrong rows: left out on request, counted on stderr, listed in the report.
letter=tests/error-letters/petition-bad-rows.xml
"$MISSIVE" render -w . -o "$TMP/skip" --skip-invalid-signers "$letter" >"$TMP/stdout" 2>"$TMP/err"
check "--skip-invalid-signers renders" "$?" "0"
check "--skip-invalid-signers prints the count left out" "$(cat "$TMP/err")" \
  "$letter: 2 signers; 7 wrong rows left out, 0 duplicates merged (listed in $TMP/skip/petition-bad-rows.signers.txt)"
check_file "report of the rows left out" "$TMP/skip/petition-bad-rows.signers.txt" tests/petition/bad-rows.signers.txt
check "only the right rows are listed" "$(sed -n '/^Signatories/,$p' "$TMP/skip/petition-bad-rows.txt")" \
"Signatories (2)

Organisations (1)
Union

Individuals (1)
Good One, Aktau, Kazakhstan"
"$MISSIVE" check -w . --skip-invalid-signers "$letter" >"$TMP/stdout" 2>"$TMP/err"
check "check --skip-invalid-signers exits 0" "$?" "0"
check "check counts without a report file" "$(cat "$TMP/err")" \
  "$letter: 2 signers; 7 wrong rows left out, 0 duplicates merged"
"$MISSIVE" render --help | grep -q -- '--skip-invalid-signers'
check "render --help names --skip-invalid-signers" "$?" "0"
finish
