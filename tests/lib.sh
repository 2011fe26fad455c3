# lib.sh — shared helpers for the shell tests. Each test script sources it,
# calls `check` for every assertion and ends with `finish`, which prints
# "NAME: N checks, M failed" and sets the exit status.
set -u
MISSIVE=${MISSIVE:?set MISSIVE to the missive binary}
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$ROOT"
checks=0
failed=0
TMP=$(mktemp -d /tmp/missive-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# check DESCRIPTION ACTUAL EXPECTED
check() {
  checks=$((checks + 1))
  if [ "$2" != "$3" ]; then
    failed=$((failed + 1))
    echo "FAIL: $1" >&2
    diff -u <(printf '%s\n' "$3") <(printf '%s\n' "$2") | head -40 >&2
    # Most scripts keep a command's stderr in $TMP/err: a rare failure shows its cause.
    if [ -s "$TMP/err" ]; then echo "  (last $TMP/err:)" >&2; tail -5 "$TMP/err" >&2; fi
  fi
}

# check_file DESCRIPTION ACTUAL_FILE EXPECTED_FILE
check_file() {
  checks=$((checks + 1))
  if ! cmp -s "$2" "$3"; then
    failed=$((failed + 1))
    echo "FAIL: $1" >&2
    diff -u "$3" "$2" | head -40 >&2
  fi
}

finish() {
  echo "$(basename "$0" .sh): $checks checks, $failed failed"
  # A script that checked nothing (an empty glob, say) has not passed.
  [ "$checks" -gt 0 ] && [ "$failed" -eq 0 ]
  exit $?
}
