#!/usr/bin/env bash
# pagedesign.sh — issue 10's page: the address field of a window envelope
# (DIN 5008 form B, UK DL, US #10) with its return address, positions in mm
# from pdftotext -bbox-layout (tests/page_lines.py); long address lines
# wrapped, too many refused with a located error; fold and punch marks as
# artifacts; the subject; the measure; the first page's "Page 1 of N" and
# the later pages' running header; orphans, widows and the closing kept
# with the signatures on letters built to tempt each rule
# (tests/pagination.py); the letterhead's room.
source "$(dirname "$0")/lib.sh"
W=$TMP/ws
mkdir -p "$W"
cp -r missive.ini letters templates fonts "$W"/
lines() { python3 tests/page_lines.py "$@"; }
seed=ICEM-IMF11-EN-LT-107

# ---- DIN 5008 form B, the default on A4 ----
"$MISSIVE" render -q -w "$W" -o "$TMP/b" --layout-report "$TMP/b.json" "$W/letters/kazakhstan-2011.xml"
check "the seed letter renders" "$?" "0"
# The field: 20 mm from the left edge, 45 to 90 mm from the top; its text on
# the 25 mm flush line; the return address on the foot of its top 17.7 mm,
# the address from 62.7 mm; reference and date at 125 mm, 50 mm down; the
# subject two lines under the field. (pdftotext's boxes are the fonts'
# ascent to descent, so a line's box may reach 0.1 mm past its slot.)
check "DIN 5008 B: the field, the information block, the subject" "$(lines "$TMP/b/$seed.pdf" 1 40 105)" \
"125.0 50.3 177.1 55.0 Ref: ICEM-IMF11/EN LT/107
125.0 55.6 155.6 60.3 6 September 2011
25.0 59.3 96.1 62.6 ICEM, Avenue Emile de Béco 109, 1050 Brussels, Belgium
25.0 62.6 60.9 67.3 Nursultan Nazarbaev
25.0 67.2 87.1 71.9 President of Republic of Kazakhstan
25.0 98.8 128.9 103.4 Repression of striking oil workers in Mangystau Province"
# The letterhead above the field; the first page's footer: each
# organisation's address, "Page 1 of 2" at the right.
check "DIN 5008 B: letterhead and footer" "$(lines "$TMP/b/$seed.pdf" 1 0 40; lines "$TMP/b/$seed.pdf" 1 270 297)" \
"25.0 20.3 188.8 25.5 International Federation of Chemical, Energy, Mine and General Workers’ Unions
25.0 28.8 104.5 33.9 International Metalworkers’ Federation
25.0 283.1 33.1 286.4 ICEM
99.3 283.1 105.1 286.4 IMF
25.0 286.8 87.3 290.1 Avenue Emile de Béco 109, 1050 Brussels, Belgium
99.3 286.8 161.9 290.1 Route des Acacias 54 bis, 1227 Geneva, Switzerland
176.6 286.8 190.0 290.1 Page 1 of 2"
check "page 2: the running header (recipient, date, reference, page)" \
  "$(pdftotext -f 2 -l 2 -layout "$TMP/b/$seed.pdf" - | head -1 | sed 's/  */ /g')" \
  "Nursultan Nazarbaev · 6 September 2011 · ICEM-IMF11/EN LT/107 Page 2 of 2"
check "the report records the page break" \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["documents"][0]["page_breaks"])' "$TMP/b.json")" \
  "[{'page': 2, 'before': 'On August 24 Zhansaule Karabalaeva, 18-year old daughter of the president'}]"
# The text output has the address block and the subject, not the furniture.
txt=$TMP/b/$seed.txt
check "text: address, subject, salutation; no return address" \
  "$(sed -n 5,10p "$txt"; grep -c 'Avenue Emile' "$txt")" \
  "Nursultan Nazarbaev
President of Republic of Kazakhstan

Repression of striking oil workers in Mangystau Province

Dear Mr. President,
0"
# The measure: at most 80 average characters of the letter's text at the
# body size (12 pt), narrower than the 165 mm between the margins.
check "the measure and the lines set at it" "$(python3 - "$TMP/b.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))["documents"][0]
full = [l["text"] for b in doc["blocks"] if b["kind"] == "paragraph" for l in b["lines"] if not l["last"]]
print("measure %.1f mm, %d full lines, %.1f characters on average, %d at most" % (
    doc["measure"] / 72 * 25.4, len(full), sum(map(len, full)) / len(full), max(map(len, full))))
EOF
)" "measure 137.0 mm, 28 full lines, 78.2 characters on average, 83 at most"

# ---- a long address line wraps in the field; too many lines are refused ----
cat >>"$W/letters/recipients.ini" <<'EOF'

[long-address]
name = Her Excellency the Permanent Representative of the Republic of Kazakhstan
title = Permanent Mission to the United Nations Office at Geneva
salutation = Your Excellency
address = Rue de Lausanne 106 | 1202 Geneva | Switzerland
country = KZ
language = en

[too-long]
name = Recipient
title = Title
salutation = Dear Sir
country = KZ
language = en
address = Line 1 | Line 2 | Line 3 | Line 4 | Line 5 | Line 6 | Line 7 | Line 8 | Line 9
EOF
sed 's/kz-president-2011/long-address/' "$W/letters/kazakhstan-2011.xml" >"$W/letters/long.xml"
sed 's/kz-president-2011/too-long/' "$W/letters/kazakhstan-2011.xml" >"$W/letters/toolong.xml"
"$MISSIVE" render -q -w "$W" -o "$TMP/long" "$W/letters/long.xml"; check "a long address renders" "$?" "0"
# The lines wrap inside the field (text ends before 103 mm); the seven of
# them reach up one line into the zone of notes, as DIN 5008 allows, the
# return address with them; nothing below the field's 90 mm.
check "long lines wrap inside the field" "$(lines "$TMP/long/$seed.pdf" 1 44 92)" \
"125.0 50.3 177.1 55.0 Ref: ICEM-IMF11/EN LT/107
25.0 54.7 96.1 58.0 ICEM, Avenue Emile de Béco 109, 1050 Brussels, Belgium
125.0 55.6 155.6 60.3 6 September 2011
25.0 58.1 102.8 62.8 Her Excellency the Permanent Representative
25.0 62.6 76.5 67.3 of the Republic of Kazakhstan
25.0 67.2 95.2 71.9 Permanent Mission to the United Nations
25.0 71.7 53.8 76.4 Office at Geneva
25.0 76.3 61.6 81.0 Rue de Lausanne 106
25.0 80.8 47.5 85.5 1202 Geneva
25.0 85.4 45.2 90.1 Switzerland"
# A recipient too long for the running header beside the page number
# (before, the two ran into each other): left out, the date and reference kept.
check "a long recipient: the running header without it" "$(lines "$TMP/long/$seed.pdf" 2 0 30)" \
"25.0 20.2 83.5 23.7 6 September 2011 · ICEM-IMF11/EN LT/107
175.6 20.2 190.0 23.7 Page 2 of 2"
err=$("$MISSIVE" render -w "$W" -o "$TMP/toolong" "$W/letters/toolong.xml" 2>&1)
check "too many address lines: exit 1" "$?" "1"
check "too many address lines: located" "$err" \
  "$W/letters/recipients.ini:115:74: error: the address needs 10 lines in the window field, which holds 9 (window 'din-b'): shorten or join its lines"
check "too many address lines: nothing written" "$(ls -A "$TMP/toolong" 2>/dev/null | wc -l)" "0"
check "too many address lines: check says so too" \
  "$("$MISSIVE" check -w "$W" "$W/letters/toolong.xml" 2>&1; echo "exit $?")" "$err
exit 1"
sed 's|<recipient ref="kz-president-ru"/>|&<recipient ref="too-long"/>|' "$W/letters/mangystau-2011.xml" >"$W/letters/toolongc.xml"
check "too many address lines: check finds it in a campaign" \
  "$("$MISSIVE" check -w "$W" "$W/letters/toolongc.xml" 2>&1; echo "exit $?")" "$err
exit 1"
rm "$W/letters/toolongc.xml"

# ---- UK (DL window, A4 in thirds) and US (#10 window, Letter) ----
cp "$W/missive.ini" "$TMP/missive.ini"
printf '\n[layout]\nwindow = uk\nmarks = fold, punch\n' >>"$W/missive.ini"
"$MISSIVE" render -q -w "$W" -o "$TMP/uk" "$W/letters/kazakhstan-2011.xml"; check "uk renders" "$?" "0"
# A field 20 mm from the left, 40 to 80 mm down; reference and date under it.
check "UK: the field, then reference and date" "$(lines "$TMP/uk/$seed.pdf" 1 35 100)" \
"25.0 41.6 96.1 44.9 ICEM, Avenue Emile de Béco 109, 1050 Brussels, Belgium
25.0 45.3 60.9 50.0 Nursultan Nazarbaev
25.0 50.6 87.1 55.3 President of Republic of Kazakhstan
25.0 88.8 77.1 93.4 Ref: ICEM-IMF11/EN LT/107
131.4 88.8 162.0 93.4 6 September 2011"
# Fold marks at the thirds (99 and 198 mm), the punch mark at 148.5 mm: short
# strokes 4 mm from the left edge, each an artifact.
marks() { # PDF: every stroke left of 20 mm as "x0 y0 x1 (mm from top left), artifact or not"
  qpdf --qdf --object-streams=disable "$1" "$TMP/qdf.pdf"
  python3 - "$TMP/qdf.pdf" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read().decode("latin-1")
mm = 25.4 / 72
for m in re.finditer(r"(/Artifact BMC\s+)?[\d.]+ G\s+[\d.]+ w\s+([\d.]+) ([\d.]+) m\s+([\d.]+) [\d.]+ l\s+S", data):
    x0, y, x1 = float(m.group(2)), float(m.group(3)), float(m.group(4))
    if x0 * mm < 20:
        print("%.1f %.1f %.1f %s" % (x0 * mm, 297 - y * mm, x1 * mm, "artifact" if m.group(1) else "content"))
EOF
}
check "UK: fold and punch marks on both pages" "$(marks "$TMP/uk/$seed.pdf")" "4.0 99.0 9.0 artifact
4.0 198.0 9.0 artifact
4.0 148.5 12.0 artifact
4.0 99.0 9.0 artifact
4.0 198.0 9.0 artifact
4.0 148.5 12.0 artifact"
check "no marks unless asked for" "$(marks "$TMP/b/$seed.pdf")" ""
python3 tests/pdfa.py "$TMP/uk/$seed.pdf" >"$TMP/uk.report" 2>&1
check "UK with marks: every drawing marked (PDF/UA)" \
  "$(grep -c ' 0 drawing operators outside marked content$' "$TMP/uk.report")" "1"

cp "$TMP/missive.ini" "$W/missive.ini"
sed -i 's/^size = A4$/size = Letter/' "$W/missive.ini"
printf '\n[layout]\nwindow = us\n' >>"$W/missive.ini"
"$MISSIVE" render -q -w "$W" -o "$TMP/us" "$W/letters/kazakhstan-2011.xml"; check "us renders" "$?" "0"
# US Letter: 2 in (50.8 mm) down, no return address (the envelope has it).
check "US: the field, then reference and date" "$(lines "$TMP/us/$seed.pdf" 1 40 100)" \
"25.0 51.1 60.9 55.8 Nursultan Nazarbaev
25.0 56.4 87.1 61.1 President of Republic of Kazakhstan
25.0 88.1 77.1 92.8 Ref: ICEM-IMF11/EN LT/107
131.4 88.1 162.0 92.8 6 September 2011"

# ---- settings refused, each at its line ----
cp "$TMP/missive.ini" "$W/missive.ini"
printf '\n[layout]\nwindow = us\n' >>"$W/missive.ini"
n=$(wc -l <"$W/missive.ini")
check "a window for other paper" "$("$MISSIVE" check -w "$W" "$W/letters/kazakhstan-2011.xml" 2>&1)" \
  "$W/missive.ini:$n:10: error: window 'us' is for Letter paper, but [paper] size is A4 (choose din-b, uk or none)"
cp "$TMP/missive.ini" "$W/missive.ini"
printf '\n[layout]\nwindow = c4\nmarks = fold, staple\n' >>"$W/missive.ini"
check "an unknown window and mark" "$("$MISSIVE" check -w "$W" "$W/letters/kazakhstan-2011.xml" 2>&1)" \
  "$W/missive.ini:$((n)):10: error: unknown window 'c4' (expected din-b, uk, us or none)
$W/missive.ini:$((n + 1)):9: error: unknown mark 'staple' (expected fold, punch, both as 'fold, punch', or none)"
cp "$TMP/missive.ini" "$W/missive.ini"

# ---- a letterhead taller than the room above the field ----
mkdir -p "$W/templates/tall"
sed 's|<each in="organisations" as="org">|<each in="organisations" as="org"><line>One more line of a very tall letterhead</line><line>And another</line><line>And a third</line>|' \
  templates/solidarity/en.xml >"$W/templates/tall/en.xml"
sed 's/template="solidarity"/template="tall"/' "$W/letters/kazakhstan-2011.xml" >"$W/letters/tall.xml"
err=$("$MISSIVE" render -w "$W" -o "$TMP/tall" "$W/letters/tall.xml" 2>&1)
check "too tall a letterhead: exit 1" "$?" "1"
check "too tall a letterhead: located" "$err" \
  "$W/templates/tall/en.xml:9:3: error: the letterhead is 58 mm tall, but only 34 mm are free above the address field of window 'din-b' (fewer organisations or lines, or [layout] window = none)"
# check lays the letterhead out too, on every letter of a campaign (before,
# only render found it, and only on the letters rendered before the first
# failure).
for l in de es fr ru; do
  sed 's|<each in="organisations" as="org">|<each in="organisations" as="org"><line>One more line of a very tall letterhead</line><line>And another</line><line>And a third</line>|' \
    "templates/solidarity/$l.xml" >"$W/templates/tall/$l.xml"
done
sed 's/template="solidarity"/template="tall"/' "$W/letters/mangystau-2011.xml" >"$W/letters/tallc.xml"
check "too tall a letterhead: check finds it in every language" \
  "$("$MISSIVE" check -w "$W" "$W/letters/tallc.xml" 2>&1 | sed "s|^$W/||; s/ (fewer.*//" | sort; echo "exit ${PIPESTATUS[0]}")" \
  "templates/tall/de.xml:7:3: error: the letterhead is 52 mm tall, but only 34 mm are free above the address field of window 'din-b'
templates/tall/en.xml:9:3: error: the letterhead is 58 mm tall, but only 34 mm are free above the address field of window 'din-b'
templates/tall/es.xml:6:3: error: the letterhead is 54 mm tall, but only 34 mm are free above the address field of window 'din-b'
templates/tall/fr.xml:7:3: error: the letterhead is 54 mm tall, but only 34 mm are free above the address field of window 'din-b'
templates/tall/ru.xml:6:3: error: the letterhead is 54 mm tall, but only 34 mm are free above the address field of window 'din-b'
exit 1"
rm "$W/letters/tallc.xml"

# ---- letterheads with logos: scaled alike, proportions kept, to fit ----
mkdir -p "$W/logos"
python3 scripts/make-logo.py "$W/logos/a.png" 120 120 20,50,120
python3 scripts/make-logo.py "$W/logos/b.png" 360 120 160,30,40
python3 scripts/make-logo.py "$W/logos/c.png" 100 160 30,110,60
python3 scripts/make-logo.py "$W/logos/d.png" 240 120 200,120,0
cp "$W/letters/organisations.ini" "$TMP/organisations.ini"
sed -i -e 's|^\[icem\]$|&\nlogo = logos/a.png|' -e 's|^\[imf\]$|&\nlogo = logos/b.png|' \
  -e 's|^\[industriall\]$|&\nlogo = logos/c.png|' -e 's|^\[ituc\]$|&\nlogo = logos/d.png|' \
  "$W/letters/organisations.ini"
sed 's|<signatory ref="raina"/>|&<signatory ref="marchetti"/><signatory ref="mensah"/>|' \
  "$W/letters/kazakhstan-2011.xml" >"$W/letters/four.xml"
images() { # PDF: every image of page 1 as "x top width height" in mm from the top left
  qpdf --qdf --object-streams=disable "$1" --pages . 1 -- "$TMP/images.pdf"
  python3 - "$TMP/images.pdf" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read().decode("latin-1")
mm = 25.4 / 72
for m in re.finditer(r"([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\s+/\w+ Do", data):
    w, h, x, y = (float(g) for g in m.groups())
    print("%.1f %.1f %.1f %.1f" % (x * mm, 297 - (y + h) * mm, w * mm, h * mm))
EOF
}
"$MISSIVE" render -q -w "$W" -o "$TMP/logo2" "$W/letters/kazakhstan-2011.xml"
check "two logos render" "$?" "0"
# Natural logos (2.4 leadings, 12.7 mm) would make the letterhead 30 mm tall
# where 22 mm are free: both shrink alike to 8.3 mm, the wide one 3:1, and
# the letterhead still starts at the top margin (20 mm) and ends above 42 mm;
# the names span the type area (to 190 mm), as the footer does.
check "two logos: scaled alike, proportions kept, no lift" "$(images "$TMP/logo2/$seed.pdf")" \
"25.0 20.0 8.3 8.3
25.0 30.2 24.8 8.3"
check "two logos: the names past the widest logo" "$(lines "$TMP/logo2/$seed.pdf" 1 0 45)" \
"54.1 22.0 188.8 26.2 International Federation of Chemical, Energy, Mine and General Workers’ Unions
54.1 32.2 119.4 36.4 International Metalworkers’ Federation"
"$MISSIVE" render -q -w "$W" -o "$TMP/logo4" "$W/letters/four.xml"
check "four logos render" "$?" "0"
# Four rows: the logos shrink to a line of the names (4.8 mm; the tall one
# 3.0 x 4.8, the wide ones 3:1 and 2:1), the rows close up, and the
# letterhead starts 3.3 mm higher; the footer has a column per organisation.
check "four logos: at the least, the letterhead lifted" "$(images "$TMP/logo4/$seed.pdf")" \
"25.0 16.7 4.8 4.8
25.0 22.8 14.3 4.8
25.0 28.9 3.0 4.8
25.0 34.9 9.5 4.8"
check "four logos: the names" "$(lines "$TMP/logo4/$seed.pdf" 1 0 45)" \
"43.5 17.0 178.2 21.2 International Federation of Chemical, Energy, Mine and General Workers’ Unions
43.5 23.0 108.9 27.3 International Metalworkers’ Federation
43.5 29.1 87.6 33.3 IndustriALL Global Union
43.5 35.2 111.1 39.4 International Trade Union Confederation"
check "four logos: the footer's four addresses" "$(lines "$TMP/logo4/$seed.pdf" 1 270 297 | cut -d' ' -f1,5- | head -4)" \
"25.0 ICEM
62.2 IMF
99.3 IndustriALL
136.5 ITUC"
# One organisation: its logo at its natural 12.7 mm, taller than its name's
# line, so the row starts at the logo's top, on the top margin.
sed 's|<signatory ref="raina"/>||' "$W/letters/kazakhstan-2011.xml" >"$W/letters/one.xml"
"$MISSIVE" render -q -w "$W" -o "$TMP/logo1" "$W/letters/one.xml"
check "one logo: natural, the row from its top" "$(images "$TMP/logo1/$seed.pdf"; lines "$TMP/logo1/$seed.pdf" 1 0 45)" \
"25.0 20.0 12.7 12.7
41.9 24.0 188.9 28.7 International Federation of Chemical, Energy, Mine and General Workers’ Unions"
check "four logos: check agrees" "$("$MISSIVE" check -w "$W" "$W/letters/four.xml" 2>&1)" "$W/letters/four.xml: ok"
cp "$TMP/organisations.ini" "$W/letters/organisations.ini"

# ---- pagination: letters built so that the page break sweeps over every
# line of the body, tempting orphans, widows and a lone signature block: a
# first paragraph growing by half a line, four of four lines, a last one of
# one line (so that only the closing's own rule brings a second line) ----
words="the workers of the region have been on strike since May demanding safe conditions and fair pay"
for n in $(seq 1 40); do
  # Seven more words each time: about half a line.
  first=$(for i in $(seq 1 "$n"); do printf 'strike for safe conditions and fair pay '; done)
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<letter template="solidarity" language="en"><date>2011-09-06</date>'
    echo '<recipient ref="kz-president-2011"/><signatory ref="warda"/><signatory ref="raina"/>'
    echo '<subject>Sweep</subject>'
    echo "<body><p>$first.</p>"
    for k in 1 2 3 4; do echo "<p>$words, $words, $words.</p>"; done
    echo "<p>We count on you.</p></body></letter>"
  } >"$W/letters/sweep-$(printf %02d "$n").xml"
done
"$MISSIVE" render -q -w "$W" -o "$TMP/sweep" --layout-report "$TMP/sweep.json" "$W"/letters/sweep-*.xml
check "the sweep renders" "$?" "0"
out=$(python3 tests/pagination.py "$TMP/sweep.json" "$TMP/sweep" "Jyrki Raina")
check "no orphan, no widow, the closing with the signatures and two body lines" "$?" "0"
check "the rules were tempted" "$out" \
  "40 documents, 26 paragraphs split across pages (all at least 2+2), 22 closings with at most three body lines on their page"
{ head -4 "$W/letters/sweep-01.xml"; echo '<body><p>One paragraph.</p></body></letter>'; } >"$W/letters/short.xml"
"$MISSIVE" render -q -w "$W" -o "$TMP/short" "$W/letters/short.xml"
check "a one-page letter has no page number" \
  "$(pdfinfo "$TMP/short/short.pdf" | grep -c 'Pages: *1$') $(pdftotext "$TMP/short/short.pdf" - | grep -c 'Page')" "1 0"
finish
