#!/usr/bin/env bash
# petition.sh — the petition benchmark: the example petition
# (letters/petition-2022.xml) with 10,000 and 100,000 generated signers
# (bench/make-signers.py, realistic noise: duplicates, blank rows, wrong
# rows left out with --skip-invalid-signers), rendered to PDF, to text and to
# both, on one core (taskset -c 0). Prints a Markdown table: signers listed,
# pages, output sizes, median wall time of RUNS runs, user and system CPU
# seconds and peak memory (/usr/bin/time -v) of the median run, and the
# 100,000/10,000 time ratio per format.
#
#   bench/petition.sh [MISSIVE]   (default build/src/missive; RUNS=3 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
MISSIVE=${1:-build/src/missive}
RUNS=${RUNS:-3}
WORK=$(mktemp -d /tmp/missive-petition.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -x /usr/bin/time ] || { echo "petition.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }

# run N FORMAT -> "wall user sys peak_kb" of the median run (by wall time)
run() {
  local n=$1 format=$2
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" taskset -c 0 "$MISSIVE" render -q -w . \
      -o "$WORK/out" --format "$format" --skip-invalid-signers "$WORK/petition-$n.xml" 2>"$WORK/stderr"
    cat "$WORK/time"
  done | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

declare -A WALL
echo "| signers (rows) | format | pages | output | wall s | user s | sys s | peak MB |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in 10000 100000; do
  python3 bench/make-signers.py "$n" "$WORK/signers-$n.csv" --seed "$n"
  sed "s#petitions/oil-workers-2022.csv#$WORK/signers-$n.csv#" letters/petition-2022.xml \
    >"$WORK/petition-$n.xml"
  for format in pdf txt pdf,txt; do
    read -r wall user sys peak < <(run "$n" "$format")
    WALL[$n,$format]=$wall
    listed=$(sed -n 's/.*: \([0-9]*\) signers;.*/\1/p' "$WORK/stderr")
    pages=-
    [ -f "$WORK/out/IA-ITUC22-EN-PT-12.pdf" ] &&
      pages=$(pdfinfo "$WORK/out/IA-ITUC22-EN-PT-12.pdf" | awk '/^Pages:/ { print $2 }')
    size=$(cat "$WORK"/out/IA-ITUC22-EN-PT-12.{pdf,txt} 2>/dev/null | wc -c || true)
    printf '| %s (%s) | %s | %s | %s KB | %s | %s | %s | %s |\n' "$listed" "$n" "$format" \
      "$pages" "$((size / 1024))" "$wall" "$user" "$sys" "$((peak / 1024))"
  done
done
echo
for format in pdf txt pdf,txt; do
  echo "$format: 100,000 rows take $(echo "${WALL[100000,$format]} ${WALL[10000,$format]}" |
    awk '{ printf "%.1f", $1 / $2 }') times as long as 10,000"
done
