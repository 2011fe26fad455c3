#!/usr/bin/env bash
# errors.sh — every user error in tests/error-letters/*.xml: `missive check` must
# print exactly the lines in the .err file beside it, exit 1, and `render`
# must write nothing. The letters use the root workspace.
source "$(dirname "$0")/lib.sh"
mkdir "$TMP/out"
for letter in tests/error-letters/*.xml; do
  expected=${letter%.xml}.err
  "$MISSIVE" check -w . "$letter" >"$TMP/stdout" 2>"$TMP/stderr"
  check "$letter: check exits 1" "$?" "1"
  check_file "$letter: messages" "$TMP/stderr" "$expected"
  "$MISSIVE" render -w . -o "$TMP/out" "$letter" >/dev/null 2>&1
  check "$letter: render writes nothing" "$(ls -A "$TMP/out")" ""
done
finish
