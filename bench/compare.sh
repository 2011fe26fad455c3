#!/usr/bin/env bash
# bench/compare.sh — the same work done by two revisions of missive, measured
# in one run: instructions (callgrind, repeatable) and wall time (medians of
# interleaved runs) of
#   render  the seed letter (PDF and text), one process;
#   campaign  the seed campaign's 6 letters rendered on one thread;
#   issue   the seed campaign issued into an empty archive, one thread.
# Each revision is built from a clean worktree in bench/.cache/rev-REV.
#
#   bench/compare.sh OLD NEW          e.g. bench/compare.sh 594ff08 HEAD
#   RUNS=11 bench/compare.sh OLD NEW
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OLD=${1:?usage: bench/compare.sh OLD NEW}
NEW=${2:?usage: bench/compare.sh OLD NEW}
RUNS=${RUNS:-7}
CACHE=${CACHE:-/tmp/missive-compare-cache}
WORK=$(mktemp -d /tmp/missive-compare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
command -v valgrind >/dev/null || { echo "bench/compare.sh: valgrind is needed" >&2; exit 1; }

# build REV: prints the path of its missive binary
build() {
  local rev dir
  rev=$(git rev-parse --short "$1")
  dir=$CACHE/rev-$rev
  if [ ! -d "$dir" ]; then
    git worktree add -q --detach "$dir" "$rev" >/dev/null
  fi
  if [ ! -f "$dir/build/build.ninja" ]; then
    (cd "$dir" && meson setup build --buildtype=debugoptimized >/dev/null)
  fi
  ninja -C "$dir/build" >/dev/null
  if [ -x "$dir/build/src/missive" ]; then echo "$dir/build/src/missive"; else echo "$dir/build/missive"; fi
}

old_bin=$(build "$OLD")
new_bin=$(build "$NEW")

# args CASE OUT: the command line of a case, writing under OUT
args() {
  case $1 in
    render) echo render -q -w "$ROOT" letters/kazakhstan-2011.xml -o "$2" ;;
    campaign) echo render -q -w "$ROOT" --jobs 1 letters/mangystau-2011.xml -o "$2" ;;
    issue) echo issue -q -w "$ROOT" -a "$2/archive" --jobs 1 letters/mangystau-2011.xml ;;
  esac
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

printf '%-10s %14s %14s %8s %10s %10s %8s\n' case "old instr" "new instr" ratio "old ms" "new ms" ratio
for c in render campaign issue; do
  io=0; in=0
  for side in old new; do
    bin=$old_bin; [ $side = new ] && bin=$new_bin
    out=$WORK/cg-out
    # shellcheck disable=SC2046
    n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" $(args $c "$out") 2>&1 \
        >/dev/null | grep -o 'Collected : [0-9]*' | awk '{print $3}')
    rm -rf "$out"
    if [ $side = old ]; then io=$n; else in=$n; fi
  done
  : >"$WORK/t-old"; : >"$WORK/t-new"
  for ((r = 0; r < RUNS; r++)); do
    for side in old new; do
      bin=$old_bin; [ $side = new ] && bin=$new_bin
      out=$WORK/run-$side
      # shellcheck disable=SC2046
      s=$(date +%s%N); "$bin" $(args $c "$out") >/dev/null 2>&1; e=$(date +%s%N)
      rm -rf "$out"
      echo $(((e - s) / 1000)) >>"$WORK/t-$side"
    done
  done
  to=$(median <"$WORK/t-old"); tn=$(median <"$WORK/t-new")
  printf '%-10s %14s %14s %8.3f %10.2f %10.2f %8.3f\n' "$c" "$io" "$in" \
    "$(echo "$in / $io" | bc -l)" "$(echo "$to / 1000" | bc -l)" "$(echo "$tn / 1000" | bc -l)" \
    "$(echo "$tn / $to" | bc -l)"
done
