#!/usr/bin/env bash
# people.sh — people from a spreadsheet: the 200-embassy campaign renders
# from a CSV named by [source.embassies] exactly as from the same people
# written in INI (tests/campaign/embassies/make.py writes both), with the
# spreadsheet's own columns (fax, embassy_city) in the letters.
source "$(dirname "$0")/lib.sh"
E=tests/campaign/embassies
L=$E/campaign.xml

# ---- the round trip: CSV and INI give the same letters ----
check "check from the CSV" "$("$MISSIVE" check -w $E/csv $L 2>&1)" "$L: ok (200 letters)"
"$MISSIVE" render -w $E/csv -o "$TMP/csv" $L >"$TMP/csv.table" 2>"$TMP/err"
check "render from the CSV exits 0" "$?" "0"
check "render from the CSV says nothing on stderr" "$(cat "$TMP/err")" ""
"$MISSIVE" render -w $E/ini -o "$TMP/ini" $L >"$TMP/ini.table"
check "render from the INI exits 0" "$?" "0"
check "400 files from each" "$(ls "$TMP/csv" | wc -l) $(ls "$TMP/ini" | wc -l)" "400 400"
check "the same summary table" "$(sed "s#$TMP/csv#OUT#" "$TMP/csv.table")" \
  "$(sed "s#$TMP/ini#OUT#" "$TMP/ini.table")"
same=0
for f in "$TMP"/csv/*; do cmp -s "$f" "$TMP/ini/$(basename "$f")" && same=$((same + 1)); done
check "every file byte for byte the same" "$same" "400"

# ---- missive import: the spreadsheet written as INI, the same letters again ----
R=$TMP/imported
cp -rL $E/csv "$R"
rm "$R/letters/embassies.csv"
sed -i "s#\.\./\.\./\.\./\.\./fonts/#$PWD/fonts/#; /^; The embassies come/,\$d" "$R/missive.ini"
"$MISSIVE" import -w $E/csv embassies >"$TMP/imported.ini" 2>"$TMP/err"
check "import exits 0, silent on stderr" "$? $(wc -c <"$TMP/err")" "0 0"
check "import writes one section per row, quoted where INI needs it" \
  "$(grep -c '^\[emb-[0-9]*\]$' "$TMP/imported.ini") $(sed -n '/^\[emb-001\]/,/^$/p' "$TMP/imported.ini" | grep -c '^[a-z_-]* = ".*"$')" "200 3"
check "the imported INI is the hand-written one" \
  "$(grep -v '^;' "$TMP/imported.ini" | sed '/./,$!d')" \
  "$(grep -v '^;' $E/ini/letters/recipients.ini | sed '/^\[group.embassies\]/,/^$/d')"
cat "$TMP/imported.ini" >>"$R/letters/recipients.ini"
"$MISSIVE" render -w "$R" -o "$TMP/rt" $L >/dev/null 2>"$TMP/err"
check "the workspace without its spreadsheet renders the imported INI" "$?" "0"
same=0
for f in "$TMP"/csv/*; do cmp -s "$f" "$TMP/rt/$(basename "$f")" && same=$((same + 1)); done
check "the imported INI's letters are the spreadsheet's, byte for byte" "$same" "400"
out=$("$MISSIVE" import -w $E/csv embasies 2>&1 >"$TMP/none.ini")
check "an unknown source exits 1" "$?" "1"
check "an unknown source is named, with the closest" "$out" \
  "$E/csv/missive.ini: error: no [source.embasies] in missive.ini (did you mean 'embassies'?)"
check "nothing printed on an error" "$(wc -c <"$TMP/none.ini")" "0"
# A value INI cannot hold is an error at its cell, and nothing is printed.
B=$TMP/badimport
cp -rL $E/csv "$B"
sed -i "s#\.\./\.\./\.\./\.\./fonts/#$PWD/fonts/#" "$B/missive.ini"
printf '%s\r\n' 'Code,Ambassador,title,salutation,Country,language,Embassy City,Notes' \
  'emb-001,"Ambassador ""Sasha"" O\'\''Neil; #1",Embassy,Excellence,FR,fr,Paris,' >"$B/letters/embassies.csv"
out=$("$MISSIVE" import -w "$B" embassies 2>&1 >"$TMP/none.ini")
check "a value no INI line holds exits 1" "$?" "1"
check "it is located at its cell" "$out" \
  "$B/letters/embassies.csv:2:10: error: the value of 'name' cannot be written as INI: it holds ';' or '#' (or starts with a quote) and both kinds of quotes, so no quoting keeps it whole"
check "nothing printed then either" "$(wc -c <"$TMP/none.ini")" "0"
# An id twice is an error at the second row, naming the first.
printf '%s\r\n' 'Code,Ambassador,title,salutation,Country,language,Embassy City,Notes' \
  'emb-001,Ambassador One,Embassy,Excellence,FR,fr,Paris,' 'emb-002,Ambassador Two,Embassy,Excellence,DE,de,Berlin,' \
  'emb-001,Ambassador Three,Embassy,Excellence,ES,es,Madrid,' >"$B/letters/embassies.csv"
out=$("$MISSIVE" import -w "$B" embassies 2>&1 >"$TMP/none.ini")
check "an id twice: exits 1, at its cell, naming the first" "$?: $out" \
  "1: $B/letters/embassies.csv:4:1: error: id 'emb-001' appears twice (first at line 2)"

# ---- what the spreadsheet's cells became ----
t=$TMP/csv/campaign
check "quotes, ';' and '#' in cells" "$(sed -n 5,6p "$t-emb-001.txt")" \
  "$(printf 'H.E. Aigerim \u00AB\u00A0Aika\u00A0\u00BB Nurlanova 1\nEmbassy of the Republic of Kazakhstan\u202F; desk #1')"
check "a cell's lines are address lines" "$(sed -n 7,8p "$t-emb-001.txt")" "Rue 1, Bâtiment #1
1001 Paris"
check "a column of the workspace's own in the text (embassy_city)" \
  "$(grep -c '^Nous demandons à votre ambassade à Paris de transmettre' "$t-emb-001.txt")" "1"
check "a custom field tested and printed (fax)" \
  "$(grep -h '^Replies may' "$t-emb-004.txt" "$t-emb-007.txt" | tr '\n' ';')" \
  "Replies may be sent by fax.;Replies may be sent by fax (yours is +7 7172 0007).;"
check "the languages: templates for five, the fallback for the rest" \
  "$(awk 'NR > 1 {print $3}' "$TMP/csv.table" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
  " 25 de; 75 en; 25 es; 50 fr; 25 ru;"
check "a letter that falls back to English is English throughout (rank)" \
  "$(sed -n 13p "$t-emb-006.txt") / $(grep -c '^Please accept, Your Excellency' "$t-emb-006.txt") / $(grep -c 'Signor' "$t-emb-006.txt")" \
  "Your Excellency, / 1 / 0"
# All of it English: reference, date, address form, subject, salutation,
# body, closing.
check "the fallback letter is English from its reference to its signature" \
  "$(cat "$t-emb-006.txt")" \
"Ref: DRAFT

12 September 2011

His Excellency
Ambassador No. 6 of the Republic of Kazakhstan
Embassy of the Republic of Kazakhstan; desk #6
Rue 6, Bâtiment #2
1006 Roma

Repression of striking oil workers in Mangystau Province

Your Excellency,

We ask your embassy in Roma to convey our deep concern to the Government
of the Republic of Kazakhstan.

Replies may be sent by fax.

Please accept, Your Excellency, the assurances of our high
consideration.



Manfred Warda
ICEM General Secretary"
pdftotext "$t-emb-006.pdf" "$TMP/emb-006.pdf.txt"
check "and so is its PDF" \
  "$(grep -c '^Your Excellency,$\|^Please accept, Your Excellency\|^12 September 2011$\|^His Excellency$' "$TMP/emb-006.pdf.txt") $(grep -c 'Signor\|Ambasciat\|settembre' "$TMP/emb-006.pdf.txt")" "4 0"
check "the summary table marks fallback letters" \
  "$(grep -c ' en (fallback) ' "$TMP/csv.table") $(grep -c ' fr (fallback) ' "$TMP/csv.table")" "50 0"

# ---- a fallback that would mix languages: a warning, an error with --strict ----
out=$("$MISSIVE" check -w $E/csv $E/mixed.xml 2>&1); check "mixing is a warning" "$?" "0"
check "the warning names the letters" "$out" \
  "$E/mixed.xml:7:22: warning: 100 letters fall back to 'fr' with a salutation in the recipient's own language: emb-002 (de), emb-003 (es), emb-004 (en), emb-005 (ru), emb-010 (de), emb-011 (es), emb-012 (en), emb-013 (ru) and 92 more (give each a rank or salutation-fr, so no letter mixes languages)
$E/mixed.xml: ok (200 letters)"
"$MISSIVE" render --strict -w $E/csv -o "$TMP/mixed" $E/mixed.xml 2>"$TMP/err" >/dev/null
check "--strict makes it an error" "$? $(grep -c ': error: 100 letters fall back' "$TMP/err")" "1 1"
check "--strict: nothing written" "$(ls -A "$TMP/mixed" 2>/dev/null | wc -l)" "0"

# ---- the protocol table: every language and rank, through the templates, both backends ----
P=tests/campaign/protocol
"$MISSIVE" render -q -w $P -o "$TMP/protocol" --format txt $P/campaign.xml
check "the protocol campaign renders" "$?" "0"
check "each row's address form, salutation and closing (and own ones winning)" \
  "$(python3 $P/extract.py "$TMP"/protocol/*.txt)" "$(cat $P/expected.txt)"
"$MISSIVE" render -q -w $P -o "$TMP/protocol-pdf" --format pdf $P/campaign.xml
out=$(python3 $P/in_pdf.py $P/expected.txt "$TMP"/protocol-pdf/*.pdf)
check "the same address form, salutation and closing in each PDF: $out" "$?" "0"
check "every PDF of the protocol campaign checked" "$out" "35 letters checked, 0 lacking"
rows=0
for row in $(sed -n 's/^\[\(.*\)\]$/\1/p' templates/protocol.ini); do
  grep -q "^${row/./-}: " $P/expected.txt && rows=$((rows + 1))
done
check "every row of the table is tested" "$rows" "30"
finish
