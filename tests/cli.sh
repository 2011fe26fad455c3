#!/usr/bin/env bash
# cli.sh — the command line: help, version, usage errors and exit codes,
# check writing nothing, output names, nothing left behind on errors.
source "$(dirname "$0")/lib.sh"

out=$("$MISSIVE" --version); check "--version" "$out" "missive 0.1.0"
"$MISSIVE" --help > "$TMP/help"; check "--help exits 0" "$?" "0"
check "--help names the commands" "$(grep -c '^  render\|^  check' "$TMP/help")" "2"

"$MISSIVE" 2>"$TMP/err"; check "no command exits 2" "$?" "2"
"$MISSIVE" frobnicate letters/kazakhstan-2011.xml 2>"$TMP/err"; check "unknown command exits 2" "$?" "2"
check "unknown command message" "$(cat "$TMP/err")" "missive: error: unknown command 'frobnicate' (commands: init, render, check, issue, import, register, status, set, reprint, serve, sign, verify-pdf, help)
Try 'missive --help'"
"$MISSIVE" render 2>"$TMP/err"; check "render without letters exits 2" "$?" "2"
check "render without letters message" "$(cat "$TMP/err")" "missive: error: 'render' needs at least one letter file
Try 'missive render --help'"
"$MISSIVE" render --format pdf,doc letters/kazakhstan-2011.xml 2>"$TMP/err"; check "bad format exits 2" "$?" "2"
check "bad format message" "$(cat "$TMP/err")" "missive: error: unknown format 'doc' (formats: pdf, txt, eml)
Try 'missive render --help'"

"$MISSIVE" render --format '' letters/kazakhstan-2011.xml 2>"$TMP/err"; check "empty format exits 2" "$?" "2"
check "empty format message" "$(cat "$TMP/err")" "missive: error: --format needs pdf, txt, eml or several (pdf,txt)
Try 'missive render --help'"
"$MISSIVE" -q issue letters/kazakhstan-2011.xml 2>"$TMP/err"; check "option before issue exits 2" "$?" "2"
check "option before issue message" "$(cat "$TMP/err")" "missive: error: options go after the command: missive issue [options] ...
Try 'missive issue --help'"

# Two letters whose files would have the same name: the second is refused.
mkdir -p "$TMP/a" "$TMP/b" "$TMP/same"
sed 's|<reference>.*</reference>||' letters/kazakhstan-2011.xml > "$TMP/a/x.xml"
sed 's|<reference>.*</reference>||' letters/zhanaozen-2021.xml > "$TMP/b/x.xml"
"$MISSIVE" render -q -w . -o "$TMP/same" "$TMP/a/x.xml" "$TMP/b/x.xml" 2>"$TMP/err"
check "same output name exits 1" "$?" "1"
line=$(grep -n '<letter' "$TMP/b/x.xml" | head -1 | cut -d: -f1)
check "same output name message" "$(cat "$TMP/err")" "$TMP/b/x.xml:$line:1: error: output name 'x' is already used by $TMP/a/x.xml in this run (give the letters different references or file names)"
check "the first letter's files stay" "$(grep -c 'Nazarbaev' "$TMP/same/x.txt")" "1"

# check validates and writes nothing.
mkdir "$TMP/out"
out=$(cd "$TMP/out" && "$MISSIVE" check -w "$ROOT" "$ROOT/letters/kazakhstan-2011.xml")
check "check exits 0" "$?" "0"
check "check says ok" "$out" "$ROOT/letters/kazakhstan-2011.xml: ok"
check "check writes nothing" "$(ls -A "$TMP/out")" ""

# render names files after the reference, only the formats asked for.
out=$("$MISSIVE" render -o "$TMP/out" --format txt letters/kazakhstan-2011.xml)
check "render txt only exits 0" "$?" "0"
check "render prints what it wrote" "$out" "$TMP/out/ICEM-IMF11-EN-LT-107.txt"
check "only the text was written" "$(ls -A "$TMP/out")" "ICEM-IMF11-EN-LT-107.txt"

# A missing letter file: located error, exit 1, nothing written.
rm -f "$TMP/out"/*
"$MISSIVE" render -o "$TMP/out" letters/no-such-letter.xml 2>"$TMP/err"
check "missing letter exits 1" "$?" "1"
check "missing letter message" "$(cat "$TMP/err")" "letters/no-such-letter.xml: error: cannot read file: No such file or directory"
check "nothing written for a missing letter" "$(ls -A "$TMP/out")" ""

# An output folder that cannot be made: exit 3, the reason named.
"$MISSIVE" render -o "$TMP/none/deeper" letters/kazakhstan-2011.xml 2>"$TMP/err"
check "unwritable output exits 3" "$?" "3"
check "unwritable output message" "$(cat "$TMP/err")" "$TMP/none/deeper: error: cannot create output folder: No such file or directory"
finish
