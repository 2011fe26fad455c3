#!/usr/bin/env bash
# campaign.sh — campaigns end to end: the example campaign renders and
# issues into six letters in five languages with their own numbers; a
# parallel render is byte for byte a serial one; --only and --lang narrow a
# batch; missing translations, unknown recipients, groups and languages are
# exact errors; nothing is written or issued when any letter fails; a crash
# in the middle of a batch leaves nothing the next writer cannot clean.
source "$(dirname "$0")/lib.sh"
C=letters/mangystau-2011.xml

# ---- render: the summary table, the files, serial = parallel ----
out=$("$MISSIVE" render -o "$TMP/serial" --jobs 1 "$C" 2>"$TMP/err"); check "render exits 0" "$?" "0"
check "render prints nothing on stderr when it is not a terminal" "$(cat "$TMP/err")" ""
check "render prints the summary table" "$out" \
"letter                          recipient        language  files
mangystau-2011-kz-president-ru  kz-president-ru  ru        $TMP/serial/mangystau-2011-kz-president-ru.pdf, .txt
mangystau-2011-kz-embassy-fr    kz-embassy-fr    fr        $TMP/serial/mangystau-2011-kz-embassy-fr.pdf, .txt
mangystau-2011-kz-embassy-de    kz-embassy-de    de        $TMP/serial/mangystau-2011-kz-embassy-de.pdf, .txt
mangystau-2011-kz-embassy-es    kz-embassy-es    es        $TMP/serial/mangystau-2011-kz-embassy-es.pdf, .txt
mangystau-2011-kz-embassy-gb    kz-embassy-gb    en        $TMP/serial/mangystau-2011-kz-embassy-gb.pdf, .txt
mangystau-2011-kz-embassy-ru    kz-embassy-ru    ru        $TMP/serial/mangystau-2011-kz-embassy-ru.pdf, .txt"
check "twelve files, nothing else" "$(ls -A "$TMP/serial" | wc -l)" "12"
"$MISSIVE" render -q -o "$TMP/parallel" --jobs 4 "$C"; check "parallel render exits 0" "$?" "0"
for f in "$TMP"/serial/*; do
  check_file "$(basename "$f"): 4 threads give the bytes of 1" "$f" "$TMP/parallel/$(basename "$f")"
done
SOURCE_DATE_EPOCH=1315785600 "$MISSIVE" render -q -o "$TMP/epoch" "$C"
check "a campaign's drafts honour SOURCE_DATE_EPOCH" \
  "$(pdfinfo "$TMP/epoch/mangystau-2011-kz-embassy-fr.pdf" | grep -c 'Sep 12 00:00:00 2011')" "2"

# Each letter in its language, with the paragraphs and facts of its country.
t=$TMP/serial/mangystau-2011
check "the President reads Russian, with his paragraph" \
  "$(grep -c 'Господин Президент, мы убеждены' "$t-kz-president-ru.txt")" "1"
check "the President is not told of the letter he has" \
  "$(grep -c 'ИКЕМ и МФМ направили' "$t-kz-president-ru.txt")" "0"
check "the embassy in Moscow is told (a fact limited to countries)" \
  "$(grep -c '^6 сентября ИКЕМ и МФМ направили' "$t-kz-embassy-ru.txt")" "1"
check "the embassies' paragraph is not in the President's letter" \
  "$(grep -c 'Просим Вас довести' "$t-kz-president-ru.txt")" "0"
nbsp=$'\u00a0'
check "French quotes from plain ones, with no-break spaces" \
  "$(grep -c "«${nbsp}incitation à la haine sociale${nbsp}»" "$t-kz-embassy-fr.txt")" "1"
check "German quotes" "$(grep -c '„Anstiftung zu sozialem Hass“' "$t-kz-embassy-de.txt")" "1"
check "Spanish date" "$(grep -c '^12 de septiembre de 2011$' "$t-kz-embassy-es.txt")" "1"
check "German fact date" "$(grep -c '^Am 8. und 10. Juli stürmte' "$t-kz-embassy-de.txt")" "1"
check "signatories' titles in the letter's language (title-fr)" \
  "$(grep -c 'Secrétaire général de l’ICEM    Secrétaire général de la FIOM' "$t-kz-embassy-fr.txt")" "1"
check "an English letter keeps the titles as written" \
  "$(grep -c 'ICEM General Secretary    IMF General Secretary' "$t-kz-embassy-gb.txt")" "1"
pdftotext "$t-kz-embassy-ru.pdf" "$TMP/ru.txt"
check "the Russian letterhead names the federations in Russian (name-ru)" \
  "$(grep -c '^Международная федерация металлистов$' "$TMP/ru.txt")" "1"
pdftotext "$t-kz-embassy-de.pdf" "$TMP/de.txt"
check "the German PDF extracts its umlauts and quotes" \
  "$(grep -c '„Anstiftung zu sozialem Hass“' "$TMP/de.txt") $(grep -o 'Ölarbeiter' "$TMP/de.txt" | wc -l)" "1 5"

# ---- check, --only, --lang ----
check "check names the number of letters" "$("$MISSIVE" check "$C")" "$C: ok (6 letters)"
out=$("$MISSIVE" render -o "$TMP/only" --only kz-embassy-ru,kz-president-ru "$C" | cut -c1-48)
check "--only renders those recipients, in the letter's order" "$out" \
"letter                          recipient       
mangystau-2011-kz-president-ru  kz-president-ru 
mangystau-2011-kz-embassy-ru    kz-embassy-ru   "
"$MISSIVE" render -q -o "$TMP/lang" --lang fr,de "$C"
check "--lang renders those languages" "$(ls "$TMP/lang" | tr '\n' ' ')" \
  "mangystau-2011-kz-embassy-de.pdf mangystau-2011-kz-embassy-de.txt mangystau-2011-kz-embassy-fr.pdf mangystau-2011-kz-embassy-fr.txt "
out=$("$MISSIVE" render -o "$TMP/none" --lang it "$C" 2>&1); check "--lang it exits 1" "$?" "1"
check "--lang it names the languages there are" "$out" \
  "missive: error: --lang: no recipient of $C gets the letter in 'it' (it goes out in ru, fr, de, es, en)"
out=$("$MISSIVE" render -o "$TMP/none" --lang xx "$C" 2>&1)
check "--lang xx is an unknown language" "$out" \
  "missive: error: unknown language code 'xx' (expected an ISO 639 code such as 'en')"
out=$("$MISSIVE" render -o "$TMP/none" --only kz-embassy-uk "$C" 2>&1)
check "--only with an unknown recipient" "$out" \
  "missive: error: --only: 'kz-embassy-uk' is not a recipient of $C (did you mean 'kz-embassy-fr'?)"
out=$("$MISSIVE" render -o "$TMP/none" --only x letters/kazakhstan-2011.xml 2>&1)
check "--only on a single letter" "$out" \
  "letters/kazakhstan-2011.xml:4:1: error: --only applies to campaigns (letters with <recipients>)"
check "nothing was written by the failed commands" "$(ls -A "$TMP/none" 2>/dev/null | wc -l)" "0"

# ---- errors: exact, and nothing written ----
out=$("$MISSIVE" render -o "$TMP/none" tests/campaign/incomplete.xml 2>&1); check "incomplete exits 1" "$?" "1"
check "missing and incomplete translations" "$out" \
"tests/campaign/incomplete.xml:7:12: error: the translation into 'fr' (line 16) lacks <body>, fact 'one', which recipient 'kz-embassy-fr' needs
tests/campaign/incomplete.xml:7:12: error: no text in 'de' for recipient 'kz-embassy-de': the letter is in en, fr (add a <translation language=\"de\"> with <subject>, <body> and each fact, or name a fallback language with <letter fallback=\"...\">)
tests/campaign/incomplete.xml:7:12: error: no text in 'es' for recipient 'kz-embassy-es': the letter is in en, fr (add a <translation language=\"es\"> with <subject>, <body> and each fact, or name a fallback language with <letter fallback=\"...\">)
tests/campaign/incomplete.xml:7:12: error: no text in 'ru' for recipient 'kz-embassy-ru': the letter is in en, fr (add a <translation language=\"ru\"> with <subject>, <body> and each fact, or name a fallback language with <letter fallback=\"...\">)"
out=$("$MISSIVE" check tests/campaign/unknown-names.xml 2>&1); check "unknown names exit 1" "$?" "1"
check "unknown recipients, groups and countries" "$out" \
"tests/campaign/unknown-names.xml:5:16: error: unknown recipient 'kz-embassy-gr' in recipients.ini (did you mean 'kz-embassy-fr'?)
tests/campaign/unknown-names.xml:6:16: error: unknown recipient 'nobody-at-all' in recipients.ini
tests/campaign/unknown-names.xml:7:12: error: unknown group 'kz-embasies' in recipients.ini (did you mean 'kz-embassies'?)
tests/campaign/unknown-names.xml:8:12: error: group 'kz-embassies' has no member in the countries given
tests/campaign/unknown-names.xml:9:16: error: no recipient in recipients.ini has country 'IT'"
# A letter that fails late — a character no font has, in one language
# only — stops the whole batch: no file of any letter appears.
sed 's|<p>Bonjour, "salut".</p>|<p>Bonjour 中.</p>|' \
  tests/campaign/fallback.xml > "$TMP/late.xml"
out=$("$MISSIVE" render -w . -o "$TMP/late" "$TMP/late.xml" 2>&1); check "a late failure exits 1" "$?" "1"
check "it is told once (after the warning on the paragraph only France gets)" "$out" \
  "$TMP/late.xml:12:34: warning: paragraph limited to countries=\"FR\" is left out of 7 of the 7 letters in 'en': kz-president-ru, kz-embassy-de, kz-embassy-es, kz-embassy-gb, kz-embassy-ru, kz-president-2011, kz-president-2021
$TMP/late.xml:15:14: error: no font has the character '中' (U+4E2D) for regular text (tried LiberationSerif-Regular.ttf, DejaVuSerif.ttf)"
check "no letter of that batch was written" "$(ls -A "$TMP/late" 2>/dev/null | wc -l)" "0"
out=$("$MISSIVE" render -q -o "$TMP/fallback" tests/campaign/fallback.xml 2>&1)
check "a fallback language stands in" "$(head -1 "$TMP/fallback/fallback-kz-embassy-de.txt") / $(grep -c 'Only France' "$TMP/fallback"/*.txt | grep -c ':1')" \
  "Ref: DRAFT / 0"
check "France gets its paragraph, in French" "$(grep -c 'Seulement la France' "$TMP/fallback/fallback-kz-embassy-fr.txt")" "1"

# ---- the first of the month: "1er" in French, in both backends; the number elsewhere ----
sed 's|<date>2011-09-12</date>|<date>2011-09-01</date>|; s|date="2011-08-08"|date="2011-09-01 2011-09-08"|; s|date="2011-08-24"|date="2011-08-30 2011-09-01"|' \
  "$C" >"$TMP/first.xml"
"$MISSIVE" render -q -w . -o "$TMP/first" --lang fr,es,de "$TMP/first.xml"
check "the letter of the 1st renders" "$?" "0"
f=$TMP/first/first-kz-embassy
for backend in text pdf; do
  for l in fr es de; do
    if [ $backend = pdf ]; then pdftotext "$f-$l.pdf" "$TMP/first-$l.txt"; else cp "$f-$l.txt" "$TMP/first-$l.txt"; fi
  done
  check "French ordinals in the $backend: the date, a shared month, a month's end" \
    "$(grep -o '^1er septembre 2011$\|^Les 1er et 8 septembre,\|^Les 30 août et 1er septembre,' "$TMP/first-fr.txt" | tr '\n' ';')" \
    "1er septembre 2011;Les 1er et 8 septembre,;Les 30 août et 1er septembre,;"
  check "Spanish and German keep the number in the $backend" \
    "$(grep -o '^1 de septiembre de 2011$\|^Los días 1 y 8 de septiembre,\|^1. September 2011$\|^Am 1. und 8. September' "$TMP/first-es.txt" "$TMP/first-de.txt" | cut -d: -f2 | tr '\n' ';')" \
    "1 de septiembre de 2011;Los días 1 y 8 de septiembre,;1. September 2011;Am 1. und 8. September;"
done
check "no other French day is an ordinal" "$(grep -c '[02-9]er \|11er\|21er\|31er' "$f-fr.txt")" "0"

# ---- text limited to countries and groups: nothing left out silently ----
L=tests/campaign/limits.xml
out=$("$MISSIVE" check $L 2>&1); check "limits: check exits 0" "$?" "0"
check "limits: the letters lacking a paragraph are named (alternatives are not)" "$out" \
  "$L:16:5: warning: paragraph limited to countries=\"FR DE\" is left out of 2 of the 2 letters in 'en': kz-president-2011, kz-embassy-gb
$L:21:5: warning: paragraph limited to countries=\"!KZ\" is left out of 1 of the 2 letters in 'en': kz-president-2011
$L: ok (5 letters)"
"$MISSIVE" render -q -o "$TMP/limits" $L 2>/dev/null
check "!RU leaves the Moscow embassy out of the group" "$(ls "$TMP/limits" | grep -c embassy-ru)" "0"
t=$TMP/limits/limits
check "groups= and groups=! (embassies, the others)" \
  "$(grep -hc '^Embassies\.$' "$t-kz-embassy-gb.txt" "$t-kz-president-2011.txt" | tr '\n' ' ')$(grep -hc '^Not embassies\.$' "$t-kz-embassy-gb.txt" "$t-kz-president-2011.txt" | tr '\n' ' ')" \
  "1 0 0 1 "
check "countries=!KZ" "$(grep -hc '^Not Kazakhstan\.$' "$t-kz-embassy-gb.txt" "$t-kz-president-2011.txt" | tr '\n' ' ')" "1 0 "
out=$("$MISSIVE" render --strict -o "$TMP/strict" $L 2>&1); check "limits: --strict exits 1" "$?" "1"
check "limits: --strict, the same as errors" "$(grep -c ': error: paragraph limited to' <<<"$out")" "2"
check "limits: --strict writes nothing" "$(ls -A "$TMP/strict" 2>/dev/null | wc -l)" "0"
out=$("$MISSIVE" issue --strict -a "$TMP/strict-archive" -o "$TMP/strict-issued" $L 2>&1)
check "limits: issue --strict exits 1" "$?" "1"
check "limits: issue --strict, the warnings as errors" "$out" \
  "$L:16:5: error: paragraph limited to countries=\"FR DE\" is left out of 2 of the 2 letters in 'en': kz-president-2011, kz-embassy-gb
$L:21:5: error: paragraph limited to countries=\"!KZ\" is left out of 1 of the 2 letters in 'en': kz-president-2011"
check "limits: issue --strict numbers, archives and writes nothing" \
  "$(ls -A "$TMP/strict-archive" "$TMP/strict-issued" 2>/dev/null | wc -l)" "0"
# groups="..." on a fact's own definition limits every mention of it.
F=tests/campaign/fact-groups.xml
out=$("$MISSIVE" render -o "$TMP/factgroups" $F 2>&1 >/dev/null); check "fact groups: render exits 0, no warning" "$?:$out" "0:"
check "fact groups: the embassy's letter has its fact, not the other" \
  "$(grep -c 'Embassies post this\.' "$TMP/factgroups/fact-groups-kz-embassy-gb.txt"):$(grep -c 'Everyone else hears this\.' "$TMP/factgroups/fact-groups-kz-embassy-gb.txt")" "1:0"
check "fact groups: each letter's facts list has its own" \
  "$(grep -h '^Listed:' "$TMP/factgroups/fact-groups-kz-embassy-gb.txt" "$TMP/factgroups/fact-groups-kz-president-2011.txt" | tr '\n' ' ')" "Listed: posts. Listed: others. "
check "fact groups: the President's letter has the other" \
  "$(grep -c 'Embassies post this\.' "$TMP/factgroups/fact-groups-kz-president-2011.txt"):$(grep -c 'Everyone else hears this\.' "$TMP/factgroups/fact-groups-kz-president-2011.txt")" "0:1"
sed 's/id="posts" date="2011-09-01" groups="kz-embassies"/id="posts" date="2011-09-01" groups="kz-embasies"/' $F > "$TMP/factgroups.xml"
out=$("$MISSIVE" check -w . "$TMP/factgroups.xml" 2>&1); check "fact groups: a misspelt group exits 1" "$?" "1"
check "fact groups: a misspelt group is an error at the definition" "$(grep -c "^$TMP/factgroups.xml:13:40: error: unknown group 'kz-embasies' (did you mean 'kz-embassies'?)$" <<<"$out")" "1"
grep -v '<fact ref="posts"/>' "$TMP/factgroups.xml" > "$TMP/factgroups-listed.xml"
out=$("$MISSIVE" render -w . -o "$TMP/factgroups-listed" "$TMP/factgroups-listed.xml" 2>&1)
check "fact groups: a misspelt group of a fact only listed exits 1, writes nothing" "$?:$(ls -A "$TMP/factgroups-listed" 2>/dev/null | wc -l)" "1:0"
check "fact groups: ... and is the same error, once" "$(grep -c "^$TMP/factgroups-listed.xml:13:40: error: unknown group 'kz-embasies' (did you mean 'kz-embassies'?)$" <<<"$out")" "1"
sed 's/groups="kz-embassies"/groups="kz-embasies"/' $L > "$TMP/typo.xml"
out=$("$MISSIVE" check -w . "$TMP/typo.xml" 2>&1); check "a misspelt group in a condition exits 1" "$?" "1"
check "a misspelt group is an error" "$(grep -c "^$TMP/typo.xml:18:8: error: unknown group 'kz-embasies' (did you mean 'kz-embassies'?)$" <<<"$out")" "1"

# ---- issue: numbered per language, all or nothing ----
A=$TMP/archive
out=$("$MISSIVE" issue -a "$A" "$C"); check "issue exits 0" "$?" "0"
check "issue prints the table of references" "$out" \
"reference           recipient        language  files
ICEM-IMF11/RU LT/1  kz-president-ru  ru        $A/letters/000001-ICEM-IMF11-RU-LT-1.pdf, .txt, .xml
ICEM-IMF11/FR LT/1  kz-embassy-fr    fr        $A/letters/000002-ICEM-IMF11-FR-LT-1.pdf, .txt, .xml
ICEM-IMF11/DE LT/1  kz-embassy-de    de        $A/letters/000003-ICEM-IMF11-DE-LT-1.pdf, .txt, .xml
ICEM-IMF11/ES LT/1  kz-embassy-es    es        $A/letters/000004-ICEM-IMF11-ES-LT-1.pdf, .txt, .xml
ICEM-IMF11/EN LT/1  kz-embassy-gb    en        $A/letters/000005-ICEM-IMF11-EN-LT-1.pdf, .txt, .xml
ICEM-IMF11/RU LT/2  kz-embassy-ru    ru        $A/letters/000006-ICEM-IMF11-RU-LT-2.pdf, .txt, .xml"
check "six letters, one number each" "$("$MISSIVE" register list -a "$A" | cut -d' ' -f1-2 | tr '\n' ';')" \
  "ICEM-IMF11/RU LT/1;ICEM-IMF11/FR LT/1;ICEM-IMF11/DE LT/1;ICEM-IMF11/ES LT/1;ICEM-IMF11/EN LT/1;ICEM-IMF11/RU LT/2;"
check "each letter prints its own reference" \
  "$(grep -h '^Исх\|^Réf\|^Unser\|^Ref' "$A"/letters/*.txt | tr '\n' ';')" \
  "Исх. № ICEM-IMF11/RU LT/1;Réf.${nbsp}: ICEM-IMF11/FR LT/1;Unser Zeichen: ICEM-IMF11/DE LT/1;Ref.: ICEM-IMF11/ES LT/1;Ref: ICEM-IMF11/EN LT/1;Исх. № ICEM-IMF11/RU LT/2;"
"$MISSIVE" register verify -q -a "$A"; check "the register verifies" "$?" "0"
"$MISSIVE" reprint -a "$A" -o "$TMP/reprint" "ICEM-IMF11/DE LT/1" >/dev/null
check "an issued campaign letter reprints byte for byte" "$?" "0"
before=$(ls "$A/letters" | wc -l)
out=$("$MISSIVE" issue -a "$A" tests/campaign/incomplete.xml 2>&1); check "a failing campaign exits 1" "$?" "1"
check "nothing of it is issued" "$("$MISSIVE" register list -a "$A" | wc -l) $(ls "$A/letters" | wc -l)" "6 $before"
"$MISSIVE" issue -a "$A" -q "$TMP/late.xml" 2>/dev/null; check "a late failure exits 1" "$?" "1"
check "nothing of that one either" "$("$MISSIVE" register list -a "$A" | wc -l) $(ls "$A/letters" | wc -l)" "6 $before"
# Killed after the entries but before the commit: the next writer removes
# every file of the batch, and the numbers are handed out again.
(MISSIVE_FAULT=after-insert "$MISSIVE" issue -a "$A" -q "$C"; true) 2>/dev/null
check "the crash left files" "$([ "$(ls "$A/letters" | wc -l)" -gt "$before" ] && echo yes)" "yes"
"$MISSIVE" register verify -q -a "$A" >/dev/null 2>&1; check "verify cleans after the crash" "$?" "0"
check "the crashed batch left nothing" "$(ls "$A/letters" | wc -l)" "$before"
"$MISSIVE" issue -a "$A" -q --lang de "$C"
check "the next batch gets the next numbers" "$("$MISSIVE" register list -a "$A" --language de | cut -d' ' -f1-2 | tr '\n' ';')" \
  "ICEM-IMF11/DE LT/1;ICEM-IMF11/DE LT/2;"
out=$("$MISSIVE" issue -a "$A" --ref "X" "$C" 2>&1); check "--ref with a campaign exits 2" "$?" "2"

# ---- planning on every core: the same letters and errors as on one ----
# Recipients of a group or of countries are read again on the threads
# (64 or more of them); a letter without its German text names each German
# recipient, in order, on two threads as on one.
python3 bench/campaign.py "$ROOT" "$TMP/plan" 100 --mixed >/dev/null
P=$TMP/plan/ws/letters
check "100 letters planned on two threads" "$("$MISSIVE" check --jobs 2 "$P/campaign.xml" 2>&1)" \
  "$P/campaign.xml: ok (100 letters)"
python3 - "$P/campaign.xml" "$P/no-de.xml" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
text = re.sub(r'\s*<translation language="de">.*?</translation>', "", text, flags=re.S)
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
one=$("$MISSIVE" check --jobs 1 "$P/no-de.xml" 2>&1)
two=$("$MISSIVE" check --jobs 2 "$P/no-de.xml" 2>&1); check "a German recipient without text exits 1" "$?" "1"
check "two threads report what one does" "$two" "$one"
check "an error for each German recipient" "$(grep -c "error: no text in 'de' for recipient" <<<"$two")" "20"
check "the first of them, exact" "$(head -2 <<<"$two" | cut -d' ' -f1-9)" \
"$P/no-de.xml:11:22: error: no text in 'de' for recipient 'r00002':
$P/no-de.xml:11:22: error: no text in 'de' for recipient 'r00007':"
sed 's|<group ref="all"/>|<countries codes="FR DE"/>|' "$P/campaign.xml" >"$P/countries.xml"
one=$("$MISSIVE" render --jobs 1 -o "$TMP/plan1" "$P/countries.xml" | sed "s|$TMP/plan1||")
two=$("$MISSIVE" render --jobs 2 -o "$TMP/plan2" "$P/countries.xml" | sed "s|$TMP/plan2||")
check "countries planned on two threads: the letters of one" "$two" "$one"
check "the French, then the German recipients" "$(sed -n '2p;22p' <<<"$two" | tr -s ' ' | cut -d' ' -f1-3)" \
"countries-r00001 r00001 fr
countries-r00002 r00002 de"
finish
