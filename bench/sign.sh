#!/usr/bin/env bash
# bench/sign.sh — what signing costs: the seed letter rendered COUNT times,
# then rendered and signed by its two signatories (PAdES B-B, RSA 2048),
# RUNS times alternating, medians per letter and their ratio from one run.
# A throw-away CA is made with tests/sign/make-ca.sh.
#
#   bench/sign.sh [LETTER.xml]     default: letters/kazakhstan-2011.xml
#   COUNT=50 RUNS=7 BUILD=build bench/sign.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LETTER=${1:-letters/kazakhstan-2011.xml}
COUNT=${COUNT:-50}
RUNS=${RUNS:-7}
BUILD=${BUILD:-build}
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=debugoptimized >/dev/null
ninja -C "$BUILD" bench/bench_sign >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash tests/sign/make-ca.sh "$work/ca"
nice -n 19 "$BUILD/bench/bench_sign" . "$LETTER" "$work/ca" "$COUNT" "$RUNS"
