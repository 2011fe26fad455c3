#!/usr/bin/env bash
# streams.sh — every command that prints reports a failed write (standard
# output on /dev/full, a full disk) with a message and a non-zero exit; the
# --json reports of check, render (a campaign's table), issue and register
# verify are valid JSON (python3 -m json.tool) with the fields docs/cli.md
# documents.
source "$(dirname "$0")/lib.sh"
L=letters/kazakhstan-2011.xml
A=$TMP/archive
sed 's|<reference>.*</reference>||' "$L" > "$TMP/draft.xml"
"$MISSIVE" issue -q -w . -a "$A" "$TMP/draft.xml"
check "an archive to read" "$?" "0"

full() { # full DESCRIPTION ARGS...: missive ARGS > /dev/full must fail and say so
  local what=$1; shift
  "$MISSIVE" "$@" >/dev/full 2>"$TMP/err"
  local status=$?
  check "$what on a full disk exits 3" "$status" "3"
  check "$what on a full disk says so" "$(tail -1 "$TMP/err")" \
    "missive: error: cannot write to standard output: No space left on device"
}
full "--help" --help
full "--version" --version
full "help render" help render
full "render --help" render --help
full "check" check "$L"
full "check --json" check --json "$L"
full "render" render -o "$TMP/out" "$L"
full "render of a campaign" render -o "$TMP/camp" letters/mangystau-2011.xml
full "issue" issue -w . -a "$A" "$TMP/draft.xml"
full "issue --dry-run" issue --dry-run -w . -a "$A" "$TMP/draft.xml"
full "register list" register -a "$A" list
full "register list --json" register -a "$A" list --json
full "register show" register -a "$A" show "ICEM-IMF11/EN LT/2"
full "register verify" register -a "$A" verify
full "register verify --json" register -a "$A" verify --json
full "reprint" reprint -a "$A" -o "$TMP/re" "ICEM-IMF11/EN LT/1"
full "init" init "$TMP/ws" --organisation T
printf 'reference,date,recipient,subject\nICEM-IMF09/EN LT/1,2009-01-05,kz-president-2011,Old\n' > "$TMP/old.csv"
full "register import" register -w . -a "$A" import "$TMP/old.csv"
# A closed pipe is a write error too, not a silent death. The pipe's reading
# end is closed before missive starts ("| true" raced: when missive wrote
# before true exited, the write succeeded and it exited 0).
python3 -c 'import os, subprocess, sys
r, w = os.pipe(); os.close(r)
sys.exit(subprocess.call(sys.argv[1:], stdout=w))' "$MISSIVE" register -a "$A" list --json 2>"$TMP/err"
check "a closed pipe exits 3" "$?" "3"

# -o -: the one file on standard output, byte for byte what -o DIR writes;
# refused when there would be several files; nothing left in TMPDIR.
mkdir -p "$TMP/t" "$TMP/o"
"$MISSIVE" render -q -o "$TMP/o" "$L"
TMPDIR=$TMP/t "$MISSIVE" render -o - --format txt "$L" > "$TMP/stdout.txt"
check "-o - --format txt exits 0" "$?" "0"
check_file "-o - gives the text" "$TMP/stdout.txt" "$TMP/o/ICEM-IMF11-EN-LT-107.txt"
TMPDIR=$TMP/t "$MISSIVE" render -o - -f pdf "$L" > "$TMP/stdout.pdf"
check_file "-o - gives the PDF" "$TMP/stdout.pdf" "$TMP/o/ICEM-IMF11-EN-LT-107.pdf"
check "-o - without one format" "$(usage() { "$MISSIVE" "$@" 2>&1 >/dev/null; echo "exit $?"; }; usage render -o - "$L")" \
  "missive: error: -o - writes one file to standard output: choose it with --format pdf, --format txt or --format eml
Try 'missive render --help'
exit 2"
out=$(TMPDIR=$TMP/t "$MISSIVE" render -o - -f txt letters/mangystau-2011.xml 2>"$TMP/err")
check "-o - of a campaign exits 2" "$?" "2"
check "-o - of a campaign prints nothing" "$out" ""
check "-o - of a campaign says why" "$(cat "$TMP/err")" \
  "missive: error: letters/mangystau-2011.xml makes 6 files; standard output takes one (write them to a folder with -o DIR)"
out=$(TMPDIR=$TMP/t "$MISSIVE" render -o - -f txt tests/error-letters/unknown-name.xml 2>/dev/null)
check "-o - of a wrong letter exits 1 and prints nothing" "$?:$out" "1:"
check "-o - leaves nothing behind" "$(ls -A "$TMP/t")" ""
full "render -o -" render -o - -f txt "$L"

# -: the letter from standard input, the workspace the current folder's.
TMPDIR=$TMP/t "$MISSIVE" render -o - -f txt - < "$L" > "$TMP/stdin.txt"
check "- reads the letter from standard input" "$?" "0"
check_file "- renders the same letter" "$TMP/stdin.txt" "$TMP/o/ICEM-IMF11-EN-LT-107.txt"
out=$(TMPDIR=$TMP/t "$MISSIVE" check - < tests/error-letters/unknown-name.xml 2>&1)
check "check - of a wrong letter exits 1" "$?" "1"
check "check - locates the error in the copy of standard input" \
  "$(echo "$out" | sed "s|$TMP/t/missive-stdin-[A-Za-z0-9]*/|STDIN/|")" \
  "STDIN/stdin.xml:11:13: error: unknown name 'recipient.honorfic' (did you mean 'honorific'?)"
"$MISSIVE" check - - < "$L" 2>"$TMP/err"
check "- twice exits 2" "$?" "2"
check "- twice says why" "$(head -1 "$TMP/err")" "missive: error: standard input ('-') can be read once, not 2 times"
check "- leaves nothing behind" "$(ls -A "$TMP/t")" ""

# --json: valid, and the documented fields (entry 3 is the import above).
valid() { python3 -m json.tool >/dev/null 2>&1 && echo valid; }
field() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
out=$("$MISSIVE" check --json "$L" tests/error-letters/unknown-name.xml)
check "check --json exits 1 with an error" "$?" "1"
check "check --json is valid" "$(echo "$out" | valid)" "valid"
check "check --json: the run" "$(echo "$out" | field 'd["command"], d["status"], d["ok"], len(d["letters"])')" \
  "check 1 False 2"
check "check --json: a good letter" "$(echo "$out" | field '[d["letters"][0][k] for k in ("path", "ok", "campaign")], d["letters"][0]["documents"][0]["name"]')" \
  "['$L', True, False] ICEM-IMF11-EN-LT-107"
check "check --json: every error located" "$(echo "$out" | field 'd["letters"][1]["errors"]')" \
  "[{'file': 'tests/error-letters/unknown-name.xml', 'line': 11, 'column': 13, 'message': \"unknown name 'recipient.honorfic' (did you mean 'honorific'?)\"}]"
"$MISSIVE" check --json "$L" tests/error-letters/unknown-name.xml 2>"$TMP/err" >/dev/null
check "check --json prints no error twice" "$(cat "$TMP/err")" ""

out=$("$MISSIVE" check --json tests/campaign/limits.xml 2>"$TMP/err")
check "check --json of a campaign with warnings exits 0" "$?" "0"
check "check --json: the warnings in the letter's report" "$(echo "$out" | field '"\n".join("%s:%s:%s: %s" % (w["file"], w["line"], w["column"], w["message"]) for w in d["letters"][0]["warnings"]), d["letters"][0]["errors"]')" \
  "tests/campaign/limits.xml:16:5: paragraph limited to countries=\"FR DE\" is left out of 2 of the 2 letters in 'en': kz-president-2011, kz-embassy-gb
tests/campaign/limits.xml:21:5: paragraph limited to countries=\"!KZ\" is left out of 1 of the 2 letters in 'en': kz-president-2011 []"
check "check --json: the warnings not on stderr" "$(cat "$TMP/err")" ""
out=$("$MISSIVE" check --json --strict tests/campaign/limits.xml 2>"$TMP/err")
check "check --json --strict: the warnings as errors" "$?:$(echo "$out" | field 'len(d["letters"][0]["errors"]), d["letters"][0]["warnings"]')" "1:2 []"

out=$("$MISSIVE" render --json -o "$TMP/c2" --only kz-embassy-fr,kz-embassy-de letters/mangystau-2011.xml)
check "render --json of a campaign exits 0" "$?" "0"
check "render --json is valid" "$(echo "$out" | valid)" "valid"
check "render --json: the summary table" \
  "$(echo "$out" | field '"\n".join(" ".join([x["name"], x["recipient"], x["language"]] + x["files"]) for x in d["letters"][0]["documents"])')" \
  "mangystau-2011-kz-embassy-fr kz-embassy-fr fr $TMP/c2/mangystau-2011-kz-embassy-fr.pdf $TMP/c2/mangystau-2011-kz-embassy-fr.txt
mangystau-2011-kz-embassy-de kz-embassy-de de $TMP/c2/mangystau-2011-kz-embassy-de.pdf $TMP/c2/mangystau-2011-kz-embassy-de.txt"
check "render --json: a campaign" "$(echo "$out" | field 'd["letters"][0]["campaign"]')" "True"

out=$("$MISSIVE" issue --json -w . -a "$A" "$TMP/draft.xml")
check "issue --json exits 0" "$?" "0"
check "issue --json is valid" "$(echo "$out" | valid)" "valid"
check "issue --json: the reference and files" \
  "$(echo "$out" | field 'd["command"], d["letters"][0]["documents"][0]["reference"], [f.rsplit("/", 1)[1] for f in d["letters"][0]["documents"][0]["files"]]')" \
  "issue ICEM-IMF11/EN LT/3 ['000004-ICEM-IMF11-EN-LT-3.pdf', '000004-ICEM-IMF11-EN-LT-3.txt', '000004-ICEM-IMF11-EN-LT-3.xml']"

out=$("$MISSIVE" register -a "$A" verify --json)
check "register verify --json exits 0" "$?" "0"
check "register verify --json is valid" "$(echo "$out" | valid)" "valid"
head=$("$MISSIVE" register -a "$A" show --json "ICEM-IMF11/EN LT/3" | field 'd["hash"]')
check "register verify --json: the result and the head" \
  "$(echo "$out" | field 'd["ok"], d["entries"], d["problems"], d["head"]')" "True 4 0 $head"
out=$("$MISSIVE" register -a "$TMP/none" verify --json)
check "register verify --json of no register exits 1" "$?" "1"
check "register verify --json of no register" "$(echo "$out" | field 'd["ok"], d["entries"], d["errors"][0]["message"]')" \
  "False None no register here (nothing has been issued into this archive)"
finish
