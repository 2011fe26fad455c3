#!/usr/bin/env bash
# fuzz.sh TARGET SECONDS [libFuzzer options...] — builds the libFuzzer
# targets (clang, -fsanitize=fuzzer,address,undefined) into build-fuzz and
# runs fuzz_TARGET for SECONDS at nice 19 from the repository root (the
# example workspace), with its seed corpus (fuzz/seeds/TARGET, copied to
# build-fuzz/corpus/TARGET, which grows) and dictionary (fuzz/TARGET.dict),
# inputs up to 1 MB. Findings land in build-fuzz/findings/TARGET/.
# TARGET: letter, template, ini, csv or png.
set -euo pipefail
shopt -s nullglob # seed folders that are not there are skipped
cd "$(dirname "$0")/.."
source scripts/install-packages.sh
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
shift 2
install_packages clang libclang-rt-14-dev
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link >build-fuzz.setup.log 2>&1 ||
    { cat build-fuzz.setup.log >&2; rm -rf build-fuzz; exit 1; }
  rm -f build-fuzz.setup.log
fi
ninja -C build-fuzz "fuzz/fuzz_$target" >build-fuzz/ninja.log 2>&1 || { cat build-fuzz/ninja.log >&2; exit 1; }
corpus=build-fuzz/corpus/$target findings=build-fuzz/findings/$target
mkdir -p "$corpus" "$findings"
cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
case $target in
  letter) for f in letters/*.xml tests/letter/*.xml; do cp -n "$f" "$corpus/"; done ;;
  template) for f in templates/*/*.xml; do cp -n "$f" "$corpus/$(echo "$f" | tr / _)"; done ;;
  ini) for f in missive.ini tests/workspace/*/missive.ini letters/*.ini; do
         cp -n "$f" "$corpus/$(echo "$f" | tr / _)"; done ;;
  csv) for f in tests/signers/*.csv; do cp -n "$f" "$corpus/"; done
       head -c 200000 letters/petitions/oil-workers-2022.csv >"$corpus/oil-workers-head.csv" ;;
  png) for f in letters/signatures/*.png; do cp -n "$f" "$corpus/"; done ;;
esac
# Seeds near the 1 MB limit, generated from the examples: libFuzzer grows its
# inputs slowly (41 KB at most in 20 minutes), so size-driven paths (a long
# word, a long value, many rows) are only reached from large seeds.
python3 scripts/fuzz-seeds.py "$target" "$corpus"
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  exec nice -n 19 "build-fuzz/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=1048576 \
  -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -dict="fuzz/$target.dict" \
  -artifact_prefix="$findings/" "$@" "$corpus"
