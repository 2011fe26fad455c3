#!/usr/bin/env bash
# bench/run.sh — the font and PDF benchmark: missive's PDF backend against
# libharu's own UTF-8 font path, rendering the same merged letter to PDF.
# Builds what it needs (meson, in build-bench/ unless BUILD says otherwise),
# then prints bytes per letter, CPU time per letter and callgrind
# instruction counts per letter for both, and the ratios.
#
#   bench/run.sh [LETTER.xml]      default: bench/one-page.xml
#   COUNT=20 BUILD=build-bench RUNS=5 bench/run.sh
#
# Per letter means: one process renders the merged letter COUNT times; the
# figure is the total divided by COUNT. "render" counts only the renders
# (the function render_letters in bench/bench.c); "process" counts the
# whole process (workspace, letter, merge and font loading included).
# "missive" empties the shaping cache before every letter (no word shared
# between letters); "missive warm" keeps it, as a batch of similar letters.
# Needs valgrind (callgrind) for the instruction counts.
set -euo pipefail
cd "$(dirname "$0")/.."

LETTER=${1:-bench/one-page.xml}
COUNT=${COUNT:-20}
BUILD=${BUILD:-build-bench}
RUNS=${RUNS:-5}

if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" --buildtype=debugoptimized >/dev/null
fi
ninja -C "$BUILD" bench/bench_render >/dev/null
BENCH="$BUILD/bench/bench_render"
command -v valgrind >/dev/null || { echo "bench/run.sh: valgrind is needed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sides=(ours ours-warm libharu)
declare -A bytes cpu render process

for side in "${sides[@]}"; do
  best=""
  for _ in $(seq "$RUNS"); do
    line=$("$BENCH" "$side" . "$LETTER" "$COUNT" "$work/$side.pdf" 2>"$work/$side.err")
    # "ours: 20 letters, 13905 bytes per letter, 1.419 ms CPU per letter"
    bytes[$side]=$(sed -E 's/.* ([0-9]+) bytes per letter.*/\1/' <<<"$line")
    ms=$(sed -E 's/.* ([0-9.]+) ms CPU per letter.*/\1/' <<<"$line")
    if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$ms
    fi
  done
  cpu[$side]=$best
  valgrind --tool=callgrind --callgrind-out-file="$work/$side.cg" \
    "$BENCH" "$side" . "$LETTER" "$COUNT" "$work/$side.pdf" >/dev/null 2>&1
  callgrind_annotate --inclusive=yes "$work/$side.cg" >"$work/$side.txt" 2>/dev/null
  total=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' "$work/$side.txt")
  span=$(awk '/:render_letters / { gsub(",", "", $1); print $1; exit }' "$work/$side.txt")
  render[$side]=$((span / COUNT))
  process[$side]=$((total / COUNT))
done

millions() { awk -v n="$1" 'BEGIN { printf "%.1f M", n / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "letter: $LETTER, $COUNT renders per process"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
printf '%-28s %14s %14s %14s %16s\n' "" "missive" "missive warm" "libharu" "libharu/missive"
printf '%-28s %14s %14s %14s %16s\n' "bytes per letter" "${bytes[ours]}" "${bytes[ours-warm]}" \
  "${bytes[libharu]}" "$(ratio "${bytes[libharu]}" "${bytes[ours]}")"
printf '%-28s %14s %14s %14s %16s\n' "CPU ms per letter (best of $RUNS)" "${cpu[ours]}" \
  "${cpu[ours-warm]}" "${cpu[libharu]}" "$(ratio "${cpu[libharu]}" "${cpu[ours]}")"
printf '%-28s %14s %14s %14s %16s\n' "instructions, render" "$(millions "${render[ours]}")" \
  "$(millions "${render[ours-warm]}")" "$(millions "${render[libharu]}")" \
  "$(ratio "${render[libharu]}" "${render[ours]}")"
printf '%-28s %14s %14s %14s %16s\n' "instructions, process" "$(millions "${process[ours]}")" \
  "$(millions "${process[ours-warm]}")" "$(millions "${process[libharu]}")" \
  "$(ratio "${process[libharu]}" "${process[ours]}")"
