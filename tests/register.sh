#!/usr/bin/env bash
# register.sh — issue, register and reprint end to end: the seed's own
# number imported and the next one allocated, collisions, voids, a crash
# (kill -9) at every step of issue, 8 processes issuing 50 letters each at
# once, tampering found by verify, byte-for-byte reprints without the
# workspace, legacy CSV import, JSON output, and errors leaving nothing.
source "$(dirname "$0")/lib.sh"

A=$TMP/archive
iss() { "$MISSIVE" issue -w "$ROOT" -a "$A" "$@"; }
reg() { "$MISSIVE" register -w "$ROOT" -a "$A" "$@"; }
# Issue times differ from run to run.
notime() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g'; }
# What the archive holds: every file and every entry.
state() { (cd "$1" && find . -type f ! -name 'register.sqlite*' | sort;
  python3 -c "import sqlite3; print(sqlite3.connect('register.sqlite').execute(
    'select count(*), max(id) from entries').fetchone())"); }

# A letter without a reference: the seed's text, to be numbered.
sed '/<reference>/d' letters/kazakhstan-2011.xml > "$TMP/next.xml"
sed 's|<date>|<series>PT</series><date>|' "$TMP/next.xml" > "$TMP/pt.xml"

# ---- the seed's historical number, then the next one ----
out=$(iss letters/kazakhstan-2011.xml); check "seed issue exits 0" "$?" "0"
check "the seed keeps its reference" "$out" "ICEM-IMF11/EN LT/107"
out=$(iss "$TMP/next.xml"); check "next issue exits 0" "$?" "0"
check "the next English 2011 LT letter" "$out" "ICEM-IMF11/EN LT/108"

json=$(reg show --json "ICEM-IMF11/EN LT/108")
check "show --json" "$(printf '%s' "$json" | python3 -c '
import json, sys
e = json.load(sys.stdin)
print(e["reference"], e["status"], e["origin"], e["sequence"], e["scope"], e["letter_date"],
      e["language"], e["series"], e["recipient"]["id"], e["recipient"]["country"],
      [s["id"] for s in e["signatories"]], [f["role"] for f in e["files"]], e["entry"])')" \
  "ICEM-IMF11/EN LT/108 issued numbered 108 org=ICEM-IMF;year=11;language=en;series=LT 2011-09-06 en LT kz-president-2011 KZ ['warda', 'raina'] ['pdf', 'text', 'source'] 2"
check "the seed was imported" "$(reg show --json "ICEM-IMF11/EN LT/107" |
  python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["origin"], e["sequence"])')" \
  "imported 107"
check "archived PDF carries the number" \
  "$(pdftotext "$A/letters/000002-ICEM-IMF11-EN-LT-108.pdf" - | grep -c 'Ref: ICEM-IMF11/EN LT/108')" "1"
check "archived text carries the number" \
  "$(grep -c 'Ref: ICEM-IMF11/EN LT/108' "$A/letters/000002-ICEM-IMF11-EN-LT-108.txt")" "1"

# ---- reprint, in place and from a copy of the archive alone ----
out=$("$MISSIVE" reprint -w "$ROOT" -a "$A" -o "$TMP/re" "ICEM-IMF11/EN LT/108")
check "reprint exits 0" "$?" "0"
check "reprint names its files" "$out" "$TMP/re/ICEM-IMF11-EN-LT-108.pdf
$TMP/re/ICEM-IMF11-EN-LT-108.txt"
check_file "reprinted PDF is byte for byte" "$TMP/re/ICEM-IMF11-EN-LT-108.pdf" "$A/letters/000002-ICEM-IMF11-EN-LT-108.pdf"
check_file "reprinted text is byte for byte" "$TMP/re/ICEM-IMF11-EN-LT-108.txt" "$A/letters/000002-ICEM-IMF11-EN-LT-108.txt"
cp -r "$A" "$TMP/copy"; mkdir "$TMP/empty"
(cd "$TMP/empty" && "$MISSIVE" reprint -q -a "$TMP/copy" -o "$TMP/re2" "ICEM-IMF11/EN LT/107")
check "reprint without a workspace exits 0" "$?" "0"
check_file "reprint without a workspace is byte for byte" "$TMP/re2/ICEM-IMF11-EN-LT-107.pdf" "$A/letters/000001-ICEM-IMF11-EN-LT-107.pdf"
chmod u+w "$TMP/copy/letters/000001-ICEM-IMF11-EN-LT-107.xml"
sed -i 's/Nursultan/Nursultan Ä./' "$TMP/copy/letters/000001-ICEM-IMF11-EN-LT-107.xml"
"$MISSIVE" reprint -a "$TMP/copy" -o "$TMP/re3" "ICEM-IMF11/EN LT/107" 2>"$TMP/err"
check "a changed source is not reprinted" "$?" "1"
check "changed source message" "$(sed -E 's/[0-9a-f]{64}/HASH/g' "$TMP/err")" \
  "$TMP/copy/letters/000001-ICEM-IMF11-EN-LT-107.xml: error: the archived source has changed since it was issued (SHA-256 HASH, recorded HASH): it cannot be trusted for a reprint"
check "nothing reprinted" "$(ls -A "$TMP/re3" 2>/dev/null)" ""

# ---- refusals change nothing ----
before=$(state "$A")
iss --ref "ICEM-IMF11/EN LT/108" "$TMP/next.xml" 2>"$TMP/err"
check "a taken --ref exits 1" "$?" "1"
check "a taken --ref is named" "$(notime < "$TMP/err")" \
  "missive: error: reference 'ICEM-IMF11/EN LT/108' is already in the register (entry 2, TIME)"
iss letters/kazakhstan-2011.xml 2>"$TMP/err"
check "the seed issued twice exits 1" "$?" "1"
check "the seed issued twice is named" "$(notime < "$TMP/err")" \
  "letters/kazakhstan-2011.xml:5:14: error: reference 'ICEM-IMF11/EN LT/107' is already in the register (entry 1, TIME)"
iss --ref "ICEM-IMF12/EN LT/5" "$TMP/next.xml" 2>"$TMP/err"
check "another year's --ref" "$(cat "$TMP/err")" \
  "missive: error: reference 'ICEM-IMF12/EN LT/5' is of another year than the letter's date 2011-09-06"
iss --ref "ICEM-IMF11/EN LT/0109" "$TMP/next.xml" 2>"$TMP/err"
check "a zero-padded --ref" "$(cat "$TMP/err")" \
  "missive: error: reference 'ICEM-IMF11/EN LT/0109' is not in the exact form the pattern '{org}{yy}/{LANG} {series}/{seq}' gives ('ICEM-IMF11/EN LT/109')"
sed 's/kz-president-2011/nobody/' "$TMP/next.xml" > "$TMP/bad.xml"
iss "$TMP/bad.xml" 2>"$TMP/err"
check "a wrong letter exits 1" "$?" "1"
check "a wrong letter is located" "$(cat "$TMP/err")" \
  "$TMP/bad.xml:6:14: error: unknown recipient 'nobody' in recipients.ini"
sed 's|<date>|<series>L-T</series><date>|' "$TMP/next.xml" > "$TMP/badseries.xml"
iss "$TMP/badseries.xml" 2>"$TMP/err"
check "a bad series is located" "$(cat "$TMP/err")" \
  "$TMP/badseries.xml:5:11: error: invalid series 'L-T' (1 to 16 ASCII letters and digits, e.g. LT)"
check "refusals leave no file and no entry" "$(state "$A")" "$before"

# ---- void keeps the number ----
reg void "ICEM-IMF11/EN LT/108" --reason "sent to the wrong address"
check "void exits 0" "$?" "0"
reg void "ICEM-IMF11/EN LT/108" --reason "again" 2>"$TMP/err"
check "void twice exits 1" "$?" "1"
check "void twice message" "$(notime < "$TMP/err")" \
  "missive: error: 'ICEM-IMF11/EN LT/108' is already void (since TIME: sent to the wrong address)"
check "a voided number is not handed out again" "$(iss "$TMP/next.xml")" "ICEM-IMF11/EN LT/109"
check "list shows the void" "$(reg list | sed -E 's/^(ICEM[^ ]* [^ ]*)  .*Province/\1/')" \
  "ICEM-IMF11/EN LT/107
ICEM-IMF11/EN LT/108  [void: sent to the wrong address]
ICEM-IMF11/EN LT/109"

# ---- a crash (kill -9) at every step of issue ----
expected=110
for point in after-lock after-render after-temp after-journal after-rename after-insert after-commit; do
  MISSIVE_FAULT=$point iss -q "$TMP/next.xml" 2>/dev/null
  check "crash $point kills" "$?" "137"
  reg verify >/dev/null 2>"$TMP/notes"
  check "verify is clean after a crash $point" "$?" "0"
  if [ "$point" = after-rename ]; then
    check "verify names what it cleaned" "$(sed 's/-ICEM.*,/,/' "$TMP/notes")" \
      "missive: note: removed $A/letters/000009, left by an interrupted issue
missive: note: removed $A/letters/000009, left by an interrupted issue
missive: note: removed $A/letters/000009, left by an interrupted issue"
  fi
  [ "$point" = after-commit ] && expected=$((expected + 1)) # that one was issued
  check "next number after a crash $point" "$(iss "$TMP/next.xml")" "ICEM-IMF11/EN LT/$expected"
  expected=$((expected + 1))
done
check "no leftovers after the crashes" "$(find "$A" -name '*.tmp' -o -name '*.journal')" ""
out=$(reg verify); check "verify after the crashes" "$?" "0"
check "verify says ok" "$(sed -E 's/head [0-9a-f]{64}/head HASH/' <<< "$out")" "$A: 12 entries, head HASH: ok"
check "numbers are consecutive" "$(reg list --json | python3 -c '
import json, sys; print([e["sequence"] for e in json.load(sys.stdin)])')" \
  "[107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117]"

# ---- list: filters and JSON a script can rely on ----
check "list --json fields" "$(reg list --json --year 2011 --country KZ --language en \
  --recipient Nazarbaev --signatory RAINA --search 'MANGYSTAU' | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d), sorted(d[0].keys()), sorted(d[0]["files"][0].keys()))')" \
  "11 ['entry', 'files', 'hash', 'language', 'letter_date', 'libraries', 'office', 'origin', 'recipient', 'recorded_at', 'reference', 'scope', 'sequence', 'series', 'signatories', 'signed_pdf', 'status', 'subject', 'template', 'void_reason', 'voided_at'] ['path', 'role', 'sha256', 'size']"
check "a filter matching nothing" "$(reg list --json --year 2012)" "[]"
check "list --series: the series exactly" "$(reg list --series LT | wc -l) $(reg list --series lt | wc -l) $(reg list --series PT | wc -l)" "11 0 0"

# ---- tampering ----
declare -A msgs
for t in byte row middle last; do
  rm -rf "$TMP/t"; cp -r "$A" "$TMP/t"
  case $t in
    byte) f="$TMP/t/letters/000004-ICEM-IMF11-EN-LT-109.pdf"; chmod u+w "$f"
          printf 'X' | dd of="$f" bs=1 seek=1000 conv=notrunc 2>/dev/null ;;
    row) python3 -c "import sqlite3; c = sqlite3.connect('$TMP/t/register.sqlite')
c.execute(\"update entries set subject = 'Nothing' where id = 4\"); c.commit()" ;;
    middle) python3 -c "import sqlite3; c = sqlite3.connect('$TMP/t/register.sqlite')
c.execute('delete from entries where id = 4'); c.execute('delete from files where entry_id = 4'); c.commit()" ;;
    last) python3 -c "import sqlite3; c = sqlite3.connect('$TMP/t/register.sqlite')
c.execute('delete from entries where id = 12'); c.execute('delete from files where entry_id = 12'); c.commit()" ;;
  esac
  "$MISSIVE" register -a "$TMP/t" verify 2>"$TMP/err" >/dev/null
  check "verify fails after tampering ($t)" "$?" "4"
  msgs["$t"]=$(sed -E 's/[0-9a-f]{64}/HASH/g; s/[0-9a-f]{12}\.\.\./H.../g' "$TMP/err")
done
R=$TMP/t/register.sqlite
check "a flipped byte is named" "${msgs[byte]}" \
  "$TMP/t/letters/000004-ICEM-IMF11-EN-LT-109.pdf: error: archived pdf of ICEM-IMF11/EN LT/109 (entry 4) has changed: SHA-256 HASH, $(stat -c %s "$A/letters/000004-ICEM-IMF11-EN-LT-109.pdf") bytes; the register recorded HASH, $(stat -c %s "$A/letters/000004-ICEM-IMF11-EN-LT-109.pdf") bytes
missive: register verify found 1 problem in $TMP/t"
check "an edited row is named" "${msgs[row]}" \
  "$R: error: entry 4 (ICEM-IMF11/EN LT/109): its content does not match its hash (the entry was edited)
missive: register verify found 1 problem in $TMP/t"
check "a deleted entry is named" "${msgs[middle]}" \
  "$R: error: entry 4 is missing (deleted from the register)
$R: error: entry 5 (ICEM-IMF11/EN LT/110): its link to the entry before is broken (an earlier entry was edited, deleted or reordered)
$R: error: entry 5 (ICEM-IMF11/EN LT/110): number 110 is not one above the highest its scope held before (108): numbers were skipped or given twice
$TMP/t/letters/000004-ICEM-IMF11-EN-LT-109.pdf: error: no entry records this file (an orphan: its entry was deleted, or the file was put there by hand)
$TMP/t/letters/000004-ICEM-IMF11-EN-LT-109.txt: error: no entry records this file (an orphan: its entry was deleted, or the file was put there by hand)
$TMP/t/letters/000004-ICEM-IMF11-EN-LT-109.xml: error: no entry records this file (an orphan: its entry was deleted, or the file was put there by hand)
missive: register verify found 6 problems in $TMP/t"
check "a deleted last entry is named" "$(head -1 <<< "${msgs[last]}")" \
  "$R: error: the register's head records 12 entries ending in H..., but the chain has 11 ending in H... (entries deleted at the end, or the head edited)"
"$MISSIVE" issue -w "$ROOT" -a "$TMP/t" "$TMP/next.xml" 2>"$TMP/err"
check "no number is handed out after the end was cut off" "$?" "4"

# ---- a register edited to name a file outside the archive, with its hash:
# reprint --original hands out nothing of it ----
rm -rf "$TMP/t" "$TMP/o"; cp -r "$A" "$TMP/t"; mkdir -p "$TMP/o"
printf 'secret line\n' > "$TMP/secret.txt"
python3 -c "import hashlib, sqlite3; d = open('$TMP/secret.txt', 'rb').read()
c = sqlite3.connect('$TMP/t/register.sqlite')
c.execute(\"update files set path = '../secret.txt', sha256 = ?, size = ? where entry_id = 4 and role = 'pdf'\", (hashlib.sha256(d).hexdigest(), len(d))); c.commit()"
"$MISSIVE" reprint -a "$TMP/t" -o "$TMP/o" --original 'ICEM-IMF11/EN LT/109' >"$TMP/out" 2>"$TMP/err"
check "a recorded path outside the archive is refused" "$?" "4"
check "... with the reason" "$(grep -c "outside the archive folder" "$TMP/err")" "1"
check "... and nothing of the file anywhere" "$(cat "$TMP/out" "$TMP/err" "$TMP"/o/* 2>/dev/null | grep -c 'secret line')" "0"

# ---- a font copy changed or gone: verify names it, reprint refuses ----
font=$(sha256sum fonts/LiberationSerif-Regular.ttf | cut -c1-64)
for t in changed removed; do
  rm -rf "$TMP/b"; cp -r "$A" "$TMP/b"; chmod u+w "$TMP/b/blobs/$font"
  case $t in
    changed) printf 'X' >> "$TMP/b/blobs/$font" ;;
    removed) rm "$TMP/b/blobs/$font" ;;
  esac
  "$MISSIVE" register -a "$TMP/b" verify 2>"$TMP/err" >/dev/null
  check "verify exits 4 with a font copy $t" "$?" "4"
  if [ $t = changed ]; then
    expected="$TMP/b/blobs/$font: error: font or image copy does not match its name (its SHA-256): it has changed
missive: register verify found 1 problem in $TMP/b"
  else # every intact source that needs it says so
    expected=$(for x in "$TMP"/b/letters/*.xml; do
      echo "$TMP/b/blobs/$font: error: the font or image that $x names is missing"; done
      echo "missive: register verify found $(ls "$TMP"/b/letters/*.xml | wc -l) problems in $TMP/b")
  fi
  check "verify names the font copy $t" "$(cat "$TMP/err")" "$expected"
  "$MISSIVE" reprint -a "$TMP/b" -o "$TMP/rb-$t" "ICEM-IMF11/EN LT/109" 2>"$TMP/err"
  check "reprint with a font copy $t exits 1" "$?" "1"
  source_xml="$TMP/b/letters/000004-ICEM-IMF11-EN-LT-109.xml"
  if [ $t = changed ]; then
    expected="$TMP/b/blobs/$font: error: the font or image that $source_xml names has changed since it was archived (SHA-256 $(sha256sum "$TMP/b/blobs/$font" | cut -c1-64))"
  else
    expected="$TMP/b/blobs/$font: error: the font or image that $source_xml names is missing"
  fi
  check "reprint names the font copy $t" "$(cat "$TMP/err")" "$expected"
  check "nothing reprinted with a font copy $t" "$(ls -A "$TMP/rb-$t" 2>/dev/null)" ""
done

# ---- recovery removes only what missive made ----
rm -rf "$TMP/r"; cp -r "$A" "$TMP/r"
for f in x.tmp letters/notes.tmp blobs/y.tmp letters/000013-X.pdf.missive-aB3xY9.tmp; do
  echo hand > "$TMP/r/$f"
done
"$MISSIVE" register -a "$TMP/r" verify 2>"$TMP/err" >/dev/null
check "verify reports stray files" "$?" "4"
check "stray files are orphans, missive's temporary is removed" "$(cat "$TMP/err")" \
  "missive: note: removed $TMP/r/letters/000013-X.pdf.missive-aB3xY9.tmp, left by an interrupted issue
$TMP/r/letters/notes.tmp: error: no entry records this file (an orphan: its entry was deleted, or the file was put there by hand)
$TMP/r/blobs/y.tmp: error: missive did not make this file: copies of fonts and images are named by their SHA-256 (an orphan: put there by hand?)
$TMP/r/x.tmp: error: missive did not make this file (an orphan in the archive folder: put there by hand?)
missive: register verify found 3 problems in $TMP/r"
check "stray files are kept" "$(cat "$TMP/r/x.tmp" "$TMP/r/letters/notes.tmp" "$TMP/r/blobs/y.tmp")" "hand
hand
hand"
rm "$TMP/r/x.tmp" "$TMP/r/letters/notes.tmp" "$TMP/r/blobs/y.tmp"
# void and import clean up too (under the lock, before they record)
for cmd in void import; do
  echo hand > "$TMP/r/letters/000013-X.pdf"
  printf 'letters/000013-X.pdf\n' > "$TMP/r/pending.journal"
  echo hand > "$TMP/r/letters/000013-X.txt.missive-Qw12Er.tmp"
  if [ $cmd = void ]; then
    "$MISSIVE" register -a "$TMP/r" void "ICEM-IMF11/EN LT/110" --reason test 2>"$TMP/err"
  else
    printf 'reference,date\nICEM-IMF11/EN LT/90,2011-01-03\n' > "$TMP/one.csv"
    "$MISSIVE" register -w "$ROOT" -a "$TMP/r" import "$TMP/one.csv" 2>"$TMP/err" >/dev/null
  fi
  check "$cmd after a crash exits 0" "$?" "0"
  check "$cmd cleans what a crash left" "$(cat "$TMP/err")" \
    "missive: note: removed $TMP/r/letters/000013-X.pdf, left by an interrupted issue
missive: note: removed $TMP/r/letters/000013-X.txt.missive-Qw12Er.tmp, left by an interrupted issue"
  check "$cmd leaves no journal" "$(ls "$TMP/r/pending.journal" 2>/dev/null)" ""
done
"$MISSIVE" register -a "$TMP/r" verify -q; check "verify is clean after void and import" "$?" "0"
# a leftover that cannot be removed is an error: issue says so in its status
mkdir "$TMP/r/letters/000013-stuck"
printf 'letters/000013-stuck\n' > "$TMP/r/pending.journal"
out=$("$MISSIVE" issue -w "$ROOT" -a "$TMP/r" "$TMP/next.xml" 2>"$TMP/err")
check "issue with a leftover it cannot remove exits 3" "$?" "3"
check "issue still issues the letter" "$out" "ICEM-IMF11/EN LT/118"
check "issue names the leftover" "$(cat "$TMP/err")" \
  "$TMP/r/letters/000013-stuck: error: cannot remove a leftover of an interrupted issue: Is a directory"

# ---- legacy CSV ----
B=$TMP/imported
cat > "$TMP/legacy.csv" <<'EOF'
reference,date,recipient,country,subject,signatories
ICEM-IMF11/EN LT/105,2011-08-30,Minister of Labour,KZ,"Strike in Zhanaozen, first letter",Manfred Warda; Jyrki Raina
ICEM-IMF11/EN LT/106,2011-09-01,Prosecutor General,KZ,Sokolova case,Manfred Warda
EOF
out=$("$MISSIVE" register -w "$ROOT" -a "$B" import "$TMP/legacy.csv")
check "CSV import" "$out" "$TMP/legacy.csv: 2 references imported"
check "the counter continues after the highest imported" \
  "$("$MISSIVE" issue -w "$ROOT" -a "$B" "$TMP/next.xml")" "ICEM-IMF11/EN LT/107"
printf 'reference,date,colour\nICEM-IMF11/EN LT/106,2011-09-01,red\nICEM-IMF11/EN LT/200,2012-01-01,\nICEM-IMF11/EN LT/201,2011-02-30,\nICEM-IMF11/EN LT/202,2011-01-01,\nICEM-IMF11/EN LT/202,2011-01-01,\n' > "$TMP/bad.csv"
before=$(state "$B")
"$MISSIVE" register -w "$ROOT" -a "$B" import "$TMP/bad.csv" 2>"$TMP/err"
check "a bad CSV exits 1" "$?" "1"
check "a bad CSV: every error, located" "$(notime < "$TMP/err")" \
  "$TMP/bad.csv:1:16: error: unknown column 'colour' (columns: reference, date, language, series, country, recipient, subject, signatories)
$TMP/bad.csv:2:1: error: reference 'ICEM-IMF11/EN LT/106' is already in the register (entry 2, TIME)
$TMP/bad.csv:3:22: error: date 2012-01-01 is not in the reference's year
$TMP/bad.csv:4:22: error: invalid date '2011-02-30' (expected a real day as yyyy-mm-dd)
$TMP/bad.csv:6:1: error: reference 'ICEM-IMF11/EN LT/202' appears twice (first at line 5)"
check "a bad CSV imports nothing" "$(state "$B")" "$before"
printf '' > "$TMP/empty.csv"; printf '\n\n  \n\n' > "$TMP/blank.csv"
for f in empty blank; do
  "$MISSIVE" register -w "$ROOT" -a "$B" import "$TMP/$f.csv" 2>"$TMP/err"
  check "a CSV with no header ($f) exits 1" "$?" "1"
  check "a CSV with no header ($f)" "$(cat "$TMP/err")" \
    "$TMP/$f.csv:1:1: error: no header row (expected columns: reference, date, language, series, country, recipient, subject, signatories)"
done
"$MISSIVE" register -w "$ROOT" -a "$B" import "$TMP" 2>"$TMP/err"
check "importing a folder exits 1" "$?" "1"
check "importing a folder" "$(cat "$TMP/err")" "$TMP: error: the file is a folder: only regular files are read"
check "CSVs that cannot be read import nothing" "$(state "$B")" "$before"

# ---- 8 processes x 50 letters at once: exactly 1..400 ----
C=$TMP/concurrent
letters=(); for i in $(seq 50); do letters+=("$TMP/pt.xml"); done
for p in $(seq 8); do
  "$MISSIVE" issue -q -w "$ROOT" -a "$C" "${letters[@]}" 2>"$TMP/conc.$p" &
done
wait
# a process that waits long for its turn says so; nothing else is said
check "concurrent issues report no error" "$(cat "$TMP"/conc.* | grep -v '^missive: note: waiting for the register, held by another missive since ')" ""
check "8 x 50 concurrent issues give 1..400 once each" \
  "$("$MISSIVE" register -a "$C" list --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d), sorted(e["sequence"] for e in d) == list(range(1, 401)), len({e["reference"] for e in d}),
      {e["scope"] for e in d})')" \
  "400 True 400 {'org=ICEM-IMF;year=11;language=en;series=PT'}"
"$MISSIVE" register -a "$C" verify -q; check "verify after concurrent issues" "$?" "0"

# ---- drafts are reproducible ----
SOURCE_DATE_EPOCH=1315267200 "$MISSIVE" render -q -w "$ROOT" -o "$TMP/d1" "$TMP/next.xml"
SOURCE_DATE_EPOCH=1315267200 "$MISSIVE" render -q -w "$ROOT" -o "$TMP/d2" "$TMP/next.xml"
check_file "a draft renders byte for byte again" "$TMP/d1/next.pdf" "$TMP/d2/next.pdf"
SOURCE_DATE_EPOCH=yesterday "$MISSIVE" render -w "$ROOT" -o "$TMP/d3" "$TMP/next.xml" 2>"$TMP/err"
check "a bad SOURCE_DATE_EPOCH exits 1" "$?" "1"
check "a bad SOURCE_DATE_EPOCH is named" "$(cat "$TMP/err")" \
  "missive: error: SOURCE_DATE_EPOCH 'yesterday' is not a number of seconds since 1970 (up to the year 9999)"

# ---- a bad pattern in missive.ini is reported by every command ----
mkdir "$TMP/ws" && cp -r missive.ini letters templates fonts "$TMP/ws/"
sed -i 's|^pattern = .*|pattern = {org}{yy}/{LNG} {series}/{seq}|' "$TMP/ws/missive.ini"
line=$(grep -n '^pattern = ' "$TMP/ws/missive.ini" | cut -d: -f1)
"$MISSIVE" check "$TMP/ws/letters/kazakhstan-2011.xml" 2>"$TMP/err"
check "check refuses a bad pattern" "$?" "1"
check "a bad pattern is located" "$(cat "$TMP/err")" \
  "$TMP/ws/missive.ini:$line:21: error: unknown part '{LNG}' in the reference pattern (parts: {org}, {yy}, {yyyy}, {LANG}, {lang}, {series}, {country}, {office}, {seq}, {seq:N} with N from 1 to 9)"

# ---- the command line ----
"$MISSIVE" register 2>"$TMP/err"; check "register alone exits 2" "$?" "2"
check "register alone message" "$(cat "$TMP/err")" \
  "missive: error: register needs a command (list, show, verify, void, import, migrate)
Try 'missive register --help'"
reg void "ICEM-IMF11/EN LT/109" 2>"$TMP/err"; check "void without a reason exits 2" "$?" "2"
check "void without a reason message" "$(cat "$TMP/err")" \
  "missive: error: 'register void' needs --reason TEXT (why the letter is void)
Try 'missive register void --help'"
reg verify --year 2011 2>"$TMP/err"; check "an option that does not apply exits 2" "$?" "2"
check "an option that does not apply" "$(cat "$TMP/err")" \
  "missive: error: --year does not apply to 'register verify'
Try 'missive register verify --help'"
reg show "ICEM-IMF99/EN LT/1" 2>"$TMP/err"; check "show of an unknown reference exits 1" "$?" "1"
check "show of an unknown reference" "$(cat "$TMP/err")" \
  "missive: error: no reference 'ICEM-IMF99/EN LT/1' in the register"
"$MISSIVE" register -a "$TMP/none" list 2>"$TMP/err"; check "list of no archive exits 1" "$?" "1"
check "list of no archive" "$(cat "$TMP/err")" \
  "$TMP/none: error: no register here (nothing has been issued into this archive)"
check "list of no archive creates nothing" "$(ls -d "$TMP/none" 2>/dev/null)" ""
# an empty folder name is a usage error, not the current folder or a crash
"$MISSIVE" issue -w "$ROOT" -a '' "$TMP/next.xml" 2>"$TMP/err"
check "issue -a '' exits 2" "$?" "2"
check "issue -a ''" "$(cat "$TMP/err")" "missive: error: option '-a' needs a folder
Try 'missive issue --help'"
"$MISSIVE" register --archive= list 2>"$TMP/err"
check "register --archive= exits 2" "$?" "2"
check "register --archive=" "$(cat "$TMP/err")" "missive: error: option '--archive' needs a folder
Try 'missive register list --help'"
"$MISSIVE" reprint -a "$A" -o '' "ICEM-IMF11/EN LT/108" 2>"$TMP/err"
check "reprint -o '' exits 2" "$?" "2"
check "reprint -o ''" "$(cat "$TMP/err")" "missive: error: option '-o' needs a folder
Try 'missive reprint --help'"
finish
