#!/usr/bin/env bash
# caches.sh — the caches change no byte (issue 17): every example letter
# and a 40-recipient campaign rendered with every cache off
# (MISSIVE_NO_CACHE=1) and on, on one thread and on two, give the same
# files; a second run with caches on gives the same files again; every PDF
# is qpdf-clean and its font programs are deflated streams.
source "$(dirname "$0")/lib.sh"

python3 bench/campaign.py "$ROOT" "$TMP/gen" 40 --mixed >/dev/null
check "campaign workspace made" "$?" "0"
# Sixty English letters whose addresses have three, four or five lines and
# whose names differ in length: the lines and text operators kept for one
# letter (pdf_lines.c, font_shown.c) must not stand in for another's at
# another height or with other subsets.
python3 bench/campaign.py "$ROOT" "$TMP/gen60" 60 >/dev/null
python3 - "$TMP/gen60/ws/letters/recipients.ini" <<'PY'
import re, sys
path = sys.argv[1]
n = [0]
def more(m):
    n[0] += 1
    extra = ["", " | Floor %d" % n[0], " | Floor %d | Wing Z%d" % (n[0], n[0] * 7)][n[0] % 3]
    return m.group(0) + extra
text = re.sub(r"^address = .*$", more, open(path).read(), flags=re.M)
text = re.sub(r"^name = Minister Number (\d*[05])$", r"name = Minister Number \1, Deputy", text,
              flags=re.M)
open(path, "w").write(text)
PY
check "varied campaign workspace made" "$?" "0"

# render NAME [env...]: the examples and the campaign into $TMP/NAME
render() {
  local name=$1; shift
  mkdir -p "$TMP/$name"
  env "$@" "$MISSIVE" render -q --jobs "${JOBS:-2}" -o "$TMP/$name/examples" letters/*.xml
  check "$name: examples render" "$?" "0"
  (cd "$TMP/gen/ws" && env "$@" "$MISSIVE" render -q --jobs "${JOBS:-2}" -o "$TMP/$name/campaign" \
    letters/campaign.xml)
  check "$name: campaign renders" "$?" "0"
  (cd "$TMP/gen60/ws" && env "$@" "$MISSIVE" render -q --jobs "${JOBS:-2}" -o "$TMP/$name/varied" \
    letters/campaign.xml)
  check "$name: varied campaign renders" "$?" "0"
}

render off MISSIVE_NO_CACHE=1
JOBS=1 render on1
render on
render again
check "campaign letters rendered" "$(ls "$TMP/on/campaign" | grep -c '\.pdf$')" "40"
check "varied letters rendered" "$(ls "$TMP/on/varied" | grep -c '\.pdf$')" "60"

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
