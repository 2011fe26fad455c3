#!/usr/bin/env bash
# campaign.sh — the campaign benchmark of issue 5. Generates a campaign of
# N recipients (bench/campaign.py), then measures in one run:
#   missive: the whole batch as one process (PDF and text, one file each;
#            wall, CPU, peak memory), on 1 core and on 2, the same campaign
#            in five languages, BIG letters for peak memory, and one letter
#            as a whole process;
#   the same letters (English) made by pdflatex + KOMA-Script scrlttr2 (one
#            run per letter, and all letters in one run), groff -mm -Tpdf
#            and -Tutf8 (one run per letter) and Typst through the npm
#            package @myriaddreamin/typst-ts-node-compiler (all letters in one
#            process, and one letter per process);
# and prints a table with each figure and missive's ratio to it, then the
# targets of issue 5, met or missed. It installs what it needs (apt-get:
# time, texlive-latex-recommended, texlive-fonts-recommended, groff,
# nodejs, npm; npm: the Typst package into bench/.cache) and reports a tool
# it cannot get instead of stopping. Not part of the test suite.
#
#   bench/campaign.sh                      # N=1000 BIG=10000 RUNS=3 SAMPLE=20
#   N=200 BIG=2000 SAMPLE=5 bench/campaign.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-1000}
BIG=${BIG:-10000}
RUNS=${RUNS:-3}
SAMPLE=${SAMPLE:-20}
BUILD=${BUILD:-build-bench}
CACHE=${CACHE:-$ROOT/bench/.cache}
WORK=$(mktemp -d /tmp/missive-campaign-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
TYPST_PACKAGE=@myriaddreamin/typst-ts-node-compiler@0.7.0

note() { echo "campaign.sh: $*" >&2; }

# ---- what is needed ----

# Installing is allowed to fail here: a tool that is missing is reported.
INSTALL_MAY_FAIL=1
source "$ROOT/scripts/install-packages.sh"

install_packages time build-essential meson ninja-build pkg-config python3 \
  libxml2-dev libhpdf-dev libiniparser-dev libicu-dev libharfbuzz-dev libfreetype-dev \
  libpng-dev libsqlite3-dev nettle-dev libcsv-dev libjansson-dev \
  texlive-latex-recommended texlive-fonts-recommended groff nodejs npm
if ! [ -d "$CACHE/node_modules/@myriaddreamin/typst-ts-node-compiler" ] && command -v npm >/dev/null; then
  note "installing $TYPST_PACKAGE into $CACHE"
  mkdir -p "$CACHE"
  npm install --silent --no-audit --no-fund --prefix "$CACHE" "$TYPST_PACKAGE" >/dev/null 2>&1 ||
    note "npm could not install $TYPST_PACKAGE"
fi
have() { command -v "$1" >/dev/null 2>&1; }
HAVE_TIME=$([ -x /usr/bin/time ] && echo yes)
HAVE_LATEX=$(have pdflatex && kpsewhich scrlttr2.cls >/dev/null 2>&1 && echo yes)
HAVE_GROFF_PDF=$(have groff && groff -mm -Tpdf </dev/null >/dev/null 2>&1 && echo yes)
HAVE_GROFF=$(have groff && echo yes)
HAVE_TYPST=$(have node && [ -d "$CACHE/node_modules/@myriaddreamin/typst-ts-node-compiler" ] && echo yes)
[ -n "$HAVE_TIME" ] || { note "GNU time (/usr/bin/time) is needed"; exit 1; }

if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" >/dev/null || exit 1
fi
ninja -C "$BUILD" missive >/dev/null || exit 1
MISSIVE=$(cd "$BUILD" && pwd)/missive

# ---- inputs ----

python3 bench/campaign.py "$ROOT" "$WORK/en" "$N" || exit 1
python3 bench/campaign.py "$ROOT" "$WORK/mixed" "$N" --mixed || exit 1
python3 bench/campaign.py "$ROOT" "$WORK/big" "$BIG" --mixed || exit 1
python3 bench/campaign.py "$ROOT" "$WORK/small" "$N" --mixed >/dev/null || exit 1
# BIG letters from N recipients: BIG/N campaign letters in one command.
COPIES=$(( (BIG + N - 1) / N ))
for i in $(seq -w 1 "$COPIES"); do
  cp "$WORK/small/ws/letters/campaign.xml" "$WORK/small/ws/letters/c$i.xml"
done

# ---- measuring ----

RUN=0
fresh() { RUN=$((RUN + 1)); echo "$WORK/out-$RUN"; }

# Every run writes into a folder of its own, and nothing is deleted until
# the end: right after many files are deleted, ext4 creates new ones
# markedly slower for a while (it skips recently freed inodes), which would
# make whichever tool runs next look slow.

# best WALL USER SYS RSS of RUNS runs of a command (run in its own folder,
# output into a fresh folder named by $OUT each time).
best() {
  local dir=$1; shift
  local bestline="" bestwall=""
  for _ in $(seq "$RUNS"); do
    OUT=$(fresh); mkdir -p "$OUT"; sync
    local line
    line=$(cd "$dir" && OUT=$OUT /usr/bin/time -f '%e %U %S %M' bash -c "$*" 2>&1 >/dev/null)
    if printf '%s\n' "$line" | grep -q 'exited with non-zero'; then
      note "failed: $* (in $dir)"; printf '%s\n' "$line" | head -5 >&2; exit 1
    fi
    line=$(printf '%s\n' "$line" | tail -1)
    local wall=${line%% *}
    if [ -z "$bestwall" ] || awk "BEGIN{exit !($wall < $bestwall)}"; then
      bestwall=$wall; bestline=$line
    fi
  done
  echo "$bestline"
}

# Mean seconds per letter of running CMD (with {} for the letter and $OUT a
# folder of its own) on the first SAMPLE letters, one process each, the
# whole loop timed once.
per_letter() {
  local dir=$1 ext=$2 cmd=$3
  local files
  # The first SAMPLE letters; a folder with fewer repeats them.
  files=$(cd "$dir" && for _ in $(seq "$SAMPLE"); do ls ./*."$ext"; done | grep -v all-letters |
    head -n "$SAMPLE" | tr '\n' ' ')
  local base
  base=$(fresh)
  for n in $(seq "$SAMPLE"); do mkdir -p "$base/$n"; done
  sync
  local seconds
  seconds=$(cd "$dir" && BASE=$base bash -c "
    start=\$EPOCHREALTIME; n=0
    for f in $files; do n=\$((n + 1)); OUT=\$BASE/\$n
      ${cmd//\{\}/\$f} >/dev/null 2>&1 || exit 1; done
    echo \$start \$EPOCHREALTIME")
  if [ -z "$seconds" ]; then
    note "failed: $cmd (in $dir)"; exit 1
  fi
  awk "BEGIN{split(\"$seconds\", t, \" \"); printf \"%.4f\", (t[2] - t[1]) / $SAMPLE}"
}

field() { echo "$1" | cut -d' ' -f"$2"; }
ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.3f\", $1 / $2; else print \"-\" }"; }

note "missive: one letter per process"
M_ONE=$(SAMPLE=$SAMPLE per_letter "$WORK/en/one/letters" xml "$MISSIVE render -q -w .. -o \$OUT {}")

if [ -n "$HAVE_TYPST" ]; then
  TYPST="node $ROOT/bench/typst-letters.js $CACHE/node_modules $ROOT/fonts"
  note "Typst: one letter per process"
  T_ONE=$(per_letter "$WORK/en/typst" typ "$TYPST \$OUT {}")
fi
if [ -n "$HAVE_LATEX" ]; then
  note "pdflatex: one run per letter"
  L_ONE=$(per_letter "$WORK/en/tex" tex "pdflatex -interaction=batchmode -output-directory \$OUT {}")
fi
if [ -n "$HAVE_GROFF_PDF" ]; then
  note "groff -mm -Tpdf, one run per letter"
  G_PDF=$(per_letter "$WORK/en/groff" mm "groff -mm -Tpdf {} > \$OUT/x.pdf")
fi
if [ -n "$HAVE_GROFF" ]; then
  note "groff -mm -Tutf8, one run per letter"
  G_TXT=$(per_letter "$WORK/en/groff" mm "groff -mm -Tutf8 {} > \$OUT/x.txt")
fi
note "missive: $N letters (English), every core"
M_EN=$(best "$WORK/en/ws" "$MISSIVE render -q -o \$OUT letters/campaign.xml")
note "missive: $N letters in five languages"
M_MIX=$(best "$WORK/mixed/ws" "$MISSIVE render -q -o \$OUT letters/campaign.xml")
if [ "$(nproc)" -ge 2 ] && have taskset; then
  note "missive: 1 core and 2 cores"
  M_1=$(best "$WORK/en/ws" "taskset -c 0 $MISSIVE render -q -o \$OUT letters/campaign.xml")
  M_2=$(best "$WORK/en/ws" "taskset -c 0,1 $MISSIVE render -q -o \$OUT letters/campaign.xml")
fi
note "missive: peak memory, $N and $BIG letters"
M_SMALL=$(RUNS=1 best "$WORK/small/ws" "$MISSIVE render -q -o \$OUT letters/campaign.xml")
M_BIG=$(RUNS=1 best "$WORK/big/ws" "$MISSIVE render -q -o \$OUT letters/campaign.xml")
M_COPIES=$(RUNS=1 best "$WORK/small/ws" "$MISSIVE render -q -o \$OUT letters/c*.xml")
if [ -n "$HAVE_TYPST" ]; then
  note "Typst: $N letters in one process"
  T_ALL=$(best "$WORK/en/typst" "$TYPST \$OUT ./*.typ")
fi
if [ -n "$HAVE_LATEX" ]; then
  note "pdflatex: $N letters in one run"
  L_ALL=$(RUNS=1 best "$WORK/en/tex" "pdflatex -interaction=batchmode -output-directory \$OUT all-letters.tex")
fi

# ---- report ----

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
echo
echo "Machine: $(nproc) CPUs ($cpu), $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -r)."
echo "Command: N=$N BIG=$BIG RUNS=$RUNS SAMPLE=$SAMPLE bench/campaign.sh (best of $RUNS runs; one-per-process figures are the mean of $SAMPLE letters)."
echo
echo "| what | wall s | CPU s (user+sys) | peak RSS MB | missive's ratio |"
echo "|---|---|---|---|---|"
row() { # label "wall user sys rss" ratio
  local w u s r
  w=$(field "$2" 1); u=$(field "$2" 2); s=$(field "$2" 3); r=$(field "$2" 4)
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$w" "$(awk "BEGIN{printf \"%.2f\", $u + $s}")" \
    "$(awk "BEGIN{printf \"%.1f\", $r / 1024}")" "${3:-}"
}
mw=$(field "$M_EN" 1)
row "missive, $N letters (English), all cores" "$M_EN"
row "missive, $N letters in 5 languages, all cores" "$M_MIX"
[ -n "${M_1:-}" ] && row "missive, $N letters, 1 core" "$M_1"
[ -n "${M_2:-}" ] && row "missive, $N letters, 2 cores" "$M_2"
row "missive, $N letters (5 languages), peak memory" "$M_SMALL"
row "missive, $BIG letters to $BIG recipients (5 languages), peak memory" "$M_BIG"
row "missive, $((COPIES * N)) letters: $COPIES campaigns to the same $N recipients, one command" "$M_COPIES"
if [ -n "$HAVE_TYPST" ]; then
  row "Typst, $N letters in one process" "$T_ALL" "$(ratio "$mw" "$(field "$T_ALL" 1)")"
else
  echo "| Typst ($TYPST_PACKAGE) | not available | | | |"
fi
[ -n "$HAVE_LATEX" ] && row "pdflatex (scrlttr2), $N letters in one run (one PDF)" "$L_ALL" \
  "$(ratio "$mw" "$(field "$L_ALL" 1)")"
echo
echo "| one letter as a whole process | seconds | missive's ratio |"
echo "|---|---|---|"
echo "| missive (PDF and text) | $M_ONE | 1 |"
if [ -n "$HAVE_TYPST" ]; then echo "| Typst (PDF), node process | $T_ONE | $(ratio "$M_ONE" "$T_ONE") |"; else echo "| Typst | not available | |"; fi
if [ -n "$HAVE_LATEX" ]; then echo "| pdflatex + scrlttr2 (PDF) | $L_ONE | $(ratio "$M_ONE" "$L_ONE") |"; else echo "| pdflatex + scrlttr2 | not available | |"; fi
if [ -n "$HAVE_GROFF_PDF" ]; then echo "| groff -mm -Tpdf | $G_PDF | $(ratio "$M_ONE" "$G_PDF") |"; else echo "| groff -mm -Tpdf | not available | |"; fi
if [ -n "$HAVE_GROFF" ]; then echo "| groff -mm -Tutf8 | $G_TXT | $(ratio "$M_ONE" "$G_TXT") |"; else echo "| groff -mm -Tutf8 | not available | |"; fi

echo
echo "Targets:"
target() { # text ok
  if [ "$2" = 1 ]; then echo "- met: $1"; else echo "- MISSED: $1"; fi
}
cmp_le() { awk "BEGIN{exit !($1 <= $2)}" && echo 1 || echo 0; }
if [ -n "$HAVE_TYPST" ]; then
  target "batch wall $mw s <= half of Typst's $(field "$T_ALL" 1) s" \
    "$(cmp_le "$mw" "$(awk "BEGIN{print $(field "$T_ALL" 1) / 2}")")"
  target "one letter $M_ONE s <= 1/8 of Typst's $T_ONE s" "$(cmp_le "$M_ONE" "$(awk "BEGIN{print $T_ONE / 8}")")"
fi
[ -n "$HAVE_LATEX" ] && target "one letter $M_ONE s <= 1/20 of pdflatex's $L_ONE s" \
  "$(cmp_le "$M_ONE" "$(awk "BEGIN{print $L_ONE / 20}")")"
[ -n "$HAVE_GROFF_PDF" ] && target "one letter $M_ONE s <= 1/4 of groff -Tpdf's $G_PDF s" \
  "$(cmp_le "$M_ONE" "$(awk "BEGIN{print $G_PDF / 4}")")"
rs=$(field "$M_SMALL" 4); rb=$(field "$M_BIG" 4); rc=$(field "$M_COPIES" 4)
target "peak memory of $((COPIES * N)) letters in one command ($((rc / 1024)) MB) within 10% of $N letters ($((rs / 1024)) MB)" \
  "$(cmp_le "$rc" "$(awk "BEGIN{print $rs * 1.1}")")"
target "peak memory of $BIG letters to $BIG recipients ($((rb / 1024)) MB) within 10% of $N letters ($((rs / 1024)) MB)" \
  "$(cmp_le "$rb" "$(awk "BEGIN{print $rs * 1.1}")")"
target "peak memory of $BIG letters to $BIG recipients below 64 MB" "$(cmp_le "$rb" 65536)"
if [ -n "${M_1:-}" ]; then
  speed=$(awk "BEGIN{printf \"%.2f\", $(field "$M_1" 1) / $(field "$M_2" 1)}")
  target "2 cores give $speed times the throughput of 1 (>= 1.7)" "$(cmp_le 1.7 "$speed")"
fi
