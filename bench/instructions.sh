#!/usr/bin/env bash
# instructions.sh — issue 17's per-letter cost: instructions per letter of a
# campaign of N letters (PDF and text each; the English campaign of
# bench/campaign.py), counted by callgrind over one whole
# `missive render -q --jobs 1`, divided by N: the whole process, run_job
# (every letter's merging, rendering and checks), and the main parts
# of it (inclusive, so they overlap: pdf_save includes deflating). Then the
# target (at most 5 M a letter) as met or MISSED. Instruction counts do not
# depend on the machine's load. Not part of the test suite.
#
#   bench/instructions.sh            # N=1000 (about 1.5 minutes of callgrind on a quiet machine)
#   N=200 bench/instructions.sh      # quicker, start-up weighs more
#   KEEP=/tmp/cg.out bench/instructions.sh   # keeps callgrind's output for callgrind_annotate
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-1000}
BUILD=${BUILD:-build-bench}
TARGET=${TARGET:-5.0}
WORK=$(mktemp -d /tmp/missive-instructions.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
note() { echo "instructions.sh: $*" >&2; }

source "$ROOT/scripts/install-packages.sh"
install_packages valgrind
command -v valgrind >/dev/null || { note "valgrind is needed"; exit 1; }
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" >/dev/null || exit 1
fi
ninja -C "$BUILD" src/missive >/dev/null || exit 1
MISSIVE=$ROOT/$BUILD/src/missive

python3 bench/campaign.py "$ROOT" "$WORK/c" "$N" >/dev/null || exit 1
mkdir -p "$WORK/out"
OUT=${KEEP:-$WORK/callgrind.out}
(cd "$WORK/c/ws" && nice -n 19 valgrind --tool=callgrind --callgrind-out-file="$OUT" \
  "$MISSIVE" render -q --jobs 1 -o "$WORK/out" letters/campaign.xml) 2>"$WORK/log" ||
  { cat "$WORK/log" >&2; note "the render failed"; exit 1; }
files=$(find "$WORK/out" -type f | wc -l)
[ "$files" -eq $((2 * N)) ] || { note "expected $((2 * N)) files, got $files"; exit 1; }

callgrind_annotate --inclusive=yes --threshold=100 "$OUT" 2>/dev/null >"$WORK/inclusive"
total=$(awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}' "$WORK/inclusive")
# fn NAME: the inclusive count of the first function whose name is NAME.
fn() {
  awk -v f="$1" '{ for (i = 2; i <= NF; i++) if (index($i, ":")) break
    s = $i; sub(/.*:/, "", s); if (s == f) { gsub(",", "", $1); print $1; exit } }' "$WORK/inclusive"
}
per() { awk -v x="${1:--}" -v n="$N" 'BEGIN { if (x == "-") print "-"; else printf "%.2f", x / n / 1e6 }'; }

echo "Command: N=$N bench/instructions.sh (callgrind over missive render -q --jobs 1, $N letters, PDF and text)."
echo
echo "| part (inclusive) | M instructions per letter |"
echo "|---|---:|"
printf '| whole process | %s |\n' "$(per "$total")"
for f in run_job render_one merge_letter pdf_check_content pdf_lay_out pdf_draw_pages pdf_save \
  pdf_deflate_streams HPDF_SaveToStream text_render doc_runs font_embed_show; do
  printf '| %s | %s |\n' "$f" "$(per "$(fn "$f")")"
done
echo
whole=$(per "$total")
if awk -v a="$whole" -v t="$TARGET" 'BEGIN { exit !(a <= t) }'; then
  echo "target: at most $TARGET M instructions a letter: met ($whole M)"
else
  echo "target: at most $TARGET M instructions a letter: MISSED ($whole M)"
fi
