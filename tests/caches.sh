#!/usr/bin/env bash
# caches.sh — the caches change no byte (issue 17): every example letter
# and a 40-recipient campaign rendered with every cache off
# (MISSIVE_NO_CACHE=1) and on, on one thread and on two, give the same
# files; a second run with caches on gives the same files again; every PDF
# is qpdf-clean and its font programs are deflated streams.
source "$(dirname "$0")/lib.sh"

python3 bench/campaign.py "$ROOT" "$TMP/gen" 40 --mixed >/dev/null
check "campaign workspace made" "$?" "0"

# render NAME [env...]: the examples and the campaign into $TMP/NAME
render() {
  local name=$1; shift
  mkdir -p "$TMP/$name"
  env "$@" "$MISSIVE" render -q --jobs "${JOBS:-2}" -o "$TMP/$name/examples" letters/*.xml
  check "$name: examples render" "$?" "0"
  (cd "$TMP/gen/ws" && env "$@" "$MISSIVE" render -q --jobs "${JOBS:-2}" -o "$TMP/$name/campaign" \
    letters/campaign.xml)
  check "$name: campaign renders" "$?" "0"
}

render off MISSIVE_NO_CACHE=1
JOBS=1 render on1
render on
render again
check "campaign letters rendered" "$(ls "$TMP/on/campaign" | grep -c '\.pdf$')" "40"

for run in on1 on again; do
  for f in "$TMP"/off/*/*; do
    rel=${f#"$TMP/off/"}
    check_file "$run: $rel as with caches off" "$TMP/$run/$rel" "$f"
  done
  check "$run: no file more than with caches off" \
    "$(cd "$TMP/$run" && find . -type f | sort)" "$(cd "$TMP/off" && find . -type f | sort)"
done

for pdf in "$TMP"/on/*/*.pdf; do
  qpdf --check "$pdf" >"$TMP/qpdf" 2>&1
  check "$(basename "$pdf"): qpdf --check clean" \
    "$(grep -c 'No syntax or stream encoding errors found' "$TMP/qpdf")" "1"
done
# The font programs come deflated from the subset cache: qpdf inflates them.
pdf=$TMP/on/campaign/$(ls "$TMP/on/campaign" | grep '\.pdf$' | tail -1)
obj=$(qpdf --json "$pdf" | python3 -c '
import json, sys
objs = json.load(sys.stdin)["qpdf"][1]
print(next(k.split()[0][4:] for k, v in objs.items()
           if "stream" in v and "/Length1" in v["stream"]["dict"]))')
check "a cached font program is a deflated TrueType font" \
  "$(qpdf --show-object="$obj" --filtered-stream-data "$pdf" | head -c 4 | od -An -tx1 | tr -d ' ')" \
  "00010000"

finish
