#!/usr/bin/env bash
# valgrind.sh [MISSIVE] — the example letters and one campaign rendered
# under valgrind memcheck (definite and indirect leaks, invalid accesses
# and uninitialised reads are errors, exit 99). Called by .ci/run after the
# plain build; prints "valgrind: clean" when nothing is found.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-packages.sh
install_packages valgrind
MISSIVE=${1:-build/missive}
[ -x "$MISSIVE" ] || MISSIVE=build/src/missive
out=$(mktemp -d /tmp/missive-valgrind.XXXXXX)
trap 'rm -rf "$out"' EXIT
vg() {
  valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect "$MISSIVE" "$@"
}
for letter in letters/kazakhstan-2011.xml letters/zhanaozen-2021.xml letters/belarus-2023.xml \
  letters/petition-2022.xml; do
  vg render -q -o "$out" "$letter"
done
# One campaign: six letters in five languages, on two threads.
vg render -q --jobs 2 -o "$out" letters/mangystau-2011.xml
# The register's path (SQLite): issue a letter, verify, reprint it from the
# archive, and check a petition with its signers; these are the paths the
# sanitizer run no longer leak-checks (build.sh sanitize).
vg check letters/petition-2022.xml
vg issue -a "$out/archive" letters/kazakhstan-2011.xml >/dev/null
vg register -a "$out/archive" verify >/dev/null
vg reprint -a "$out/archive" -o "$out/reprint" "ICEM-IMF11/EN LT/107" >/dev/null
echo "valgrind: clean"
