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
echo "valgrind: clean"
