#!/usr/bin/env bash
# fuzz.sh — every fuzz target, built as a plain program (fuzz/replay.c),
# run over the examples and over the findings kept in fuzz/regressions/:
# each must take every input without a crash, a sanitizer report (in the
# sanitizer build) or a word on stderr. A target that no longer builds
# fails the build itself.
source "$(dirname "$0")/lib.sh"
REPLAY=${REPLAY:?set REPLAY to the folder of the replay_TARGET programs}
shopt -s nullglob
for target in letter template ini csv png; do
  case $target in
    letter) inputs=(letters/*.xml tests/letter/*.xml) ;;
    template) inputs=(templates/*/*.xml) ;;
    ini) inputs=(missive.ini tests/workspace/*/missive.ini) ;;
    csv) inputs=(letters/petitions/*.csv tests/signers/*.csv) ;;
    png) inputs=(letters/signatures/*.png) ;;
  esac
  inputs+=(fuzz/regressions/"$target"/*)
  out=$("$REPLAY/replay_$target" "${inputs[@]}" 2>"$TMP/stderr")
  check "$target: replays its ${#inputs[@]} inputs" "$? $out" "0 replayed ${#inputs[@]} inputs"
  check "$target: nothing on stderr" "$(head -c 2000 "$TMP/stderr")" ""
done
finish
