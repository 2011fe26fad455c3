#!/usr/bin/env bash
# petition.sh — petitions end to end: the example's PDF lists every signer
# of its text exactly once (tests/petition_pdf.py), no e-mail address in any
# output, the annex's running header; wrong rows stop a render by default
# (tests/error-letters/petition-bad-rows.err) and are left out and reported with
# --skip-invalid-signers; libharu's array limit lowered in this test build
# (MISSIVE_TEST_ARRAY_MAX) to exercise the structure, parent and page trees'
# splits with 300 signers (tests/pdf_arrays.py).
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
pages=$(pdfinfo "$TMP/out/$name.pdf" | sed -n 's/^Pages: *//p')
check "running header on the annex's second page" \
  "$(head -1 "$TMP/page3.txt" | sed 's/  */ /g')" "IA-ITUC22/EN PT/12 — Signatories (continued) Page 3 of $pages"
pdftotext -f 2 -l 2 -layout "$TMP/out/$name.pdf" "$TMP/page2.txt"
check "the annex starts on a page of its own, under its header" \
  "$(head -3 "$TMP/page2.txt" | sed 's/  */ /g')" "IA-ITUC22/EN PT/12 — Signatories Page 2 of $pages

Signatories (300)"
# Each page prints its number once: the letter's first page in its footer,
# the annex's in its running header (issue 10: not twice as before).
numbers=""
for page in $(seq 1 "$pages"); do
  numbers="$numbers$(pdftotext -f "$page" -l "$page" "$TMP/out/$name.pdf" - | grep -c "Page $page of $pages")"
done
check "every page says its number once ($pages pages)" "$numbers" "$(printf '1%.0s' $(seq 1 "$pages"))"

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
# A group of more than 32,767 signers: libharu's arrays stop there, so the
# tagged PDF's table continues in NonStruct elements (it made no PDF).
ws=$TMP/big
mkdir -p "$ws"
cp -r missive.ini letters templates fonts "$ws"/
python3 bench/make-signers.py 34000 "$ws/letters/petitions/big.csv" --seed 34000 --noise clean
sed 's#petitions/oil-workers-2022.csv#petitions/big.csv#; s#group-by="type"#group-by="none"#' \
  letters/petition-2022.xml >"$ws/letters/big.xml"
(cd "$ws" && "$MISSIVE" render -q -o out --format pdf --skip-invalid-signers letters/big.xml 2>/dev/null)
check "34,000 signers in one group make a PDF" "$?" "0"
check "  qpdf finds it sound" "$(qpdf --check "$ws/out/$name.pdf" 2>&1 | grep -c 'No syntax or stream encoding errors')" "1"
check "  the table's later rows continue in a NonStruct element" \
  "$(pdfinfo -struct "$ws/out/$name.pdf" 2>/dev/null | grep -c 'NonStruct')" "1"
# More than 40 organisations: the letter names the first 40 and counts the
# rest (templates/petition/en.xml, the take and skip filters); the annex
# lists them all.
python3 bench/make-signers.py 600 "$ws/letters/petitions/orgs.csv" --seed 600 --noise clean
sed 's#petitions/oil-workers-2022.csv#petitions/orgs.csv#' letters/petition-2022.xml >"$ws/letters/orgs.xml"
(cd "$ws" && "$MISSIVE" render -q -o orgs --format txt letters/orgs.xml 2>/dev/null)
check "600 signers render to text" "$?" "0"
orgs=$(sed -n 's/^Organisations (\([0-9]*\))$/\1/p' "$ws/orgs/$name.txt")
body=$(sed -n '/^The organisations:/,/^$/p' "$ws/orgs/$name.txt" | tr '\n' ' ' | sed 's/ *$//')
check "  the letter names 40 of its $orgs organisations" "$(grep -o '; ' <<<"${body%%; and*}" | wc -l)" "39"
check "  and counts the others" "$(grep -o '; and [0-9]* more organisations, listed in the annex\.$' <<<"$body")" \
  "; and $((orgs - 40)) more organisations, listed in the annex."
check "  the annex lists all $orgs" "$(sed -n '/^Organisations (/,/^$/p' "$ws/orgs/$name.txt" | grep -c ', ')" "$orgs"
# Past libharu's array limit the structure tree, the parent tree (a number
# tree with /Kids) and the page tree branch: a million signers made no PDF
# (libharu error 0x1001). The limit lowered in this test build exercises
# each split with the example's 300 signers and 5 pages.
for max in 4 2; do
  MISSIVE_TEST_ARRAY_MAX=$max "$MISSIVE" render -q -o "$TMP/max$max" letters/petition-2022.xml 2>/dev/null
  check "arrays of at most $max: renders" "$?" "0"
  pdf=$TMP/max$max/$name.pdf
  check "  qpdf finds it sound" "$(qpdf --check "$pdf" 2>&1 | grep -c 'No syntax or stream encoding errors')" "1"
  python3 tests/pdfa.py "$pdf" | sed 's/ NonStruct [0-9]*//' >"$TMP/max$max.report"
  check_file "  PDF/A and PDF/UA clauses as without the limit (every MCID mapped)" "$TMP/max$max.report" \
    "tests/pdfa/$name.txt"
  pdftotext "$pdf" "$TMP/max$max.txt"
  pdftotext "$TMP/out/$name.pdf" "$TMP/max.txt"
  check "  the same text as without the limit" "$(cmp "$TMP/max$max.txt" "$TMP/max.txt" && echo same)" "same"
  out=$(python3 tests/petition_pdf.py "$pdf" "$TMP/out/$name.txt")
  check "  petition_pdf.py: $out" "$?" "0"
done
check "arrays of at most 4: the largest of each tree" "$(python3 tests/pdf_arrays.py "$TMP/max4/$name.pdf")" \
  "K 5, Nums 4, ParentTree Kids 3, Pages Kids 4; parent tree 2 levels, page tree 2 levels"
check "arrays of at most 2: the parent tree four levels deep" "$(python3 tests/pdf_arrays.py "$TMP/max2/$name.pdf")" \
  "K 3, Nums 2, ParentTree Kids 2, Pages Kids 3; parent tree 4 levels, page tree 2 levels"
check "without the limit: one level each" "$(python3 tests/pdf_arrays.py "$TMP/out/$name.pdf")" \
  "K 302, Nums 10, ParentTree Kids 0, Pages Kids 5; parent tree 1 levels, page tree 1 levels"
"$MISSIVE" render --help | grep -q -- '--skip-invalid-signers'
check "render --help names --skip-invalid-signers" "$?" "0"

# Issued: --skip-invalid-signers as for render, and the report archived as
# one of the entry's files, under its hash.
A=$TMP/archive
"$MISSIVE" issue -w . -a "$A" -q "$letter" 2>"$TMP/err"
check "issue with wrong rows exits 1" "$?" "1"
check "issue names the wrong rows" "$(grep -c '^tests/signers/bad.csv:[0-9]*: error: ' "$TMP/err")" "7"
check "issue with wrong rows leaves no archive" "$(ls -A "$A" 2>/dev/null | wc -l)" "0"
out=$("$MISSIVE" issue -w . -a "$A" --skip-invalid-signers "$letter" 2>"$TMP/err")
check "issue --skip-invalid-signers exits 0" "$?" "0"
check "issue prints the reference" "$out" "ICEM-IMF22/EN LT/1"
report=$A/letters/000001-ICEM-IMF22-EN-LT-1.signers.txt
check "issue counts what was left out, naming the archived report" "$(cat "$TMP/err")" \
  "$letter: 2 signers; 7 wrong rows left out, 0 duplicates merged (listed in $report)"
check_file "the archived report is render's" "$report" tests/petition/bad-rows.signers.txt
check "register show lists the report among the entry's files" \
  "$("$MISSIVE" register show -a "$A" 'ICEM-IMF22/EN LT/1' | grep '^file' | cut -d, -f1 | sed 's/  */ /g')" \
  "file pdf letters/000001-ICEM-IMF22-EN-LT-1.pdf
file text letters/000001-ICEM-IMF22-EN-LT-1.txt
file source letters/000001-ICEM-IMF22-EN-LT-1.xml
file signers letters/000001-ICEM-IMF22-EN-LT-1.signers.txt"
check "the report's hash is the register's" \
  "$("$MISSIVE" register show -a "$A" 'ICEM-IMF22/EN LT/1' | sed -n 's/^file *signers .*SHA-256 //p')" \
  "$(sha256sum "$report" | cut -d' ' -f1)"
"$MISSIVE" register verify -q -a "$A"; check "the register verifies" "$?" "0"
"$MISSIVE" reprint -a "$A" -o "$TMP/reprint" 'ICEM-IMF22/EN LT/1' >/dev/null
check "the petition reprints byte for byte" "$?" "0"
echo "tampered" >>"$report"
"$MISSIVE" register verify -a "$A" >/dev/null 2>"$TMP/err"
check "a changed report fails verify" "$?" "4"
check "verify names the report" "$(grep -c "^$report: error: archived signers of ICEM-IMF22/EN LT/1 (entry 1) has changed" "$TMP/err")" "1"
"$MISSIVE" issue --help | grep -q -- '--skip-invalid-signers'
check "issue --help names --skip-invalid-signers" "$?" "0"

# Decomposed input (NFD, as some exports write it) prints composed (NFC) in
# both outputs, and the PDF still lists every signer of the text once.
nfd=tests/petition/nfd.xml
"$MISSIVE" render -w . -o "$TMP/nfd" "$nfd" 2>/dev/null >/dev/null
check "the NFD petition renders" "$?" "0"
check "the CSV really is decomposed (6 rows)" "$(grep -cP '[\x{300}-\x{36F}]' tests/petition/nfd.csv)" "6"
out=$(python3 tests/petition_pdf.py "$TMP/nfd/nfd.pdf" "$TMP/nfd/nfd.txt")
check "petition_pdf.py passes on the NFD petition: $out" "$?" "0"
check "six entries in its PDF" "$out" "6 entries, each as often as in the text"
pdftotext "$TMP/nfd/nfd.pdf" "$TMP/nfd-pdf.txt"
check "no combining mark in the text" "$(grep -cP '[\x{300}-\x{36F}]' "$TMP/nfd/nfd.txt")" "0"
check "no combining mark in the PDF" "$(grep -cP '[\x{300}-\x{36F}]' "$TMP/nfd-pdf.txt")" "0"
nfc_names="Fédération Générale des Mines, Genève, Switzerland
Åsa Ångström, IF Metall, Göteborg, Sweden
José Núñez, Sindicato Minero, Málaga, Spain
Ngô Bảo Châu, Hà Nội, Vietnam
Zoë Brontë, Unite, Leeds, United Kingdom
Йосиф Ёлкин, Профсоюз «Қазмұнайгаз», Актау, Kazakhstan"
check "the text's annex is in NFC" "$(sed -n '/^Organisations/,$p' "$TMP/nfd/nfd.txt" | grep ', ')" \
  "$nfc_names"
found=0
while IFS= read -r name; do
  grep -qF "${name%%,*}" "$TMP/nfd-pdf.txt" && found=$((found + 1))
done <<<"$nfc_names"
check "each NFC name is in the PDF's text" "$found" "6"
# Merged rows that differ in organisation or e-mail say so (the address
# itself is never printed).
check_file "the NFD petition's report" "$TMP/nfd/nfd.signers.txt" tests/petition/nfd.signers.txt
check "the report lines of merged rows that differ" "$(grep -c 'differs' "$TMP/nfd/nfd.signers.txt")" "2"
check "no e-mail address in that report" "$(grep -c '@' "$TMP/nfd/nfd.signers.txt")" "0"
# The annex's lines and the pages' content wait in an unlinked temporary
# file in $TMPDIR (src/render/pdf_spool.c): the same PDF, and nothing left
# in that folder; a folder where no file can be made fails the render with
# one error and writes nothing.
mkdir -p "$TMP/spool"
TMPDIR="$TMP/spool" "$MISSIVE" render -q -o "$TMP/spooled" letters/petition-2022.xml 2>/dev/null
check "with TMPDIR elsewhere: the same PDF" \
  "$(cmp "$TMP/spooled/IA-ITUC22-EN-PT-12.pdf" "$TMP/out/IA-ITUC22-EN-PT-12.pdf" && echo same)" "same"
check "  nothing left in TMPDIR" "$(ls -A "$TMP/spool" | wc -l)" "0"
# What is read back for the last time is punched out of the spool (1 MB at
# a time; every 4 KB here), and the spooled PDF, text and report are linked
# into the output folder, not copied: a regular file of its own, 0644.
MISSIVE_TEST_SPOOL_STEP=4096 TMPDIR="$TMP/spool" "$MISSIVE" render -q -o "$TMP/punched" \
  letters/petition-2022.xml 2>/dev/null
check "holes punched in the spool: the same PDF, text and report" \
  "$(diff -r "$TMP/punched" "$TMP/out" && echo same)" "same"
check "  files linked in: regular, one link, 0644" \
  "$(stat -c '%F %h %a' "$TMP/punched"/* | sort -u)" "regular file 1 644"
# A $TMPDIR on another file system (tmpfs): copied, the same files.
if shm=$(mktemp -d /dev/shm/missive-test.XXXXXX 2>/dev/null); then
  TMPDIR="$shm" "$MISSIVE" render -q -o "$TMP/shm" letters/petition-2022.xml 2>/dev/null
  check "TMPDIR on tmpfs: the same PDF, text and report" \
    "$(diff -r "$TMP/shm" "$TMP/out" && echo same):$(ls -A "$shm" | wc -l)" "same:0"
  rm -rf "$shm"
fi
TMPDIR="$TMP/missing" "$MISSIVE" render -q -o "$TMP/nospool" letters/petition-2022.xml 2>"$TMP/err"
check "TMPDIR missing: render fails" "$?" "1"
check "  with one error" "$(cat "$TMP/err")" \
  "missive: error: cannot make a temporary file in $TMP/missing: No such file or directory"
check "  and writes nothing" "$(ls -A "$TMP/nospool" 2>/dev/null | wc -l)" "0"
# The text goes to a spool file there too (src/render/text.c), as it is
# made: the same text, nothing left; without a spool it is held, as before.
TMPDIR="$TMP/spool" "$MISSIVE" render -q -o "$TMP/spooled-txt" --format txt letters/petition-2022.xml 2>/dev/null
check "text with TMPDIR elsewhere: the same text" \
  "$(cmp "$TMP/spooled-txt/IA-ITUC22-EN-PT-12.txt" "$TMP/out/IA-ITUC22-EN-PT-12.txt" && echo same)" "same"
check "  nothing left in TMPDIR" "$(ls -A "$TMP/spool" | wc -l)" "0"
TMPDIR="$TMP/missing" "$MISSIVE" render -q -o "$TMP/held-txt" --format txt letters/petition-2022.xml 2>"$TMP/err"
check "text with TMPDIR missing: held, the same text" \
  "$?:$(grep -c error "$TMP/err"):$(cmp "$TMP/held-txt/IA-ITUC22-EN-PT-12.txt" "$TMP/out/IA-ITUC22-EN-PT-12.txt" && echo same)" \
  "0:0:same"
# The annex entries' texts and the signers report wait in spool files too
# (src/model/doc_spool.c, src/app/app_render.c), or are held without one:
# the same report either way.
check "the report, spooled and held, the same" \
  "$(cmp "$TMP/spooled-txt/IA-ITUC22-EN-PT-12.signers.txt" "$TMP/out/IA-ITUC22-EN-PT-12.signers.txt" &&
    cmp "$TMP/held-txt/IA-ITUC22-EN-PT-12.signers.txt" "$TMP/out/IA-ITUC22-EN-PT-12.signers.txt" && echo same)" \
  "same"
finish
