#!/usr/bin/env bash
# petition.sh — the petition benchmark: the example petition
# (letters/petition-2022.xml) with generated signers (bench/make-signers.py,
# seed = the count, realistic noise: duplicates, blank rows, wrong rows left
# out with --skip-invalid-signers), rendered to PDF, to text and to both, on
# one core (taskset -c 0), in a copy of the example workspace (signers files
# must be inside it). Prints a Markdown table: signers listed, pages, output
# sizes, median wall time of RUNS runs, user and system CPU seconds and peak
# memory (/usr/bin/time -v's maximum resident set) of the median run, and
# each size's time against the smallest's.
#
#   bench/petition.sh [MISSIVE]   (default build/src/missive)
#   RUNS=3 (runs per row)  SIZES="10000 100000 1000000"  FORMATS="pdf txt pdf,txt"
#   CACHE=/tmp/missive-bench-signers (generated lists are kept there: a
#   million rows take make-signers.py minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
MISSIVE=$(realpath "${1:-build/src/missive}")
RUNS=${RUNS:-3}
SIZES=${SIZES:-10000 100000 1000000}
FORMATS=${FORMATS:-pdf txt pdf,txt}
CACHE=${CACHE:-/tmp/missive-bench-signers}
WORK=$(mktemp -d /tmp/missive-petition.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -x /usr/bin/time ] || { echo "petition.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
cp -r missive.ini letters templates fonts "$WORK"/
mkdir -p "$CACHE"

# run N FORMAT -> "wall user sys peak_kb" of the median run (by wall time)
run() {
  local n=$1 format=$2
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    (cd "$WORK" && /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" taskset -c 0 "$MISSIVE" \
      render -q -o out --format "$format" --skip-invalid-signers "letters/petition-$n.xml" \
      2>"$WORK/stderr") || { cat "$WORK/stderr" >&2; exit 1; }
    cat "$WORK/time"
  done | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

declare -A WALL
echo "| signers (rows) | format | pages | output | wall s | user s | sys s | peak MB |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $SIZES; do
  [ -f "$CACHE/signers-$n.csv" ] ||
    { python3 bench/make-signers.py "$n" "$CACHE/signers-$n.csv.tmp" --seed "$n" &&
      mv "$CACHE/signers-$n.csv.tmp" "$CACHE/signers-$n.csv"; }
  # A symlink out of the workspace would be refused: the list itself goes in.
  cp "$CACHE/signers-$n.csv" "$WORK/letters/petitions/signers-$n.csv"
  sed "s#petitions/oil-workers-2022.csv#petitions/signers-$n.csv#" letters/petition-2022.xml \
    >"$WORK/letters/petition-$n.xml"
  for format in $FORMATS; do
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
  rm -f "$WORK/letters/petitions/signers-$n.csv"
done
echo
first=${SIZES%% *}
for format in $FORMATS; do
  for n in $SIZES; do
    [ "$n" = "$first" ] && continue
    echo "$format: $n rows take $(echo "${WALL[$n,$format]} ${WALL[$first,$format]}" |
      awk '{ printf "%.1f", $1 / $2 }') times as long as $first"
  done
done
