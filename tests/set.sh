#!/usr/bin/env bash
# set.sh — `missive set`: one value changed in place, every other byte of
# the file as it was (compared with the file edited by a script at the
# value's known offset); what it refuses, each refusal a located error
# with the file untouched and nothing left beside it.
source "$(dirname "$0")/lib.sh"
W=$TMP/ws
mkdir "$W"
cp -r missive.ini letters templates fonts "$W/"
cd "$W"
R=letters/recipients.ini
L=letters/kazakhstan-2011.xml

# expected FILE OLD NEW LINE: the file with OLD replaced once on LINE only.
expected() {
  python3 - "$@" <<'PY'
import sys
path, old, new, line = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode(), int(sys.argv[4])
lines = open(path, 'rb').read().split(b'\n')
assert lines[line - 1].count(old) == 1
lines[line - 1] = lines[line - 1].replace(old, new)
sys.stdout.buffer.write(b'\n'.join(lines))
PY
}
untouched() { # untouched DESCRIPTION FILE COPY: same bytes, no temporary beside it
  check_file "$1: the file untouched" "$2" "$3"
  check "$1: nothing left beside it" "$(ls -a "$(dirname "$2")" | grep -c missive-)" "0"
}

# ---- a recipient's salutation ----
line=$(grep -n '^salutation = Dear Mr. President$' $R | head -1 | cut -d: -f1)
expected $R 'Dear Mr. President' 'Dear President Nazarbayev' "$line" > "$TMP/want.ini"
out=$("$MISSIVE" set $R kz-president-2011 salutation 'Dear President Nazarbayev')
check "set a salutation: exit 0" "$?" "0"
check "says where and what" "$out" "$R:$line:14: salutation: 'Dear Mr. President' -> 'Dear President Nazarbayev'"
check_file "only those bytes changed (comments, spacing, the other recipients kept)" $R "$TMP/want.ini"
check "the letter now greets so" "$("$MISSIVE" render $L --format txt -o - | grep -c '^Dear President Nazarbayev,$')" "1"
check "no temporary left" "$(ls -a letters | grep -c missive-)" "0"

# ---- a letter's date ----
line=$(grep -n '<date>2011-09-06</date>' $L | cut -d: -f1)
expected $L '2011-09-06' '2011-09-07' "$line" > "$TMP/want.xml"
out=$("$MISSIVE" set $L date 2011-09-07)
check "set a date: exit 0" "$?" "0"
col=$(awk '/<date>/ { print index($0, "<date>") + 6; exit }' $L)
check "says where" "$out" "$L:$line:$col: date: '2011-09-06' -> '2011-09-07'"
check_file "only the date's bytes changed" $L "$TMP/want.xml"
check "and the letter checks" "$("$MISSIVE" check $L)" "$L: ok"

# ---- refused: each a located error, exit non-zero, nothing changed ----
cp $R "$TMP/r.ini"; cp $L "$TMP/l.xml"
refused() { # refused DESCRIPTION EXPECTED-STDERR EXIT ARGS...
  local what=$1 want=$2 code=$3; shift 3
  "$MISSIVE" set "$@" >/dev/null 2>"$TMP/err"
  check "$what: exit $code" "$?" "$code"
  check "$what: the error" "$(cat "$TMP/err")" "$want"
}
refused "a day that does not exist" \
  "$L:$line:$col: error: invalid date '2011-02-30' (expected a real day as yyyy-mm-dd)" 1 $L date 2011-02-30
untouched "an invalid date" $L "$TMP/l.xml"
sec=$(grep -n '^\[kz-president-2011\]$' $R | cut -d: -f1)
refused "a key that is not there" \
  "$R:$sec:2: error: no key 'honorific' in [kz-president-2011]: missive set changes a value, it adds none" 1 \
  $R kz-president-2011 honorific 'Sir'
refused "a section that is not there" "$R: error: no section [nobody]" 1 $R nobody salutation 'Sir'
sal=$(grep -n '^salutation = Dear Mr. President$' $R | head -1 | cut -d: -f1)
refused "a value the INI file would need quotes for" \
  "$R:$sal:14: error: cannot write 'Dear Sir; Madam' here: it holds ';' or '#', which the INI file would need quotes for" 1 \
  $R kz-president-2021 salutation 'Dear Sir; Madam'
# (An error is one line: the line break is printed as a space.)
refused "a line break" \
  "missive: error: cannot write 'Dear Sir' into $R: it holds a line break or a control character" 2 \
  $R kz-president-2021 salutation $'Dear\nSir'
refused "an empty value" "missive: error: cannot write '' into $R: it is empty" 2 $R kz-president-2021 salutation ''
refused "a letter's other element" \
  "missive: error: missive set changes a value of an INI file (FILE.ini SECTION KEY VALUE) or a letter's date (LETTER.xml date VALUE), not '$L subject'" 2 \
  $L subject 'Another'
untouched "the refusals" $R "$TMP/r.ini"
# A quoted value is not changed in place (the quotes would have to be
# rewritten too).
sed -i 's/^salutation = Dear Mr. Lukashenko$/salutation = "Dear Mr. Lukashenko"/' $R
cp $R "$TMP/q.ini"
q=$(grep -n '"Dear Mr. Lukashenko"' $R | cut -d: -f1)
refused "a quoted value" "$R:$q:15: error: the value is quoted in the file: change it with an editor" 1 \
  $R by-president-2023 salutation 'Dear President'
untouched "a quoted value" $R "$TMP/q.ini"
# The date written with an entity is not the date's plain bytes.
python3 -c "import sys; p = sys.argv[1]; t = open(p).read(); open(p, 'w').write(t.replace('<date>2011-09-07<', '<date>2011-09-0&#55;<'))" $L
cp $L "$TMP/e.xml"
refused "a date written with a character reference" \
  "$L:$line:$col: error: the value is not written plainly here (quoted, escaped or split): change it with an editor" 1 \
  $L date 2011-09-08
untouched "an escaped date" $L "$TMP/e.xml"
check "set --help names both forms" "$("$MISSIVE" set --help | head -1)" \
  "usage: missive set FILE.ini SECTION KEY VALUE | LETTER.xml date VALUE [options]"
finish
