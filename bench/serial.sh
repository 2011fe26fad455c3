#!/usr/bin/env bash
# serial.sh — issue 17's "2 cores give at least 1.8x one core" taken
# apart: what a campaign of N letters (PDF and text each, into tmpfs) does
# on one thread only, and what the second thread costs. On a shared
# machine the ratio of wall times is noise, so this measures the parts:
#
#   - RUNS interleaved rounds of `taskset -c 0 ... --jobs 1` and
#     `taskset -c 0,1 ... --jobs 2` (the two commands of bench/anchors.sh),
#     each under `perf stat` (task-clock, page faults, context switches):
#     medians of wall, CPU and faults, the wall ratio, and two threads'
#     CPU over one's (the second thread's extra work, which callgrind
#     does not see as instructions);
#   - TRACES runs of `--jobs 2` under `strace --seccomp-bpf -f -ttt` that
#     stops only at execve, clone3, exit and exit_group (no stop at any
#     other call, so the letters run at full speed): the milliseconds from
#     exec to each thread's start and end and to the process's exit. With a
#     group campaign the first helper plans, the second renders; what
#     comes after the last helper's exit is the batch's commit (its 2N
#     renames), telling the letters, freeing and exit.
#
# Not part of the test suite. Prints the load average around the runs.
#
#   bench/serial.sh                      # N=1000 RUNS=9 TRACES=5
#   N=200 RUNS=5 TRACES=3 bench/serial.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-1000}
RUNS=${RUNS:-9}
TRACES=${TRACES:-5}
BUILD=${BUILD:-build-bench}
TMPFS=${TMPFS:-/dev/shm}
WORK=$(mktemp -d /tmp/missive-serial.XXXXXX)
FAST=$(mktemp -d "$TMPFS/missive-serial.XXXXXX")
trap 'rm -rf "$WORK" "$FAST"' EXIT
note() { echo "serial.sh: $*" >&2; }

for tool in perf strace taskset; do
  command -v "$tool" >/dev/null || { note "$tool is needed"; exit 1; }
done
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" >/dev/null || exit 1
fi
ninja -C "$BUILD" src/missive >/dev/null || exit 1
MISSIVE=$ROOT/$BUILD/src/missive
python3 bench/campaign.py "$ROOT" "$WORK/c" "$N" >/dev/null || exit 1
cd "$WORK/c/ws" || exit 1

# timed NAME CPUS JOBS: one run under perf stat; appends "wall cpu_ms
# faults switches" to $WORK/NAME.
timed() {
  local out start end
  out=$(mktemp -d "$FAST/out.XXXXXX")
  start=$EPOCHREALTIME
  perf stat -x, -o "$WORK/stat" -e task-clock,page-faults,context-switches \
    taskset -c "$2" "$MISSIVE" render -q --jobs "$3" -o "$out" letters/campaign.xml >/dev/null 2>&1 ||
    note "failed: --jobs $3"
  end=$EPOCHREALTIME
  awk -F, -v s="$start" -v e="$end" '
    $3 == "task-clock" { cpu = $1 } $3 == "page-faults" { pf = $1 } $3 == "context-switches" { cs = $1 }
    END { printf "%.4f %.2f %d %d\n", e - s, cpu, pf, cs }' "$WORK/stat" >>"$WORK/$1"
  rm -rf "$out"
}

# traced: one --jobs 2 run under strace; appends one line of phases (ms
# after execve) to $WORK/phases.
traced() {
  local out
  out=$(mktemp -d "$FAST/out.XXXXXX")
  strace --seccomp-bpf -f -ttt -o "$WORK/trace" -e trace=execve,clone3,exit,exit_group \
    taskset -c 0,1 "$MISSIVE" render -q --jobs 2 -o "$out" letters/campaign.xml >/dev/null 2>&1 ||
    note "failed under strace"
  rm -rf "$out"
  awk -v missive="$MISSIVE" '
    /execve\(/ && index($0, missive) { t0 = $2; pid = $1; next }
    !t0 { next }
    /clone3\(/ && /= [0-9]+$/ { starts[++n] = $2; next }
    / exit\(/ { ends[++m] = $2; next }
    /exit_group\(/ { group = $2; next }
    $1 == pid && /\+\+\+ exited/ { gone = $2 }
    END {
      line = ""
      for (i = 1; i <= n; i++)
        line = line sprintf("helper %d %.1f-%.1f; ", i, (starts[i] - t0) * 1000, (ends[i] - t0) * 1000)
      printf "%sexit_group %.1f; gone %.1f; after the last helper %.1f\n", line,
        (group - t0) * 1000, (gone - t0) * 1000, (group - ends[m]) * 1000
    }' "$WORK/trace" >>"$WORK/phases"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$RUNS"); do
  note "round $r of $RUNS"
  timed one 0 1
  timed two 0,1 2
done
for r in $(seq "$TRACES"); do traced; done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# med NAME COLUMN: the median of a column (1 wall s, 2 CPU ms, 3 faults, 4 switches).
med() {
  awk -v c="$2" '{print $c}' "$WORK/$1" | sort -g |
    awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ printf "%.3f", a / b }'; }

echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), $(uname -r)."
echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after."
echo "Command: N=$N RUNS=$RUNS TRACES=$TRACES bench/serial.sh (medians of $RUNS interleaved rounds)."
echo
echo "| $N letters, tmpfs | wall s | CPU ms | page faults | context switches |"
echo "|---|---:|---:|---:|---:|"
for x in one:"1 core (taskset -c 0, --jobs 1)" two:"2 cores (taskset -c 0,1, --jobs 2)"; do
  printf '| %s | %s | %s | %s | %s |\n' "${x#*:}" "$(med "${x%%:*}" 1)" "$(med "${x%%:*}" 2)" \
    "$(med "${x%%:*}" 3)" "$(med "${x%%:*}" 4)"
done
echo
echo "Ratios: 2 cores' throughput ÷ 1 core's (wall) $(ratio "$(med one 1)" "$(med two 1)");" \
  "CPU of 2 threads ÷ 1 $(ratio "$(med two 2)" "$(med one 2)")."
echo
echo "Phases of --jobs 2 under strace (ms after execve; helper i: its thread's start-end):"
cat "$WORK/phases"
