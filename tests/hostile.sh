#!/usr/bin/env bash
# hostile.sh — the catalogue of bad inputs (tests/hostile/CASE/, see
# tests/hostile/README.md). Each case runs in a fresh copy of the example
# workspace and must print exactly its `expected` lines on stderr (nothing
# on stdout), exit with its `status`, change nothing (every file and folder
# of the workspace, its out/ and archive/ and the register, compared before
# and after; no temporaries left) and finish within 10 times its `budget`
# seconds (default 3): a case that takes longer fails as a hang.
# HOSTILE_BLESS=1 writes the actual output as `expected` instead (review it).
# HOSTILE_ONLY=PATTERN runs only the cases whose name matches.
source "$(dirname "$0")/lib.sh"
CASES=$ROOT/tests/hostile
BASE=$TMP/base
mkdir -p "$BASE"
cp -r missive.ini letters templates fonts "$BASE"/
# Files outside the workspace that cases try to reach.
OUTSIDE=$TMP/outside
mkdir -p "$OUTSIDE"
printf 'Full name,Country\nSECRET-PERSON-4711,KZ\n' >"$OUTSIDE/secret.csv"
printf '<template><body/>SECRET-TEMPLATE-4711</template>\n' >"$OUTSIDE/secret.xml"
cp letters/signatures/mensah.png "$OUTSIDE/secret.png"
cp fonts/LiberationSerif-Regular.ttf "$OUTSIDE/secret.ttf"
base_sum=$(cd "$BASE" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)

# The state of a workspace: every path with its type, size, mode and
# modification time, and the register's content when there is one.
state() {
  # A folder's time changes when a temporary comes and goes: not counted.
  # Nor do the register's own files' times: taking and giving back the lock
  # touches the database, its WAL index and the lock holder's note; what
  # counts there is the content, compared row by row below.
  (cd "$1" && { find . -path ./fonts -prune -o -type d -printf '%p %y %m\n'
                find . -path ./fonts -prune -o -name 'register.*' -printf '%p %y %m\n'
                find . -path ./fonts -prune -o ! -type d ! -name 'register.*' \
                  -printf '%p %y %s %m %T@\n'; } | sort
   for db in $(find . -name register.sqlite); do
     python3 -c "import sqlite3, sys
c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro&immutable=1', uri=True)
for t, in c.execute(\"select name from sqlite_master where type = 'table' order by name\"):
    print(t, c.execute('select * from ' + t).fetchall())" "$db"
   done)
}

skipped=0 xfailed=0 cases=0
for dir in "$CASES"/*/; do
  name=$(basename "$dir")
  [ -n "${HOSTILE_ONLY:-}" ] && [[ $name != *$HOSTILE_ONLY* ]] && continue
  cases=$((cases + 1))
  if [ -f "$dir/requires-root" ] && [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: $name: needs root (a small tmpfs for a full disk)" >&2
    skipped=$((skipped + 1))
    continue
  fi
  ws=$TMP/ws/$name
  mkdir -p "$ws"
  # Fonts are hard links to the base (cases replace them, never write
  # through them); everything else is a copy.
  cp -r "$BASE/missive.ini" "$BASE/letters" "$BASE/templates" "$ws"/
  cp -al "$BASE/fonts" "$ws"/
  if [ -d "$dir/files" ]; then
    (cd "$dir/files" && find . -type f) | while read -r f; do
      mkdir -p "$ws/$(dirname "$f")"
      cp --remove-destination "$dir/files/$f" "$ws/$f"
    done
  fi
  if [ -f "$dir/setup" ]; then
    (cd "$ws" && OUTSIDE=$OUTSIDE MISSIVE=$MISSIVE bash -e "$dir/setup") ||
      { check "$name: setup runs" "failed" "ok"; continue; }
  fi
  before=$(state "$ws")
  budget=$(cat "$dir/budget" 2>/dev/null || echo 3)
  args=$(cat "$dir/args")
  start=$(date +%s%N)
  (cd "$ws" && eval "timeout -k 2 $((budget * 10)) \"\$MISSIVE\" $args" \
    >"$TMP/stdout" 2>"$TMP/stderr")
  status=$?
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ -f "$dir/xfail" ]; then
    # Expected to fail until its note is resolved: reported, not counted.
    if [ "$status" = "$(cat "$dir/status")" ] && cmp -s "$TMP/stderr" "$dir/expected"; then
      check "$name: marked xfail but passes (remove $dir/xfail)" "passes" "fails"
    else
      echo "XFAIL: $name: $(head -1 "$dir/xfail")" >&2
      xfailed=$((xfailed + 1))
    fi
    [ -f "$dir/teardown" ] && (cd "$ws" && bash "$dir/teardown")
    rm -rf "$ws"
    continue
  fi
  if [ "${HOSTILE_BLESS:-0}" = 1 ]; then
    cp "$TMP/stderr" "$dir/expected"
    echo "$status" >"$dir/status"
  fi
  check "$name: no hang (budget ${budget}s, took ${elapsed} ms)" "$([ "$status" = 124 ] || [ "$status" = 137 ] && echo hang || echo ok)" "ok"
  check "$name: exit status" "$status" "$(cat "$dir/status")"
  check_file "$name: error lines" "$TMP/stderr" "$dir/expected"
  check "$name: nothing on stdout" "$(cat "$TMP/stdout")" ""
  check "$name: nothing written or changed" "$(state "$ws")" "$before"
  # Secrets outside the workspace never show, in output or messages.
  check "$name: no secret leaks" \
    "$(grep -rl 'SECRET-[A-Z]*-4711' "$ws" "$TMP/stdout" "$TMP/stderr" 2>/dev/null)" ""
  [ -f "$dir/teardown" ] && (cd "$ws" && bash "$dir/teardown")
  rm -rf "$ws"
done
check "the shared base workspace is unchanged" \
  "$(cd "$BASE" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)" "$base_sum"
[ -z "${HOSTILE_ONLY:-}" ] && check "at least 150 cases" "$([ "$cases" -ge 150 ] && echo yes || echo "$cases")" "yes"
echo "hostile: $cases cases, $skipped skipped, $xfailed expected to fail" >&2
finish
