#!/usr/bin/env bash
# sending.sh — a campaign printed and sent: render --combined makes one PDF
# of every letter (qpdf clean, each letter from an odd page with a blank
# page after an odd count, each page the letter's own, a bookmark per
# letter, PDF/A clauses and the structure tree's words); --format eml makes
# an e-mail per letter that Python's email package reads, whose attachment
# is the letter's PDF and whose body is its text (flowed); recipients
# without an email are warned about (errors with --strict); every mistake
# is located and leaves nothing behind.
source "$(dirname "$0")/lib.sh"
W=$TMP/ws
mkdir "$W" && cp -r missive.ini letters templates fonts "$W/"
printf '\n[mail]\nfrom = ICEM and IMF, campaigns <campaigns@icem.example>\n' >>"$W/missive.ini"
python3 - "$W/letters/recipients.ini" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
for id, mail in [("kz-president-ru", "akorda@gov.kz.example"),
                 ("kz-embassy-fr", "paris@kazembassy.example"),
                 ("kz-embassy-de", "berlin@kazembassy.example"),
                 ("kz-embassy-gb", "london@kazembassy.example"),
                 ("kz-embassy-ru", "moscow@kazembassy.example"),
                 ("kz-president-2011", "president@akorda.kz.example")]:
    s = s.replace(f"[{id}]\n", f"[{id}]\nemail = {mail}\n")
open(p, "w").write(s)
PY
# A campaign of one-page and two-page letters: the second recipient's
# country gets a long paragraph, the others a short one.
long=$(python3 -c 'print(" ".join(["The workers of Mangystau have the right to form and join unions of their own choosing, and to strike."] * 45))')
cat >"$W/letters/short.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<letter template="solidarity" language="en">
  <date>2011-09-12</date>
  <recipients>
    <recipient ref="kz-president-2011"/>
    <recipient ref="kz-embassy-gb"/>
    <recipient ref="by-president-2023"/>
  </recipients>
  <signatory ref="warda"/>
  <signatory ref="raina"/>
  <subject>Solidarity with the oil workers of Mangystau</subject>
  <body>
    <p countries="GB">$long</p>
    <p countries="!GB">We stand with the oil workers of Mangystau.</p>
  </body>
</letter>
XML
cd "$W"
C=letters/mangystau-2011.xml
O=$TMP/out
letters_of() { for r in kz-president-ru kz-embassy-fr kz-embassy-de kz-embassy-es kz-embassy-gb kz-embassy-ru; do echo "$1/mangystau-2011-$r.$2"; done; }

es=$(grep -n '^\[kz-embassy-es\]' letters/recipients.ini | cut -d: -f1)

# ---- the campaign: PDF, text, e-mails and the combined PDF ----
out=$("$MISSIVE" render -o "$O" --format pdf,txt,eml --combined "$C" 2>"$TMP/err")
check "render --combined --format pdf,txt,eml exits 0" "$?" "0"
check "the recipient without an email is warned about, at its section" "$(cat "$TMP/err")" \
"letters/recipients.ini:$es:2: warning: recipient 'kz-embassy-es' has no email: its letter gets no .eml (add email = ... to [kz-embassy-es])
missive: note: $O/mangystau-2011.pdf: the 6 letters in one PDF for printing"
check "the table names each letter's e-mail" "$(printf '%s\n' "$out" | sed -n '3p;5p')" \
"mangystau-2011-kz-embassy-fr    kz-embassy-fr    fr        $O/mangystau-2011-kz-embassy-fr.pdf, .txt, .eml
mangystau-2011-kz-embassy-es    kz-embassy-es    es        $O/mangystau-2011-kz-embassy-es.pdf, .txt"
check "6 PDFs, 6 texts, 5 e-mails, 1 combined PDF, nothing else" \
  "$(ls -A "$O" | sed 's/.*\.//' | sort | uniq -c | tr -s ' ')" " 5 eml
 7 pdf
 6 txt"

P=$O/mangystau-2011.pdf
qpdf --check "$P" >"$TMP/qpdf" 2>&1; check "combined: qpdf --check exits 0" "$?" "0"
check "combined: qpdf finds no errors" "$(grep -c 'No syntax or stream encoding errors found' "$TMP/qpdf")" "1"
check "combined: pdfinfo's pages" "$(pdfinfo "$P" | grep '^Pages:' | tr -s ' ')" "Pages: 12"
# shellcheck disable=SC2046
out=$(python3 "$ROOT/tests/combined.py" "$P" $(letters_of "$O" pdf)); check "combined.py finds no problem" "$?" "0"
check "combined: letters, pages and bookmarks" "$out" \
"pages: 12 letters start on 1 3 5 7 9 11
bookmark: Нурсултану Абишевичу Назарбаеву (kz-president-ru) -> page 1
bookmark: Monsieur l’Ambassadeur de la République du Kazakhstan (kz-embassy-fr) -> page 3
bookmark: dem Botschafter der Republik Kasachstan (kz-embassy-de) -> page 5
bookmark: el Embajador de la República de Kazajistán (kz-embassy-es) -> page 7
bookmark: the Ambassador of the Republic of Kazakhstan (kz-embassy-gb) -> page 9
bookmark: Чрезвычайному и Полномочному Послу Республики Казахстан в Российской Федерации (kz-embassy-ru) -> page 11"
out=$(python3 "$ROOT/tests/pdfa.py" "$P" 2>&1)
check "combined: the PDF/A-3a and PDF/UA-1 clauses, each letter a Part in its language" \
  "$(printf '%s\n' "$out" | grep -v '^marked content')" "qpdf --check clean
header %PDF-1.7 binary-comment
metadata stream /Type /Metadata /Subtype /XML unfiltered
pdfaid:part=3 pdfaid:conformance=A pdfuaid:part=1
info = xmp: Title Author Subject Creator Producer CreationDate ModDate
output intent /GTS_PDFA1 sRGB IEC61966-2.1, profile = icc-profiles-free sRGB.icc /N 3
pages 12, with soft masks 0, of them with an RGB transparency group 0
/ID = MD5 of the file
font descriptors 2, embedded 2
associated files: none
/MarkInfo /Marked true, /Lang en, DisplayDocTitle true
structure: Div 24 Document 1 H1 6 P 155 Part 6
alternative texts: 
languages of elements: de en es fr ru
forbidden: none"
check "combined: every MCID mapped, nothing drawn outside marked content" \
  "$(printf '%s\n' "$out" | grep '^marked content' | sed 's/^marked content: [0-9]* MCIDs, [0-9]* mapped/N mapped/')" \
  "N mapped to their element, 0 not; 94 artifacts; 0 drawing operators outside marked content"
check "combined: the title is the letter's own (English) subject" \
  "$(pdfinfo "$P" | grep '^Title:' | tr -s ' ')" "Title: Repression of striking oil workers in Mangystau Province"
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"/OutputIntents", b"/OutputIntentX", 1))' "$P" "$TMP/fast.pdf"
pdfinfo -struct-text "$TMP/fast.pdf" >"$TMP/struct" 2>"$TMP/struct.err"
# A blank line between letters, so that no letter's first line reads as
# part of the signatures' columns before it.
for f in $(letters_of "$O" txt); do cat "$f"; echo; done >"$TMP/all.txt"
out=$(python3 "$ROOT/tests/struct_words.py" "$TMP/all.txt" "$TMP/struct" 2>&1)
check "combined: the structure tree's words are the letters' texts in order: $out" "$?" "0"
check "combined: fonts embedded once for all (smaller than the letters together)" \
  "$([ "$(stat -c %s "$P")" -lt "$(cat $(letters_of "$O" pdf) | wc -c)" ] && echo yes)" "yes"

# ---- each e-mail ----
for r in kz-president-ru kz-embassy-fr kz-embassy-de kz-embassy-gb kz-embassy-ru; do
  f=$O/mangystau-2011-$r
  python3 "$ROOT/tests/eml.py" "$f.eml" "$f.pdf" "$f.txt" >"$TMP/$r.eml.out"; status=$?
  check "$r.eml: Python's email package reads it, attachment = PDF, body = text: $(grep PROBLEM "$TMP/$r.eml.out")" "$status" "0"
done
check "the French e-mail as a mail client shows it" "$(grep -v '^body' "$TMP/kz-embassy-fr.eml.out")" \
"From: \"ICEM and IMF, campaigns\" <campaigns@icem.example>
To: Monsieur l’Ambassadeur de la République du Kazakhstan <paris@kazembassy.example>
Subject: Répression des travailleurs du pétrole en grève dans la région de Manguistaou
Date: Mon, 12 Sep 2011 00:00:00 +0000
Message-ID: <mangystau-2011-kz-embassy-fr.$(sed -n 's/.*kz-embassy-fr\.\([0-9a-f]*\)@.*/\1/p' "$TMP/kz-embassy-fr.eml.out")@icem.example>
type: multipart/mixed
part: text/plain utf-8 flowed None
part: application/pdf None None mangystau-2011-kz-embassy-fr.pdf
attachment: the letter's PDF, byte for byte"
check "the French body is flowed: soft breaks where paragraphs wrap" \
  "$(grep '^body' "$TMP/kz-embassy-fr.eml.out")" "body: the letter's text, 40 soft line breaks"
check "the Russian e-mail's headers" "$(sed -n '2,3p' "$TMP/kz-president-ru.eml.out")" \
"To: Нурсултану Абишевичу Назарбаеву <akorda@gov.kz.example>
Subject: Репрессии против бастующих нефтяников в Мангистауской области"
e=$O/mangystau-2011-kz-embassy-ru.eml
check "non-ASCII headers are RFC 2047 encoded-words" "$(grep -c '^Subject: =?utf-8?b?' "$e")" "1"
check "every header line within 78 columns" \
  "$(sed -n '1,/^\r$/p' "$e" | awk 'length($0) > 79' | wc -l)" "0"
check "CRLF line ends throughout" "$(tr -d '\r' <"$e" | wc -c)" "$(($(wc -c <"$e") - $(wc -l <"$e")))"
"$MISSIVE" render -q -o "$TMP/again" --format eml "$C" 2>/dev/null
check "--format eml alone writes only e-mails" "$(ls -A "$TMP/again" | sed 's/.*\.//' | sort -u)" "eml"
for r in kz-embassy-fr kz-president-ru; do
  check_file "$r.eml is the same bytes run to run (Message-ID and boundary from the content)" \
    "$TMP/again/mangystau-2011-$r.eml" "$O/mangystau-2011-$r.eml"
done

# Space-stuffing: a text line starting with "From " or ">" gets a space.
sed -i 's|<p>On behalf of 45 million|<p>\&gt; quoted, then From the start:\n      On behalf of 45 million|' "$C"
"$MISSIVE" render -q -o "$TMP/stuffed" --format txt,eml --only kz-embassy-gb "$C" 2>/dev/null
check "a line starting with '>' is space-stuffed" "$(grep -c '^ > quoted' "$TMP/stuffed/mangystau-2011-kz-embassy-gb.eml")" "1"
cp "$ROOT/letters/mangystau-2011.xml" "$C"

# ---- odd page counts: a blank page after them ----
out=$("$MISSIVE" render -q -o "$TMP/short" --combined letters/short.xml 2>&1); check "short campaign exits 0" "$?" "0"
S=$TMP/short/short
out=$(python3 "$ROOT/tests/combined.py" "$S.pdf" "$S-kz-president-2011.pdf" "$S-kz-embassy-gb.pdf" "$S-by-president-2023.pdf")
check "combined.py finds no problem (short)" "$?" "0"
check "a one-page letter is followed by a blank page, none after the last" "$(printf '%s\n' "$out" | head -1)" \
  "pages: 5 letters start on 1 3 5"
check "the blank page is empty" "$(pdftotext -f 2 -l 2 "$S.pdf" - | tr -d '\f\n ')" ""
qpdf --check "$S.pdf" >/dev/null 2>&1; check "short combined: qpdf --check exits 0" "$?" "0"
pdftoppm -png -r 30 -f 1 -l 3 "$S.pdf" "$TMP/short-page"
check "the combined PDF rasterises (three pages)" "$(ls "$TMP"/short-page-*.png | wc -l)" "3"

# ---- mistakes: located, nothing written ----
"$MISSIVE" render -o "$TMP/strict" --format pdf,eml --strict "$C" 2>"$TMP/err"; check "--strict: a recipient without an email fails" "$?" "1"
check "--strict: the error at the recipient" "$(grep -c "^letters/recipients.ini:$es:2: error: recipient 'kz-embassy-es' has no email" "$TMP/err")" "1"
check "--strict: nothing written" "$(ls -A "$TMP/strict" 2>/dev/null | wc -l)" "0"
"$MISSIVE" check --format eml "$C" 2>"$TMP/err" >/dev/null; check "check --format eml exits 0" "$?" "0"
check "check --format eml warns too" "$(grep -c 'warning: recipient .kz-embassy-es. has no email' "$TMP/err")" "1"

cp missive.ini "$TMP/missive.ini.good"
sed -i '/^\[mail\]/,$d' missive.ini
"$MISSIVE" render -o "$TMP/nofrom" --format eml "$C" 2>"$TMP/err"; check "no [mail] from: exits 1" "$?" "1"
check "no [mail] from: the error names the file" "$(cat "$TMP/err")" \
  "missive.ini: error: e-mails (--format eml) need their sender: add [mail] from = Name <address> to missive.ini"
check "no [mail] from: nothing written" "$(ls -A "$TMP/nofrom" 2>/dev/null | wc -l)" "0"
printf '\n[mail]\nfrom = campaigns at icem\n' >>missive.ini
"$MISSIVE" render -o "$TMP/badfrom" --format eml "$C" 2>"$TMP/err"; check "a bad from: exits 1" "$?" "1"
check "a bad from: located at its value" "$(cat "$TMP/err")" \
  "missive.ini:$(grep -n '^from' missive.ini | cut -d: -f1):8: error: invalid [mail] from 'campaigns at icem' (expected Name <local@domain> or local@domain, ASCII, on one line)"
cp "$TMP/missive.ini.good" missive.ini

sed -i 's/^email = berlin@kazembassy.example/email = Berlin Embassy <berlin@kazembassy.example>/' letters/recipients.ini
line=$(grep -n '^email = Berlin' letters/recipients.ini | cut -d: -f1)
"$MISSIVE" render -o "$TMP/badto" --format eml "$C" 2>"$TMP/err"; check "a bad email: exits 1" "$?" "1"
check "a bad email: located at its value" "$(grep error "$TMP/err")" \
  "letters/recipients.ini:$line:9: error: invalid email 'Berlin Embassy <berlin@kazembassy.example>' of recipient 'kz-embassy-de' (expected one address, local@domain, ASCII)"
check "a bad email: nothing written" "$(ls -A "$TMP/badto" 2>/dev/null | wc -l)" "0"
sed -i 's/^email = Berlin Embassy <berlin@kazembassy.example>/email = berlin@kazembassy.example/' letters/recipients.ini

"$MISSIVE" render -o "$TMP/single" --combined letters/kazakhstan-2011.xml 2>"$TMP/err"; check "--combined of one letter: exits 1" "$?" "1"
check "--combined of one letter: the error" "$(sed 's/^[^ ]* //' "$TMP/err")" \
  "error: --combined applies to campaigns (letters with <recipients>)"
"$MISSIVE" render -o - --combined --format pdf "$C" 2>"$TMP/err" >/dev/null; check "-o - --combined is a usage error" "$?" "2"

# ---- issue -o: the issued letters' copies, e-mails of the numbered letters ----
A=$TMP/archive
out=$("$MISSIVE" issue -q -a "$A" -o "$TMP/issued" --format pdf,txt,eml "$C" 2>"$TMP/err")
check "issue -o --format pdf,txt,eml exits 0" "$?" "0"
check "issue -o: the recipient without an email is warned about" "$(grep -c "kz-embassy-es' has no email" "$TMP/err")" "1"
check "issue -o: each issued letter's copies, named by its reference" "$(ls "$TMP/issued" | tr '\n' ' ')" \
"ICEM-IMF11-DE-LT-1.eml ICEM-IMF11-DE-LT-1.pdf ICEM-IMF11-DE-LT-1.txt ICEM-IMF11-EN-LT-1.eml ICEM-IMF11-EN-LT-1.pdf ICEM-IMF11-EN-LT-1.txt ICEM-IMF11-ES-LT-1.pdf ICEM-IMF11-ES-LT-1.txt ICEM-IMF11-FR-LT-1.eml ICEM-IMF11-FR-LT-1.pdf ICEM-IMF11-FR-LT-1.txt ICEM-IMF11-RU-LT-1.eml ICEM-IMF11-RU-LT-1.pdf ICEM-IMF11-RU-LT-1.txt ICEM-IMF11-RU-LT-2.eml ICEM-IMF11-RU-LT-2.pdf ICEM-IMF11-RU-LT-2.txt "
same=0
for f in "$A"/letters/*.pdf; do
  stem=${f##*/}; stem=${stem#*-}; stem=${stem%.pdf}
  cmp -s "$f" "$TMP/issued/$stem.pdf" && cmp -s "${f%.pdf}.txt" "$TMP/issued/$stem.txt" && same=$((same + 1))
done
check "issue -o: the copies are the archived PDFs and texts, byte for byte" "$same" "6"
# issue -o DIR --combined: the issued letters, numbered, in one PDF beside their copies.
A2=$TMP/archive-combined
"$MISSIVE" issue -q -a "$A2" -o "$TMP/issued-combined" --combined "$C" 2>"$TMP/err"
check "issue -o --combined exits 0" "$?" "0"
check "issue -o --combined: the copies and mangystau-2011.pdf" "$(ls "$TMP/issued-combined" | grep -c '\.pdf$'):$(ls "$TMP/issued-combined" | grep -c '^mangystau-2011\.pdf$')" "7:1"
qpdf --check "$TMP/issued-combined/mangystau-2011.pdf" >/dev/null 2>&1; check "issue --combined: qpdf --check exits 0" "$?" "0"
out=$(python3 "$ROOT/tests/combined.py" "$TMP/issued-combined/mangystau-2011.pdf" "$A2"/letters/*.pdf)
check "issue --combined: its pages are the issued letters' in order, each from an odd page" "$?:$(head -1 <<<"$out")" "0:pages: 12 letters start on 1 3 5 7 9 11"
check "issue --combined: the numbered references on the letters' pages" \
  "$(pdftotext -f 11 -l 11 "$TMP/issued-combined/mangystau-2011.pdf" - | grep -c 'ICEM-IMF11/RU LT/2')" "1"
"$MISSIVE" issue -q -a "$TMP/archive-nc" --combined "$C" 2>"$TMP/err"
check "issue --combined without -o is a usage error, nothing issued" "$?:$(ls -A "$TMP/archive-nc" 2>/dev/null | wc -l)" "2:0"
"$MISSIVE" issue -q -a "$TMP/archive-nc" -o "$TMP/issued-nc" --combined letters/kazakhstan-2011.xml 2>"$TMP/err"
check "issue --combined of one letter exits 1, nothing issued or written" \
  "$?:$(grep -c 'error: --combined applies to campaigns' "$TMP/err"):$(ls -A "$TMP/archive-nc" "$TMP/issued-nc" 2>/dev/null | wc -l)" "1:1:0"
python3 "$ROOT/tests/eml.py" "$TMP/issued/ICEM-IMF11-FR-LT-1.eml" "$A"/letters/000002-*.pdf "$A"/letters/000002-*.txt >"$TMP/issued2.out"; status=$?
check "issue -o: the e-mail carries the archived PDF and its text: $(grep PROBLEM "$TMP/issued2.out")" "$status" "0"
check "issue -o: the e-mail of a numbered letter" "$(sed -n '1,3p;5p' "$TMP/issued2.out" | sed -E 's/\.[0-9a-f]+@/.ID@/')" \
"From: \"ICEM and IMF, campaigns\" <campaigns@icem.example>
To: Monsieur l’Ambassadeur de la République du Kazakhstan <paris@kazembassy.example>
Subject: Répression des travailleurs du pétrole en grève dans la région de Manguistaou
Message-ID: <ICEM-IMF11-FR-LT-1.ID@icem.example>"
state() { (cd "$A" && find . -type f | sort | xargs sha256sum); }
before=$(state)
sed -i 's/^email = berlin@kazembassy.example/email = Berlin Embassy <berlin@kazembassy.example>/' letters/recipients.ini
"$MISSIVE" issue -q -a "$A" -o "$TMP/issued-bad" --format eml "$C" 2>"$TMP/err"
check "issue -o with a bad email exits 1" "$?" "1"
check "issue -o with a bad email: located" "$(grep -c "recipients.ini:[0-9]*:9: error: invalid email" "$TMP/err")" "1"
check "issue -o with a bad email: nothing numbered, nothing written" \
  "$([ "$(state)" = "$before" ] && echo same) $(ls -A "$TMP/issued-bad" 2>/dev/null | wc -l)" "same 0"
sed -i 's/^email = Berlin Embassy <berlin@kazembassy.example>/email = berlin@kazembassy.example/' letters/recipients.ini
"$MISSIVE" issue -q --strict -a "$A" -o "$TMP/issued-strict" --format pdf,eml "$C" 2>"$TMP/err"
check "issue --strict -o --format eml: a recipient without an email fails" "$?" "1"
check "issue --strict: the error at the recipient" "$(grep -c "^letters/recipients.ini:$es:2: error: recipient 'kz-embassy-es' has no email" "$TMP/err")" "1"
check "issue --strict: nothing numbered, nothing written" \
  "$([ "$(state)" = "$before" ] && echo same) $(ls -A "$TMP/issued-strict" 2>/dev/null | wc -l)" "same 0"
"$MISSIVE" issue -a "$A" --format eml "$C" 2>"$TMP/err"
check "issue --format without -o is a usage error" "$?:$(cat "$TMP/err")" \
  "2:missive: error: --format chooses the copies issue writes with -o DIR: give the folder
Try 'missive issue --help'"
check "... and numbers nothing" "$([ "$(state)" = "$before" ] && echo same)" "same"

# ---- one letter: its e-mail on standard output, for sendmail -t ----
"$MISSIVE" render -o - --format eml letters/kazakhstan-2011.xml >"$TMP/seed.eml" 2>"$TMP/err"
check "render -o - --format eml exits 0" "$?" "0"
"$MISSIVE" render -q -o "$TMP/seed" letters/kazakhstan-2011.xml
python3 "$ROOT/tests/eml.py" "$TMP/seed.eml" "$TMP/seed/ICEM-IMF11-EN-LT-107.pdf" "$TMP/seed/ICEM-IMF11-EN-LT-107.txt" >"$TMP/seed.out"; status=$?
check "the seed letter's e-mail reads back: $(grep PROBLEM "$TMP/seed.out")" "$status" "0"
check "the seed letter's e-mail headers" "$(sed -n '1,3p' "$TMP/seed.out")" \
"From: \"ICEM and IMF, campaigns\" <campaigns@icem.example>
To: Nursultan Nazarbaev <president@akorda.kz.example>
Subject: Repression of striking oil workers in Mangystau Province"
check "an issued letter's e-mail is dated by the letter" "$(sed -n '4p' "$TMP/seed.out")" "Date: Tue, 06 Sep 2011 00:00:00 +0000"

finish
