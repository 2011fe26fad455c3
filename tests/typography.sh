#!/usr/bin/env bash
# typography.sh — the layout report on every example letter: valid JSON, one
# entry per line set in the PDF, word spaces and widths within issue 10's
# limits, Knuth-Plass demerits at most the old breaker's on every paragraph
# (tests/layout_report.py); errors of --layout-report.
source "$(dirname "$0")/lib.sh"

"$MISSIVE" render -q -o "$TMP/out" --layout-report "$TMP/layout.json" letters/*.xml >/dev/null 2>&1
check "render with --layout-report exits 0" "$?" "0"
python3 -m json.tool "$TMP/layout.json" >/dev/null 2>&1; check "the report is valid JSON" "$?" "0"
documents=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["documents"]))' "$TMP/layout.json")
check "one document per PDF" "$documents" "$(ls "$TMP"/out/*.pdf | wc -l)"
out=$(python3 tests/layout_report.py "$TMP/layout.json" "$TMP"/out/*.pdf 2>&1)
check "layout figures within limits: $out" "$?" "0"

# A check writes no report; a report that cannot be written is an output error.
"$MISSIVE" check -q --layout-report "$TMP/none.json" letters/kazakhstan-2011.xml >/dev/null 2>&1
check "check exits 0" "$?" "0"
check "check writes no report" "$([ -e "$TMP/none.json" ] && echo written)" ""
err=$("$MISSIVE" render -q -o "$TMP/out2" --layout-report "$TMP/no/such/dir/r.json" letters/kazakhstan-2011.xml 2>&1)
check "unwritable report exits 3" "$?" "3"
check "unwritable report says where" "$(printf '%s' "$err" | grep -c "$TMP/no/such/dir/r.json")" "1"
finish
