#!/usr/bin/env bash
# register_backends.sh — the register's guarantees on both of its
# databases, the SQLite file and a real PostgreSQL server (tests/pg.sh):
# a scope's highest number is never handed out again after its entry was
# deleted; the lock wait has a deadline and says who holds the lock; readers
# need no write permission; verify checks numbers against references and
# finds missing files; library versions are recorded; reprint --original;
# 8 processes x 50 issues give exactly 1..400, also with issues killed by
# SIGKILL mid-way; PostgreSQL's roles and trigger keep entries append-only;
# migrate copies a register into PostgreSQL and reprints stay byte for byte.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"

have_pg=1
pg_start || have_pg=0
backends=(sqlite)
[ $have_pg = 1 ] && backends+=(postgresql)

sed '/<reference>/d' letters/kazakhstan-2011.xml > "$TMP/next.xml"
sed 's|<date>|<series>PT</series><date>|' "$TMP/next.xml" > "$TMP/pt.xml"
notime() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g'; }
nohash() { sed -E 's/[0-9a-f]{64}/HASH/g'; }

# workspace NAME URL [LOCK_TIMEOUT]: a copy of the example workspace whose
# register is at URL ("" for the SQLite file).
workspace() {
  mkdir -p "$TMP/$1" && cp -r missive.ini letters templates fonts "$TMP/$1/"
  { echo; echo "[register]"; [ -n "$2" ] && echo "url = $2"
    [ -n "${3:-}" ] && echo "lock_timeout = $3"; } >> "$TMP/$1/missive.ini"
}
# sql BACKEND WHERE STATEMENT: as someone who can write the database by hand
sql() {
  if [ "$1" = sqlite ]; then
    python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1] + '/register.sqlite')
c.executescript(sys.argv[2]); c.commit()" "$2" "$3"
  else # the trigger refuses UPDATE and DELETE even to the owner: lift it first
    local t off="" on=""
    for t in entries files blobs; do
      off+="ALTER TABLE $t DISABLE TRIGGER USER; "; on+="ALTER TABLE $t ENABLE TRIGGER USER; "
    done
    pg_sql "$2" "$off $3; $on" >/dev/null
  fi
}
seqs() { "$MISSIVE" register -w "$1" -a "$2" list --json | python3 -c '
import json, sys; print(" ".join(str(e["sequence"]) for e in json.load(sys.stdin)))'; }

for b in "${backends[@]}"; do
  url=""; [ $b = postgresql ] && url=$(pg_newdb holes)
  W=$TMP/ws-$b A=$TMP/a-$b
  workspace "ws-$b" "$url"
  where=$A; [ $b = postgresql ] && where=$url
  iss() { "$MISSIVE" issue -q -w "$W" -a "$A" "$@"; }
  reg() { "$MISSIVE" register -w "$W" -a "$A" "$@"; }

  # ---- a deleted middle entry that held its scope's highest number ----
  iss "$TMP/next.xml" "$TMP/next.xml" "$TMP/next.xml" "$TMP/pt.xml"
  check "$b: four issued" "$(seqs "$W" "$A")" "1 2 3 1"
  sql $b "$where" "DELETE FROM entries WHERE id = 3; DELETE FROM files WHERE entry_id = 3"
  reg verify >/dev/null 2>"$TMP/err"
  check "$b: verify exits 4 after a deletion in the middle" "$?" "4"
  check "$b: verify names the deleted entry and the counter left above it" "$(grep -E 'entry 3 is missing|counter' "$TMP/err" | sed "s|^[^:]*: error: ||")" \
    "entry 3 is missing (deleted from the register)
the counter of scope 'org=ICEM-IMF;year=11;language=en;series=LT' has reached 3 but the highest number an entry holds is 2 (the entry holding it was deleted?)"
  out=$("$MISSIVE" issue -w "$W" -a "$A" "$TMP/next.xml" 2>&1)
  check "$b: the deleted entry's number is not handed out again" "$out" "ICEM-IMF11/EN LT/4"
  reg verify >/dev/null 2>"$TMP/err"
  check "$b: verify then names the skipped number" "$(grep -E 'number 4 is not one above' "$TMP/err" | sed "s|^[^:]*: error: ||")" \
    "entry 5 (ICEM-IMF11/EN LT/4): number 4 is not one above the highest its scope held before (2): numbers were skipped or given twice"

  # ---- a seq that is not its reference's number, and a missing file ----
  C=$TMP/c-$b; Wc=$TMP/wc-$b; curl=""; [ $b = postgresql ] && curl=$(pg_newdb consistency)
  workspace "wc-$b" "$curl"; cwhere=$C; [ $b = postgresql ] && cwhere=$curl
  "$MISSIVE" issue -q -w "$Wc" -a "$C" "$TMP/next.xml" "$TMP/next.xml"
  sql $b "$cwhere" "UPDATE entries SET seq = 7 WHERE id = 2"
  "$MISSIVE" register -w "$Wc" -a "$C" verify >/dev/null 2>"$TMP/err"
  check "$b: a seq/reference mismatch exits 4" "$?" "4"
  check "$b: a seq/reference mismatch is named" "$(grep -c 'entry 2 (ICEM-IMF11/EN LT/2): its sequence number 7 is not the number its reference prints (2)' "$TMP/err")" "1"
  sql $b "$cwhere" "UPDATE entries SET seq = 2 WHERE id = 2"
  if [ $b = sqlite ]; then
    rm -f "$C/letters/000001-ICEM-IMF11-EN-LT-1.txt"
    expected="$C/letters/000001-ICEM-IMF11-EN-LT-1.txt: error: archived text of ICEM-IMF11/EN LT/1 (entry 1) is missing"
  else
    txt=$(pg_sql "$curl" "SELECT sha256 FROM files WHERE entry_id = 1 AND role = 'text'")
    sql $b "$curl" "DELETE FROM blobs WHERE sha256 = '$txt'"
    expected="$curl: error: the archived file with SHA-256 $txt is missing from the register"
  fi
  "$MISSIVE" register -w "$Wc" -a "$C" verify >/dev/null 2>"$TMP/err"
  check "$b: a missing file exits 4" "$?" "4"
  check "$b: a missing file is named" "$(head -1 "$TMP/err")" "$expected"

  # ---- library versions, and reprint --original ----
  check "$b: library versions are recorded" "$(reg show --json 'ICEM-IMF11/EN LT/1' | python3 -c '
import json, sys; print(json.load(sys.stdin)["libraries"])' | sed -E 's/[0-9][0-9.]*[0-9]/V/g')" \
    "missive V; libharu V; HarfBuzz V; libdeflate V; ICU V"
  MISSIVE_FAULT=reprint-differs "$MISSIVE" reprint -w "$W" -a "$A" -o "$TMP/r1-$b" 'ICEM-IMF11/EN LT/1' 2>"$TMP/err"
  check "$b: a reprint that differs exits 4" "$?" "4"
  check "$b: a reprint that differs says to use --original" "$(grep -c "nothing was written. It was issued with missive .*; this is missive .*. 'missive reprint --original' hands out the archived files, checked against the register" "$TMP/err")" "1"
  check "$b: nothing reprinted" "$(ls -A "$TMP/r1-$b" 2>/dev/null)" ""
  MISSIVE_FAULT=reprint-differs "$MISSIVE" reprint -q --original -w "$W" -a "$A" -o "$TMP/r2-$b" 'ICEM-IMF11/EN LT/1' 2>/dev/null
  check "$b: reprint --original exits 0" "$?" "0"
  pdf=$(reg show --json 'ICEM-IMF11/EN LT/1' | python3 -c 'import json, sys; print([f["sha256"] for f in json.load(sys.stdin)["files"]][0])')
  check "$b: reprint --original hands out the archived PDF" "$(sha256sum < "$TMP/r2-$b/ICEM-IMF11-EN-LT-1.pdf" | cut -c1-64)" "$pdf"

  # ---- the lock: a deadline, and a note saying who holds it ----
  Wl=$TMP/wl-$b; workspace "wl-$b" "$url" 3
  MISSIVE_HOLD_LOCK=6 "$MISSIVE" issue -q -w "$Wl" -a "$A" "$TMP/next.xml" 2>/dev/null &
  holder=$!
  sleep 1.5
  start=$(date +%s%N)
  "$MISSIVE" issue -w "$Wl" -a "$A" "$TMP/next.xml" 2>"$TMP/err"
  status=$?; took=$((($(date +%s%N) - start) / 1000000))
  check "$b: a lock held too long exits 3" "$status" "3"
  check "$b: the wait ends at the deadline (3 s, took $took ms)" "$([ $took -ge 2900 ] && [ $took -lt 5000 ] && echo yes)" "yes"
  check "$b: the wait is noted, then refused" "$(notime < "$TMP/err" | sed -E 's/\(process [0-9]+\)/(process N)/; s/\(server process [0-9]+\)/(process N)/')" \
    "missive: note: waiting for the register, held by another missive since TIME (process N)
$where$([ $b = sqlite ] && echo /register.sqlite): error: the register is held by another missive since TIME (process N) and was not free within 3 s (the [register] lock_timeout); nothing was done, try again later"
  wait $holder; check "$b: the holder went on" "$?" "0"

  # ---- readers need no write permission ----
  if [ $b = sqlite ]; then
    R=$TMP/ro; cp -r "$A" "$R"; chmod -R a-w "$R"; chmod a+rx "$TMP"
    mkdir "$TMP/ro-out-$b"; chmod 777 "$TMP/ro-out-$b"
    ro() { runuser -u nobody -- "$MISSIVE" "$@"; }
  else
    pg_sql "$url" "CREATE ROLE reader LOGIN IN ROLE missive_reader" >/dev/null
    R=$A; Wr=$TMP/wr-pg; workspace wr-pg "${url/user=missive/user=reader}"
    ro() { "$MISSIVE" "$1" -w "$Wr" "${@:2}"; }
  fi
  out=$(ro register -a "$R" list 2>&1); check "$b: a reader lists" "$?" "0"
  check "$b: a reader lists every entry" "$(wc -l <<< "$out")" "5"
  ro register -a "$R" show 'ICEM-IMF11/EN LT/2' >/dev/null 2>"$TMP/err"; check "$b: a reader shows" "$?" "0"
  ro register -a "$R" verify >/dev/null 2>"$TMP/err"
  check "$b: a reader verifies (and finds the deleted entry)" "$?" "4"
  check "$b: a reader's verify reads" "$(grep -c 'readonly\|read-only\|permission' "$TMP/err")" "0"
  ro reprint -q -a "$R" -o "$TMP/ro-out-$b" 'ICEM-IMF11/EN LT/1' 2>"$TMP/err"
  check "$b: a reader reprints" "$?" "0"
  check "$b: a reader's reprint is byte for byte" "$(sha256sum < "$TMP/ro-out-$b/ICEM-IMF11-EN-LT-1.pdf" | cut -c1-64)" "$pdf"
  ro issue -a "$R" "$TMP/next.xml" >/dev/null 2>&1
  check "$b: a reader cannot issue" "$?" "3"
  [ $b = sqlite ] && chmod -R u+w "$R"

  # ---- offices: {office} in the reference and the scope; list by office ----
  curl=""; [ $b = postgresql ] && curl=$(pg_newdb offices)
  for o in GVA BRU; do
    workspace "wo-$b-$o" "$curl"
    sed -i "s|^organisation = .*|&\noffice = $o|; s|^pattern = .*|pattern = {org}{yy}/{office}/{LANG} {series}/{seq}|" "$TMP/wo-$b-$o/missive.ini"
  done
  out=$("$MISSIVE" issue -w "$TMP/wo-$b-GVA" -a "$TMP/o-$b" "$TMP/next.xml" "$TMP/next.xml" 2>&1
        "$MISSIVE" issue -w "$TMP/wo-$b-BRU" -a "$TMP/o-$b" "$TMP/next.xml" 2>&1)
  check "$b: each office numbers on its own" "$out" "ICEM-IMF11/GVA/EN LT/1
ICEM-IMF11/GVA/EN LT/2
ICEM-IMF11/BRU/EN LT/1"
  check "$b: list --office" "$("$MISSIVE" register -w "$TMP/wo-$b-GVA" -a "$TMP/o-$b" list --office BRU | cut -d' ' -f1-2)" \
    "ICEM-IMF11/BRU/EN LT/1"
  check "$b: show names the office and its scope" "$("$MISSIVE" register -w "$TMP/wo-$b-GVA" -a "$TMP/o-$b" show 'ICEM-IMF11/BRU/EN LT/1' | grep -E '^(scope|office)')" \
    "scope        org=ICEM-IMF;year=11;language=en;series=LT;office=BRU
office       BRU"

  # ---- 8 processes x 50 issues at once: exactly 1..400 ----
  curl=""; [ $b = postgresql ] && curl=$(pg_newdb concurrent)
  Wn=$TMP/wn-$b N=$TMP/n-$b; workspace "wn-$b" "$curl"
  letters=(); for i in $(seq 50); do letters+=("$TMP/pt.xml"); done
  for p in $(seq 8); do
    "$MISSIVE" issue -q -w "$Wn" -a "$N" "${letters[@]}" 2>"$TMP/conc.$b.$p" &
  done
  wait
  # a process that waits long for its turn says so; nothing else is said
  check "$b: concurrent issues report no error" "$(cat "$TMP"/conc.$b.* | grep -v '^missive: note: waiting for the register, held by another missive since ')" ""
  check "$b: 8 x 50 concurrent issues give 1..400 once each" "$(seqs "$Wn" "$N" | tr ' ' '\n' | sort -n | uniq | tr '\n' ' ')" "$(seq -s ' ' 400) "
  "$MISSIVE" register -w "$Wn" -a "$N" verify -q; check "$b: verify after concurrent issues" "$?" "0"

  # ---- the same with issues killed by SIGKILL mid-way ----
  curl=""; [ $b = postgresql ] && curl=$(pg_newdb killed)
  Wk=$TMP/wk-$b K=$TMP/k-$b; workspace "wk-$b" "$curl"
  five=("$TMP/pt.xml" "$TMP/pt.xml" "$TMP/pt.xml" "$TMP/pt.xml" "$TMP/pt.xml")
  for p in $(seq 8); do
    (for round in $(seq 10); do
      "$MISSIVE" issue -q -w "$Wk" -a "$K" "${five[@]}" >>"$TMP/printed.$b.$p" 2>/dev/null &
      pid=$!
      if [ $((RANDOM % 5)) = 0 ]; then sleep "0.$((RANDOM % 3))$((RANDOM % 10))"; kill -9 $pid 2>/dev/null; fi
      wait $pid 2>/dev/null
    done) 2>/dev/null &
  done
  wait
  # LeakSanitizer's tracer itself crashed here twice in CI runs (signal 11 while it stopped the
  # process at exit, verify's own result clean): this check is about the register after kills,
  # so leaks are not looked for in this one command (every other verify of this file keeps them).
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    "$MISSIVE" register -w "$Wk" -a "$K" verify >/dev/null 2>"$TMP/err"
  rc=$?
  # Say what verify found when it is not clean.
  [ $rc = 0 ] || sed "s/^/$b: verify after kills: /" "$TMP/err" >&2
  check "$b: verify is clean after issues killed mid-way" "$rc" "0"
  got=$(seqs "$Wk" "$K"); count=$(wc -w <<< "$got")
  check "$b: no gap and no duplicate after kills ($count of 400 issued)" "$(tr ' ' '\n' <<< "$got" | sort -n | tr '\n' ' ')" "$(seq -s ' ' "$count") "
  check "$b: every reference printed was recorded" "$(cat "$TMP"/printed.$b.* | sed 's|.*/||' | sort -u | comm -23 - <(tr ' ' '\n' <<< "$got" | sort -u) | wc -l)" "0"
  echo "$b: killed-issue run: $count of 400 letters issued" >&2
done

if [ $have_pg = 1 ]; then
  # ---- PostgreSQL: the issuing role cannot rewrite, the trigger refuses ----
  url=$(pg_newdb roles)
  workspace ws-roles "$url"
  "$MISSIVE" issue -q -w "$TMP/ws-roles" -a "$TMP/a-roles" "$TMP/next.xml"
  pg_sql "$url" "CREATE ROLE clerk LOGIN IN ROLE missive_issuer" >/dev/null
  workspace ws-clerk "${url/user=missive/user=clerk}"
  out=$("$MISSIVE" issue -w "$TMP/ws-clerk" -a "$TMP/a-clerk" "$TMP/next.xml" 2>&1)
  check "pg: the issuing role issues" "$out" "ICEM-IMF11/EN LT/2"
  check "pg: the issuing role cannot UPDATE entries" "$(pg_sql "${url/user=missive/user=clerk}" "UPDATE entries SET subject = 'x'" 2>&1)" \
    "ERROR:  permission denied for table entries"
  check "pg: the issuing role cannot DELETE entries" "$(pg_sql "${url/user=missive/user=clerk}" "DELETE FROM entries" 2>&1)" \
    "ERROR:  permission denied for table entries"
  check "pg: the trigger refuses UPDATE to the owner" "$(pg_sql "$url" "UPDATE entries SET subject = 'x'" 2>&1 | head -1)" \
    "ERROR:  the register is append-only: UPDATE on entries refused"
  check "pg: the trigger refuses DELETE of a blob" "$(pg_sql "$url" "DELETE FROM blobs" 2>&1 | head -1)" \
    "ERROR:  the register is append-only: DELETE on blobs refused"
  check "pg: no SEQUENCE numbers anything" "$(pg_sql "$url" "SELECT count(*) FROM pg_class WHERE relkind = 'S'")" "0"

  # ---- migrate the example archive, then reprint from PostgreSQL ----
  E=$TMP/example; W=$TMP/ws-example; workspace ws-example ""
  "$MISSIVE" issue -q -w "$W" -a "$E" letters/kazakhstan-2011.xml "$TMP/next.xml" "$TMP/pt.xml"
  "$MISSIVE" register -w "$W" -a "$E" void 'ICEM-IMF11/EN PT/1' --reason test
  url=$(pg_newdb migrated)
  out=$("$MISSIVE" register -w "$W" -a "$E" migrate --to "$url")
  check "pg: migrate exits 0" "$?" "0"
  check "pg: migrate says what it copied" "$out" "$url: 4 entries copied and verified"
  "$MISSIVE" register -w "$W" -a "$E" migrate --to "$url" 2>"$TMP/err"
  check "pg: migrate into a register that is not empty exits 1" "$?" "1"
  check "pg: migrate into a register that is not empty" "$(cat "$TMP/err")" \
    "$url: error: the target register already holds 4 entries: migrate copies only into an empty register"
  workspace ws-migrated "$url"
  check "pg: the migrated register lists the same" "$("$MISSIVE" register -w "$TMP/ws-migrated" -a "$TMP/none" list)" \
    "$("$MISSIVE" register -w "$W" -a "$E" list)"
  for ref in 'ICEM-IMF11/EN LT/107' 'ICEM-IMF11/EN LT/108' 'ICEM-IMF11/EN PT/1'; do
    stem=$(tr '/ ' '--' <<< "$ref")
    "$MISSIVE" reprint -q -w "$TMP/ws-migrated" -a "$TMP/none" -o "$TMP/mig" "$ref"
    check "pg: reprint of $ref from PostgreSQL exits 0" "$?" "0"
    for ext in pdf txt; do
      check_file "pg: reprint of $ref.$ext from PostgreSQL is byte for byte" "$TMP/mig/$stem.$ext" \
        "$(ls "$E"/letters/*-"$stem".$ext)"
    done
  done
  check "pg: nothing was written to the archive folder for the migrated register" "$(ls -A "$TMP/none" 2>/dev/null)" ""
else
  echo "register_backends: PostgreSQL checks skipped (server binaries missing)" >&2
fi
finish
