#!/usr/bin/env bash
# register.sh — issue throughput of the two register backends, measured in
# one run: N letters issued by one `missive issue` process into a fresh
# SQLite register, and the same into a fresh PostgreSQL register on a
# private server over a Unix socket (tests/pg.sh, fsync on: durable commits
# on both sides), RUNS times each, alternating; then P processes issuing
# N/P letters each at once. Prints the median letters per second of each
# and PostgreSQL's ratio to SQLite (issue 13: within 2x). Not part of the
# test suite.
#
#   bench/register.sh                 # N=40 RUNS=5 P=4
#   N=100 RUNS=3 bench/register.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-40}
RUNS=${RUNS:-5}
P=${P:-4}
MISSIVE=${MISSIVE:-$ROOT/build/src/missive}
TMP=$(mktemp -d /tmp/missive-register-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
source "$ROOT/tests/pg.sh"
pg_start on || { echo "register.sh: no PostgreSQL server, nothing to compare" >&2; exit 1; }

sed '/<reference>/d' letters/kazakhstan-2011.xml > "$TMP/next.xml"
letters=(); for i in $(seq "$N"); do letters+=("$TMP/next.xml"); done
share=(); for i in $(seq $((N / P))); do share+=("$TMP/next.xml"); done

workspace() { # workspace DIR URL
  mkdir -p "$1" && cp -r missive.ini letters templates fonts "$1/"
  [ -n "$2" ] && printf '\n[register]\nurl = %s\n' "$2" >> "$1/missive.ini"
}

now() { date +%s.%N; }
# one_run BACKEND RUN PARALLEL: seconds for N letters
one_run() {
  local url="" w="$TMP/ws-$1-$2-$3" a="$TMP/a-$1-$2-$3"
  [ "$1" = postgresql ] && url=$(pg_newdb "r_$2_$3")
  workspace "$w" "$url"
  # the first letter of a register copies the fonts: not what is measured
  "$MISSIVE" issue -q -w "$w" -a "$a" "$TMP/next.xml"
  local start end
  start=$(now)
  if [ "$3" = 1 ]; then
    "$MISSIVE" issue -q -w "$w" -a "$a" "${letters[@]}"
  else
    for p in $(seq "$P"); do "$MISSIVE" issue -q -w "$w" -a "$a" "${share[@]}" 2>/dev/null & done
    wait
  fi
  end=$(now)
  local count
  count=$("$MISSIVE" register -w "$w" -a "$a" list | wc -l)
  [ "$count" = $((N + 1)) ] || echo "register.sh: $1 run $2: $count entries, expected $((N + 1))" >&2
  echo "$end - $start" | bc -l
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A times
for par in 1 "$P"; do
  for r in $(seq "$RUNS"); do
    for b in sqlite postgresql; do
      times[$b-$par]+="$(one_run $b "$r" "$par") "
    done
  done
done

echo "| $N letters, issued by | SQLite letters/s | PostgreSQL letters/s | PostgreSQL / SQLite |"
echo "| --- | ---: | ---: | ---: |"
for par in 1 "$P"; do
  s=$(tr ' ' '\n' <<< "${times[sqlite-$par]}" | grep . | median)
  g=$(tr ' ' '\n' <<< "${times[postgresql-$par]}" | grep . | median)
  label="1 process"; [ "$par" != 1 ] && label="$P processes at once"
  printf '| %s | %.1f | %.1f | %.2f |\n' "$label" "$(echo "$N / $s" | bc -l)" \
    "$(echo "$N / $g" | bc -l)" "$(echo "$s / $g" | bc -l)"
done
echo "(median of $RUNS runs each, alternating; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
