#!/usr/bin/env bash
# bench/load.sh — loading a workspace of N recipients (issue 17): for each
# N, the median wall and user time and the peak memory of `missive check`
# on one letter to one of them (the whole workspace is loaded, one letter
# merged and rendered), and the memory each recipient adds beyond its share
# of recipients.ini, measured against the first (smallest) size. Workspaces come from bench/campaign.py.
#
#   bench/load.sh                 # N = 1000 10000 100000, RUNS=5
#   SIZES="1000 20000" RUNS=3 bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${SIZES:-1000 10000 100000}
RUNS=${RUNS:-5}
BUILD=${BUILD:-build-bench}
WORK=$(mktemp -d /tmp/missive-load.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -x /usr/bin/time ] || { echo "bench/load.sh: GNU time (/usr/bin/time) is needed" >&2; exit 1; }
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" --buildtype=debugoptimized >/dev/null
fi
ninja -C "$BUILD" >/dev/null
MISSIVE=$ROOT/$BUILD/src/missive

# awk, not bc: bc is not on a fresh Debian machine, and set -e would end the
# script at its first use without a word.
calc() { awk "BEGIN { printf \"${2:-%.6f}\", $1 }"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

printf '%10s %10s %10s %10s %12s %14s\n' recipients "wall s" "user s" "peak MB" "file MB" "KB/recipient"
base_n=""; base_mem=0; base_file=0
for n in $SIZES; do
  python3 bench/campaign.py "$ROOT" "$WORK/$n" "$n" >/dev/null
  ws=$WORK/$n/ws
  cp "$WORK/$n/one/letters/one.xml" "$ws/letters/one.xml"
  # No [limits]: 100,000 recipients (17 MB) are within people_mb's default.
  : >"$WORK/wall"; : >"$WORK/user"; : >"$WORK/mem"
  for ((r = 0; r < RUNS; r++)); do
    (cd "$ws" && /usr/bin/time -f '%e %U %M' -o "$WORK/t" "$MISSIVE" check -q letters/one.xml)
    read -r wall user mem <"$WORK/t"
    echo "$wall" >>"$WORK/wall"; echo "$user" >>"$WORK/user"; echo "$mem" >>"$WORK/mem"
  done
  file=$(stat -c %s "$ws/letters/recipients.ini")
  mem=$(median <"$WORK/mem")
  per=-
  if [ -n "$base_n" ]; then
    per=$(calc "(($mem - $base_mem) * 1024 - ($file - $base_file)) / ($n - $base_n) / 1024" %.2f)
  else
    base_n=$n; base_mem=$mem; base_file=$file
  fi
  printf '%10s %10s %10s %10.1f %12.1f %14s\n' "$n" "$(median <"$WORK/wall")" \
    "$(median <"$WORK/user")" "$(calc "$mem / 1024")" "$(calc "$file / 1048576")" "$per"
  rm -rf "${WORK:?}/$n"
done
