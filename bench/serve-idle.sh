#!/usr/bin/env bash
# serve-idle.sh — the CPU `missive serve` uses while nobody works: 30 s
# with no client, then 30 s with a letter page's change stream open (as a
# browser keeps it). Counts the process's own CPU ticks (/proc/PID/stat
# utime + stime), so other work on the machine does not change the figure.
#   bench/serve-idle.sh [BUILD]      (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
missive=$(realpath "${1:-build}/src/missive")
tmp=$(mktemp -d)
trap 'kill -TERM $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
cp -r missive.ini letters templates fonts "$tmp/"
(cd "$tmp" && exec "$missive" serve --port 0 >"$tmp/out.txt" 2>&1) &
pid=$!
for _ in $(seq 50); do grep -q token= "$tmp/out.txt" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$tmp/out.txt")
port=${url#http://127.0.0.1:}; port=${port%%/*}; token=${url#*token=}
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
measure() { # measure LABEL
  local a b; a=$(ticks); sleep 30; b=$(ticks)
  python3 -c "import sys; t=$b-$a; print(f'| {sys.argv[1]} | {t} | {100*t/$hz/30:.3f} % |')" "$1"
}
echo "| state | CPU ticks in 30 s ($hz per second) | CPU |"
echo "| --- | --- | --- |"
measure "no client"
python3 - "$port" "$token" <<'PY' &
import sys, http.client, time
c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]))
c.request('GET', '/events?path=letters/kazakhstan-2011.xml',
          headers={'Cookie': f'missive_token_{sys.argv[1]}={sys.argv[2]}'})
r = c.getresponse()
end = time.time() + 32
while time.time() < end:
    r.fp.readline()
PY
sleep 1
measure "a letter page open (its change stream)"
wait $! 2>/dev/null || true
