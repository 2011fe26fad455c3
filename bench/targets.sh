#!/usr/bin/env bash
# targets.sh — every figure of issue 17's "Done when", in the order the
# results table of docs/performance.md gives them, one script after the
# other: the anchors (campaign, one letter, memory), loading, petitions of
# 10,000 and 100,000 signers, instructions a letter, then the petition of a
# million. Run it on a quiet machine (about 6 minutes, more the first time:
# the million signers' list is generated once into the petition cache).
# Output goes to stdout, each part headed by its command and the time and
# load average it started at.
#
#   bench/targets.sh | tee /tmp/targets.txt
#   SKIP_MILLION=1 bench/targets.sh
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
export BUILD

part() {
  echo
  echo "### $* ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
  env "$@"
}

echo "# issue 17's targets at $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) CPUs"
part N=1000 BIG=10000 RUNS=5 SAMPLE=20 bench/anchors.sh
part RUNS=3 bench/load.sh
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" >/dev/null
ninja -C "$BUILD" src/missive >/dev/null || exit 1
part SIZES="10000 100000" RUNS=3 FORMATS=pdf,txt bench/petition.sh "$BUILD/src/missive"
part N=1000 bench/instructions.sh
[ -n "${SKIP_MILLION:-}" ] ||
  part SIZES=1000000 RUNS=1 FORMATS=pdf,txt bench/petition.sh "$BUILD/src/missive"
echo
echo "### done ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
