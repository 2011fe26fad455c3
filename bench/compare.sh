#!/usr/bin/env bash
# bench/compare.sh — the same work done by two revisions of missive, measured
# in one run: instructions (callgrind, repeatable; the two revisions' runs
# side by side) and wall time (medians of interleaved runs) of
#   render  the seed letter (PDF and text), one process;
#   campaign  the seed campaign's 6 letters rendered on one thread;
#   issue   the seed campaign issued into an empty archive, one thread;
#   campaign-N  with N set: a campaign of N letters made by each revision's
#           own bench/campaign.py, rendered on one thread (render -q --jobs 1).
# Each revision is built from a clean worktree in bench/.cache/rev-REV. A
# command that fails stops the comparison (its figures would mean nothing).
#
#   bench/compare.sh OLD NEW          e.g. bench/compare.sh 594ff08 HEAD
#   RUNS=11 bench/compare.sh OLD NEW
#   WORKSPACE=own N=1000 CASES="render campaign campaign-N" bench/compare.sh 772e5f8 HEAD
# WORKSPACE=own makes each revision's worktree its own workspace (its
# templates, letters and settings): needed when the workspace's files have
# changed in between so that the older one cannot read today's (default:
# this repository, for both).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OLD=${1:?usage: bench/compare.sh OLD NEW}
NEW=${2:?usage: bench/compare.sh OLD NEW}
RUNS=${RUNS:-7}
N=${N:-}
WORKSPACE=${WORKSPACE:-shared}
CASES=${CASES:-render campaign issue${N:+ campaign-N}}
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

old_ws=$ROOT new_ws=$ROOT
if [ "$WORKSPACE" = own ]; then
  old_ws=$(dirname "$(dirname "$(dirname "$old_bin")")")
  new_ws=$(dirname "$(dirname "$(dirname "$new_bin")")")
fi
# Each side's N-letter campaign, from its own bench/campaign.py and workspace.
for side in old new; do
  ws=$old_ws; [ $side = new ] && ws=$new_ws
  if [[ " $CASES " == *" campaign-N "* ]]; then
    python3 "$ws/bench/campaign.py" "$ws" "$WORK/gen-$side" "${N:?campaign-N needs N}" >/dev/null
  fi
done

# args CASE SIDE OUT: the command line of a case, writing under OUT
args() {
  local ws=$old_ws
  [ "$2" = new ] && ws=$new_ws
  case $1 in
    render) echo render -q -w "$ws" "$ws/letters/kazakhstan-2011.xml" -o "$3" ;;
    campaign) echo render -q -w "$ws" --jobs 1 "$ws/letters/mangystau-2011.xml" -o "$3" ;;
    issue) echo issue -q -w "$ws" -a "$3/archive" --jobs 1 "$ws/letters/mangystau-2011.xml" ;;
    campaign-N) echo render -q -w "$WORK/gen-$2/ws" --jobs 1 "$WORK/gen-$2/ws/letters/campaign.xml" -o "$3" ;;
  esac
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

printf '%-10s %14s %14s %8s %10s %10s %8s\n' case "old instr" "new instr" ratio "old ms" "new ms" ratio
for c in $CASES; do
  pids=()
  for side in old new; do
    bin=$old_bin; [ $side = new ] && bin=$new_bin
    # shellcheck disable=SC2046
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" $(args "$c" $side "$WORK/cg-$side") \
      >/dev/null 2>"$WORK/cg-$side.log" &
    pids+=($!)
  done
  for i in 0 1; do
    side=old; [ $i = 1 ] && side=new
    wait "${pids[$i]}" || {
      echo "bench/compare.sh: $c failed on the $side side:" >&2; cat "$WORK/cg-$side.log" >&2; exit 1; }
    rm -rf "$WORK/cg-$side"
  done
  io=$(grep -o 'Collected : [0-9]*' "$WORK/cg-old.log" | awk '{print $3}')
  in=$(grep -o 'Collected : [0-9]*' "$WORK/cg-new.log" | awk '{print $3}')
  : >"$WORK/t-old"; : >"$WORK/t-new"
  for ((r = 0; r < RUNS; r++)); do
    for side in old new; do
      bin=$old_bin; [ $side = new ] && bin=$new_bin
      out=$WORK/run-$side
      s=$(date +%s%N)
      # shellcheck disable=SC2046
      "$bin" $(args "$c" $side "$out") >/dev/null 2>&1 || {
        echo "bench/compare.sh: $c failed on the $side side" >&2; exit 1; }
      e=$(date +%s%N)
      rm -rf "$out"
      echo $(((e - s) / 1000)) >>"$WORK/t-$side"
    done
  done
  to=$(median <"$WORK/t-old"); tn=$(median <"$WORK/t-new")
  printf '%-10s %14s %14s %8.3f %10.2f %10.2f %8.3f\n' "$c" "$io" "$in" \
    "$(echo "$in / $io" | bc -l)" "$(echo "$to / 1000" | bc -l)" "$(echo "$tn / 1000" | bc -l)" \
    "$(echo "$tn / $to" | bc -l)"
done
