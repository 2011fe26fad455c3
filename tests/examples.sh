#!/usr/bin/env bash
# examples.sh — the example letters end to end: golden text files, the seed
# letter's words in text and PDF, fonts embedded and subset, qpdf clean,
# Cyrillic names extracted exactly, byte-identical output run to run.
source "$(dirname "$0")/lib.sh"
SEED=tests/golden/seed-000_8067bee6afad8926.txt

"$MISSIVE" render -q -o "$TMP/a" letters/*.xml; check "render examples exits 0" "$?" "0"
"$MISSIVE" render -q -o "$TMP/b" letters/*.xml
for f in "$TMP"/a/*; do
  check_file "$(basename "$f") is byte-identical run to run" "$f" "$TMP/b/$(basename "$f")"
done

# Golden texts, exactly.
for golden in tests/golden/*.txt; do
  case $golden in *seed-*) continue ;; esac
  check_file "text of $(basename "$golden")" "$TMP/a/$(basename "$golden")" "$golden"
done

seed_txt=$TMP/a/ICEM-IMF11-EN-LT-107.txt
seed_pdf=$TMP/a/ICEM-IMF11-EN-LT-107.pdf
# The letter as sent had no subject line; the template prints the subject
# the letter names.
subject="Repression of striking oil workers in Mangystau Province"
out=$(python3 tests/words.py "$SEED" "$seed_txt" "$subject" 2>&1); check "seed words in the text: $out" "$?" "0"

pdftotext -layout "$seed_pdf" "$TMP/seed-pdf.txt" 2>"$TMP/pdftotext.err"
check "pdftotext prints no warning" "$(cat "$TMP/pdftotext.err")" ""
letterhead=$(grep -h '^name\|^address\|^short' letters/organisations.ini | cut -d= -f2- | tr -d '"|' | sed "s/'/’/g")
# Page furniture: the return address in the window field and the first
# page's footer, the running header (recipient, date, reference, page n of N).
sender="ICEM, Avenue Emile de Béco 109, 1050 Brussels, Belgium Route des Acacias 54 bis, 1227 Geneva,"
header="Nursultan Nazarbaev 6 September 2011 ICEM-IMF11/EN LT/107 Page of 1 2 ·"
out=$(python3 tests/words.py "$SEED" "$TMP/seed-pdf.txt" "$letterhead" "$sender" "$header" "$subject" 2>&1)
check "seed words in the PDF: $out" "$?" "0"

# Every letter, in every language: the PDF's words (pdftotext in content
# order, a line-final hyphen joined) are the text output's, word for word,
# the letterhead, draft marks and running headers and footers aside; the
# signatures' columns as a set of words (tests/words.py --signatures).
names=$(grep -h '^name\|^address\|^short' letters/organisations.ini | cut -d= -f2- | tr -d '"|' | sed "s/'/’/g")
running="ICEM-IMF11/EN LT/107 IA-ITUC22/EN PT/12 Signatories (continued) · — page Page of sur
  Seite von página Página de страница Страница из 1 2 3 4 5 DRAFT PROJET ENTWURF BORRADOR ПРОЕКТ"
for txt in "$TMP"/a/*.txt; do
  case $txt in *.signers.txt) continue ;; esac
  name=$(basename "$txt" .txt)
  pdftotext -raw "$TMP/a/$name.pdf" "$TMP/$name.raw.txt"
  # The running header repeats the recipient, date and reference (the
  # text's first lines); the footer joins addresses with commas.
  furniture=$( (printf '%s\n' "$names"; cut -d= -f2- letters/organisations.ini | tr -d '"|';
    head -n 12 "$txt") | tr -s ' \n' '\n\n' | awk 'NF { print; print $0 "," }' | sed "s/'/’/g")
  out=$(python3 tests/words.py --signatures "$txt" "$TMP/$name.raw.txt" "$names" "$running" \
    "$furniture" 2>&1)
  check "$name: the PDF's words are the text's: $out" "$?" "0"
done

for pdf in "$TMP"/a/*.pdf; do
  name=$(basename "$pdf")
  qpdf --check "$pdf" >"$TMP/qpdf" 2>&1; check "$name: qpdf --check exits 0" "$?" "0"
  check "$name: qpdf finds no errors" "$(grep -c 'No syntax or stream encoding errors found' "$TMP/qpdf")" "1"
  fonts=$(pdffonts "$pdf" | tail -n +3)
  check "$name: has fonts" "$([ -n "$fonts" ] && echo yes)" "yes"
  bad=$(printf '%s\n' "$fonts" | awk '{ n = NF; if ($(n-4) != "yes" || $(n-3) != "yes") print $1 }')
  check "$name: every font embedded and subset" "$bad" ""
done

# The second example: three signatories, Cyrillic names, extracted exactly.
second=$TMP/a/zhanaozen-2021.pdf
pdftotext "$second" "$TMP/second.txt"
for name in "Қасым-Жомарт Тоқаев" "Жаңаөзен"; do
  check "second letter extracts '$name'" "$(grep -c "$name" "$TMP/second.txt" | sed 's/^[1-9][0-9]*$/found/')" "found"
done
finish
