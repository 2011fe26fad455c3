#!/usr/bin/env bash
# sign.sh — signing checked from outside: a throw-away CA (sign/make-ca.sh)
# and a local TSA (sign/tsa.py, `openssl ts -reply` on 127.0.0.1), then the
# sign library's own test (test_sign), then what the PDFs it wrote say to
# pdfsig (poppler, through an NSS database that trusts the test CA), qpdf
# --check and `openssl ts -verify` on the embedded timestamp token.
source "$(dirname "$0")/lib.sh"
TEST_SIGN=${TEST_SIGN:?set TEST_SIGN to the test_sign program}
CA=$TMP/ca
bash tests/sign/make-ca.sh "$CA"

# tsa MODE: starts a TSA answering in MODE; its URL in $url.
pids=()
tsa() {
  python3 tests/sign/tsa.py "$CA" "$1" "$TMP/port.$1" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$TMP/port.$1" ] && break; sleep 0.05; done
  url="http://127.0.0.1:$(cat "$TMP/port.$1")/tsa"
}
stop_tsas() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap 'stop_tsas; rm -rf "$TMP"' EXIT
tsa good; export TSA_URL=$url
tsa lie; export TSA_LIE_URL=$url
tsa garbage; export TSA_GARBAGE_URL=$url
# A port nothing listens on: bound, then closed.
export TSA_DEAD_URL="http://127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')/tsa"

"$TEST_SIGN" "$CA"; status=$?
check "the sign library's own checks pass" "$status" "0"

# An NSS database that trusts the test CA, for pdfsig.
mkdir "$TMP/nss"
certutil -N -d "sql:$TMP/nss" --empty-password
certutil -A -d "sql:$TMP/nss" -n "missive test CA" -t "CT,C,C" -i "$CA/ca.pem"
sig() { pdfsig -nssdir "sql:$TMP/nss" "$@" 2>&1; }
summary() { grep -E "Signature #|Common Name|Signature Validation|Certificate Validation|SubFilter|Signature Type|[Tt]otal document"; }

check "pdfsig: two signatures, in order, valid and trusted" "$(sig "$CA/signed.pdf" | summary)" \
"Signature #1:
  - Signer Certificate Common Name: Manfred Warda
  - Signature Type: ETSI.CAdES.detached
  - Not total document signed
  - Signature Validation: Signature is Valid.
  - Certificate Validation: Certificate is Trusted.
Signature #2:
  - Signer Certificate Common Name: Marcello Malentacchi
  - Signature Type: ETSI.CAdES.detached
  - Total document signed
  - Signature Validation: Signature is Valid.
  - Certificate Validation: Certificate is Trusted."
check "pdfsig: the signing hash" "$(sig "$CA/signed.pdf" | grep -c 'Signing Hash Algorithm: SHA-256')" "2"
check "pdfsig: a flipped byte breaks both" \
  "$(sig "$CA/flipped.pdf" | grep 'Signature Validation')" \
"  - Signature Validation: Digest Mismatch.
  - Signature Validation: Digest Mismatch."
check "qpdf --check: the signed letter" "$(qpdf --check "$CA/signed.pdf" 2>&1; echo "exit $?")" \
"checking $CA/signed.pdf
PDF Version: 1.7
File is not encrypted
File is not linearized
No syntax or stream encoding errors found; the file may still contain
errors that qpdf cannot detect
exit 0"
check "qpdf: two signature fields" "$(qpdf --json --json-key=acroform "$CA/signed.pdf" | python3 -c '
import json, sys
f = json.load(sys.stdin)["acroform"]["fields"]
print(" ".join(x["fullname"] + ":" + x["fieldtype"] + ":p" + str(x["pageposfrom1"]) for x in f))')" \
  "Signature1:/Sig:p1 Signature2:/Sig:p1"
check "the unsigned letter is the signed one's first revision" \
  "$(cmp -n "$(stat -c %s "$CA/unsigned.pdf")" "$CA/unsigned.pdf" "$CA/signed.pdf" && echo same)" "same"
check "pdftotext: the letter's words are unchanged by signing" \
  "$(pdftotext "$CA/signed.pdf" - | md5sum)" "$(pdftotext "$CA/unsigned.pdf" - | md5sum)"

# B-T: the timestamp token verifies against the test TSA's certificate.
check "pdfsig: the B-T signature" "$(sig "$CA/signed-bt.pdf" | grep 'Signature Validation')" \
  "  - Signature Validation: Signature is Valid."
check "openssl ts -verify: the embedded token" \
  "$(openssl ts -verify -token_in -in "$CA/token.der" -digest "$(cat "$CA/imprint.hex")" \
     -CAfile "$CA/ca.pem" -untrusted "$CA/tsa.pem" 2>&1 | grep Verification)" "Verification: OK"
check "openssl ts -verify: a wrong imprint fails" \
  "$(openssl ts -verify -token_in -in "$CA/token.der" -digest "$(sha256sum "$CA/ca.pem" | cut -c1-64)" \
     -CAfile "$CA/ca.pem" -untrusted "$CA/tsa.pem" 2>&1 | grep Verification)" "Verification: FAILED"

# missive's own check: verify-pdf.
vp() { "$MISSIVE" verify-pdf "$@" 2>&1; echo "exit $?"; }
check "verify-pdf: both signatures, trusted" "$(vp "$CA/signed.pdf" --trust "$CA/ca.pem")" \
"$CA/signed.pdf: signature 1 of 2: Manfred Warda (Signature1): valid, trusted
$CA/signed.pdf: signature 2 of 2: Marcello Malentacchi (Signature2): valid, trusted, covers the whole file
exit 0"
check "verify-pdf: without a trust store" "$(vp "$CA/signed.pdf" | head -1)" \
  "$CA/signed.pdf: signature 1 of 2: Manfred Warda (Signature1): valid, trust not checked (no trust store)"
check "verify-pdf: a flipped byte" "$(vp "$CA/flipped.pdf" --trust "$CA/ca.pem")" \
"$CA/flipped.pdf: signature 1 of 2: Manfred Warda (Signature1): NOT VALID
$CA/flipped.pdf: signature 2 of 2: Marcello Malentacchi (Signature2): NOT VALID, covers the whole file
$CA/flipped.pdf: error: signature 1 (Manfred Warda): the signed bytes were changed
$CA/flipped.pdf: error: signature 2 (Marcello Malentacchi): the signed bytes were changed
exit 4"
check "verify-pdf: another CA's trust store" "$(vp "$CA/signed.pdf" --trust "$CA/tsa.pem")" \
"$CA/signed.pdf: signature 1 of 2: Manfred Warda (Signature1): valid, NOT TRUSTED
$CA/signed.pdf: signature 2 of 2: Marcello Malentacchi (Signature2): valid, NOT TRUSTED, covers the whole file
$CA/signed.pdf: error: signature 1 (Manfred Warda): its certificate does not chain to the trust store
$CA/signed.pdf: error: signature 2 (Marcello Malentacchi): its certificate does not chain to the trust store
exit 4"
check "verify-pdf: the B-T signature" "$(vp "$CA/signed-bt.pdf" --trust "$CA/ca.pem" | sed -E 's/timestamp [0-9]{14}Z/timestamp TIME/')" \
"$CA/signed-bt.pdf: signature 1 of 1: Manfred Warda (Signature1): valid, trusted, timestamp TIME valid, covers the whole file
exit 0"
check "verify-pdf: an unsigned letter" "$(vp "$CA/unsigned.pdf")" \
"$CA/unsigned.pdf: error: the file has no signature
exit 4"
head -c 2000 "$CA/signed.pdf" > "$TMP/cut.pdf"
check "verify-pdf: not a PDF it can read" "$(vp "$TMP/cut.pdf")" \
"$TMP/cut.pdf: error: not a PDF whose structure missive can read
exit 1"
{ cat "$CA/signed.pdf"; printf '%% added later\n'; } > "$TMP/appended.pdf"
check "verify-pdf: bytes after the last signature" "$(vp "$TMP/appended.pdf" | tail -2)" \
"$TMP/appended.pdf: error: bytes were added after the last signature
exit 4"

# ---- missive issue signs; reprint hands out the signed original ----
W=$TMP/ws
mkdir -p "$W/keys"
cp -r missive.ini letters templates fonts "$W/"
cp "$CA/warda.p12" "$CA/malentacchi.p12" "$CA/expired.p12" "$CA/ca.pem" "$W/keys/"
# The seed's signatories, warda and raina, get keys (raina's CA-issued
# certificate is Malentacchi's: the names in the test CA need not match).
python3 - "$W/letters/signatories.ini" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
text = text.replace("[warda]\n", "[warda]\nkey = keys/warda.p12\n", 1)
text = text.replace("[raina]\n", "[raina]\nkey = keys/malentacchi.p12\nkey_passphrase_env = RAINA_PASS\n", 1)
open(path, "w", encoding="utf-8").write(text)
PY
printf '\n[signing]\ntrust = keys/ca.pem\n\n[passphrases]\nwarda = keys/warda.pass\n' >> "$W/missive.ini"
printf 'secret\n' > "$W/keys/warda.pass"
sed '/<reference>/d' letters/kazakhstan-2011.xml > "$W/letters/next.xml"
A=$TMP/archive
iss() { "$MISSIVE" issue -w "$W" -a "$A" "$@" 2>&1; echo "exit $?"; }
state() { find "$A" -type f 2>/dev/null | wc -l; }

check "issue without raina's passphrase: refused, nothing numbered" "$(iss "$W/letters/next.xml")" \
"$W/letters/signatories.ini:23:7: error: raina: no passphrase for $W/keys/malentacchi.p12 (set RAINA_PASS, or name a file for 'raina' under [passphrases] in missive.ini)
exit 1"
check "nothing was written" "$(state)" "0"
export RAINA_PASS=wrong
check "a wrong passphrase: refused" "$(iss "$W/letters/next.xml")" \
"$W/letters/signatories.ini:23:7: error: raina: wrong passphrase for $W/keys/malentacchi.p12
exit 1"
check "nothing was written" "$(state)" "0"
export RAINA_PASS=secret
sed -i 's#keys/warda.p12#keys/expired.p12#' "$W/letters/signatories.ini"
check "an expired certificate: refused" "$(iss "$W/letters/next.xml")" \
"$W/letters/signatories.ini:12:7: error: warda: the certificate in $W/keys/expired.p12 has expired at the signing time
exit 1"
sed -i 's#keys/expired.p12#keys/warda.p12#' "$W/letters/signatories.ini"

out=$(iss "$W/letters/next.xml")
check "issue signs" "$out" "ICEM-IMF11/EN LT/1
exit 0"
pdf=$(ls "$A"/letters/*.pdf)
check "pdfsig: the issued letter, warda then raina, valid and trusted" "$(sig "$pdf" | summary)" \
"Signature #1:
  - Signer Certificate Common Name: Manfred Warda
  - Signature Type: ETSI.CAdES.detached
  - Not total document signed
  - Signature Validation: Signature is Valid.
  - Certificate Validation: Certificate is Trusted.
Signature #2:
  - Signer Certificate Common Name: Marcello Malentacchi
  - Signature Type: ETSI.CAdES.detached
  - Total document signed
  - Signature Validation: Signature is Valid.
  - Certificate Validation: Certificate is Trusted."
check "verify-pdf in the workspace trusts its CA" "$("$MISSIVE" verify-pdf -w "$W" "$pdf" | cut -d: -f2-)" \
" signature 1 of 2: Manfred Warda (Signature1): valid, trusted
 signature 2 of 2: Marcello Malentacchi (Signature2): valid, trusted, covers the whole file"
check "qpdf --check: the issued letter" "$(qpdf --check "$pdf" >/dev/null 2>&1; echo $?)" "0"
check "register verify: the signed letter's hash" \
  "$("$MISSIVE" register verify -w "$W" -a "$A" 2>&1 | sed -E 's/head [0-9a-f]{64}/head HASH/'; echo "exit $?")" \
"$A: 1 entry, head HASH: ok
exit 0"
out=$("$MISSIVE" reprint -w "$W" -a "$A" "ICEM-IMF11/EN LT/1" -o "$TMP/re" 2>&1); status=$?
check "reprint of the signed letter says what it hands out" "$out" \
"missive: note: ICEM-IMF11/EN LT/1 is signed (2 signatures): the archived original is handed out, its signatures checked and its unsigned revision reprinted byte for byte
$TMP/re/ICEM-IMF11-EN-LT-1.pdf
$TMP/re/ICEM-IMF11-EN-LT-1.txt"
check "reprint exits 0" "$status" "0"
check "reprint of a signed letter is byte-identical" "$(cmp "$pdf" "$TMP/re/ICEM-IMF11-EN-LT-1.pdf" && echo same)" "same"

# ---- signed register checkpoints ----
REWRITE_REGISTER=${REWRITE_REGISTER:?set REWRITE_REGISTER to the rewrite_register program}
sed -i 's#^\[icem\]$#[icem]\nkey = keys/warda.p12\nkey_passphrase_env = ICEM_PASS#' "$W/letters/organisations.ini"
sed -i 's#^trust = keys/ca.pem$#trust = keys/ca.pem\nregister_key = icem#' "$W/missive.ini"
export ICEM_PASS=secret
check "issue with a register key" "$(iss "$W/letters/next.xml")" "ICEM-IMF11/EN LT/2
exit 0"
check "issue again" "$(iss "$W/letters/next.xml")" "ICEM-IMF11/EN LT/3
exit 0"
# checkpoints DIR: the entries the register's checkpoints sign (SQLite)
checkpoints() { python3 -c 'import sqlite3, sys
for (n,) in sqlite3.connect(sys.argv[1] + "/register.sqlite").execute("SELECT entry_id FROM checkpoints ORDER BY 1"): print(n)' "$1"; }
check "a checkpoint per issue since the key, in the register" "$(checkpoints "$A")" "2
3"
check "no file outside the register holds them" "$(ls "$A" | grep -v '^register\.')" "blobs
letters"
verify() { "$MISSIVE" register verify -w "$W" -a "$A" "$@" 2>&1 | sed -E 's/[0-9a-f]{64}/HASH/g'; echo "exit ${PIPESTATUS[0]}"; }
check "register verify: checkpoints hold" "$(verify)" "$A: 3 entries, head HASH: ok
exit 0"
head=$("$MISSIVE" register verify -w "$W" -a "$A" | sed -E 's/.*: ([0-9]+) entries, head ([0-9a-f]{64}): ok/\1:\2/')
check "register verify --expect the published head" "$(verify --expect "$head")" "$A: 3 entries, head HASH: ok
exit 0"
check "register verify --expect another head" "$(verify --expect "2:${head#3:}")" \
"missive: error: the register is not the one published: it has 3 entries and head HASH, the published head is 2 entries and HASH
exit 4"
check "register verify --expect nonsense" "$(verify --expect 3)" \
"missive: error: --expect '3' is not COUNT:HASH (a number of entries and the head's 64-digit SHA-256, as register verify prints them)
exit 2"
cp -r "$A" "$TMP/rewritten"
"$REWRITE_REGISTER" "$TMP/rewritten" rewrite
check "a consistent rewrite: the chain itself looks intact" \
  "$("$MISSIVE" register verify -a "$TMP/rewritten" 2>&1 | grep -c 'hash\|chain')" "2"
check "a consistent rewrite is found by the checkpoints" \
  "$("$MISSIVE" register verify -w "$W" -a "$TMP/rewritten" 2>&1 | grep checkpoint | sed -E "s#$TMP/rewritten#A#; s/[0-9a-f]{64}/HASH/")" \
"A/register.sqlite: error: checkpoint 2 does not verify against entry 2's hash HASH: the chain was rewritten (or the checkpoint is not signed by a trusted key)
A/register.sqlite: error: checkpoint 3 does not verify against entry 3's hash HASH: the chain was rewritten (or the checkpoint is not signed by a trusted key)"
cp -r "$A" "$TMP/dropped"
"$REWRITE_REGISTER" "$TMP/dropped" drop
check "a dropped tail with the head fixed is found by the checkpoints" \
  "$("$MISSIVE" register verify -w "$W" -a "$TMP/dropped" 2>&1 | grep checkpoint | sed -E "s#$TMP/dropped#A#")" \
"A/register.sqlite: error: checkpoint 3 was signed when the register had 3 entries, but it has 2 now: entries were cut off its end"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM checkpoints WHERE entry_id = 3"); c.commit()' "$TMP/dropped/register.sqlite"
check "a tail dropped with its checkpoint too looks like an older register (docs/signing.md)" \
  "$("$MISSIVE" register verify -w "$W" -a "$TMP/dropped" 2>&1 | grep -c checkpoint)" "0"
check "... which --expect with the published head finds" \
  "$("$MISSIVE" register verify -w "$W" -a "$TMP/dropped" --expect "$head" >/dev/null 2>&1; echo $?)" "4"
# A void and an import are signed too: the void's entry, and one checkpoint
# for an import's last row (the chain leads to it from every row).
cp -r "$A" "$TMP/cpv"
printf 'reference,date\nICEM-IMF11/EN LT/90,2011-10-01\nICEM-IMF11/EN LT/91,2011-10-02\n' >"$TMP/legacy.csv"
check "void and import with a register key" \
  "$("$MISSIVE" register -w "$W" -a "$TMP/cpv" void "ICEM-IMF11/EN LT/3" --reason test 2>&1; echo "exit $?"
     "$MISSIVE" register -w "$W" -a "$TMP/cpv" import "$TMP/legacy.csv" 2>&1; echo "exit $?")" \
"exit 0
$TMP/legacy.csv: 2 references imported
exit 0"
check "a checkpoint for the void and one for the import's last entry" "$(checkpoints "$TMP/cpv")" "2
3
4
6"
check "register verify: the new checkpoints hold" \
  "$("$MISSIVE" register verify -w "$W" -a "$TMP/cpv" 2>&1 | sed -E 's/[0-9a-f]{64}/HASH/')" \
  "$TMP/cpv: 6 entries, head HASH: ok"
cp -r "$A" "$TMP/cpw"
before=$(cd "$TMP/cpw" && find . -type f | sort | xargs sha256sum)
check "a wrong register key passphrase voids and imports nothing" \
  "$(ICEM_PASS=wrong "$MISSIVE" register -w "$W" -a "$TMP/cpw" void "ICEM-IMF11/EN LT/3" --reason test 2>&1 | sed "s#$W/##g"; echo "exit ${PIPESTATUS[0]}"
     ICEM_PASS=wrong "$MISSIVE" register -w "$W" -a "$TMP/cpw" import "$TMP/legacy.csv" 2>&1 | sed "s#$W/##g"; echo "exit ${PIPESTATUS[0]}"
     [ "$(cd "$TMP/cpw" && find . -type f | sort | xargs sha256sum)" = "$before" ] && echo unchanged)" \
"letters/organisations.ini:$(grep -n '^key = keys/warda.p12' "$W/letters/organisations.ini" | cut -d: -f1):7: error: icem: wrong passphrase for keys/warda.p12
exit 1
letters/organisations.ini:$(grep -n '^key = keys/warda.p12' "$W/letters/organisations.ini" | cut -d: -f1):7: error: icem: wrong passphrase for keys/warda.p12
exit 1
unchanged"
export ICEM_PASS=wrong
check "a wrong register key passphrase numbers nothing" "$(iss "$W/letters/next.xml")" \
"$W/letters/organisations.ini:$(grep -n '^key = keys/warda.p12' "$W/letters/organisations.ini" | cut -d: -f1):7: error: icem: wrong passphrase for $W/keys/warda.p12
exit 1"
export ICEM_PASS=secret
cp "$W/missive.ini" "$TMP/missive.ini.saved"
sed -i 's#^trust = keys/ca.pem$#trust = keys/other.pem#' "$W/missive.ini"
cp "$CA/tsa.pem" "$W/keys/other.pem"
check "register verify checks the archived letters' signatures against the trust store" \
  "$("$MISSIVE" register verify -w "$W" -a "$A" 2>&1 | grep -c "does not chain to the trust store")" "6"
cp "$TMP/missive.ini.saved" "$W/missive.ini"

# ---- B-T through missive.ini's [signing] tsa; a lying TSA writes nothing ----
sed -i "s#^register_key = icem\$#register_key = icem\ntsa = $TSA_URL#" "$W/missive.ini"
# raina's own key goes; the IMF's serves (a signatory without a key signs
# with their organisation's).
sed -i '/^key = keys\/malentacchi.p12$/d; /^key_passphrase_env = RAINA_PASS$/d' "$W/letters/signatories.ini"
sed -i 's#^\[imf\]$#[imf]\nkey = keys/malentacchi.p12\nkey_passphrase_env = RAINA_PASS#' "$W/letters/organisations.ini"
check "issue with a TSA" "$(iss "$W/letters/next.xml")" "ICEM-IMF11/EN LT/4
exit 0"
pdf=$(ls "$A"/letters/000004-*.pdf)
check "verify-pdf: both signatures timestamped, raina's by the IMF's key" \
  "$("$MISSIVE" verify-pdf -w "$W" "$pdf" | cut -d: -f2- | sed -E 's/[0-9]{14}Z/TIME/')" \
" signature 1 of 2: Manfred Warda (Signature1): valid, trusted, timestamp TIME valid
 signature 2 of 2: Marcello Malentacchi (Signature2): valid, trusted, timestamp TIME valid, covers the whole file"
check "pdfsig: the B-T letter" "$(sig "$pdf" | grep -c 'Signature is Valid.')" "2"
before=$(state)
entries=$("$MISSIVE" register list -w "$W" -a "$A" | wc -l)
sed -i "s#^tsa = .*#tsa = $TSA_LIE_URL#" "$W/missive.ini"
out=$(iss "$W/letters/next.xml")
check "a lying TSA: the issue is refused" "$(printf '%s\n' "$out" | sed -E 's/ \(.*\)$//')" \
"$W/missive.ini:$(grep -n '^tsa = ' "$W/missive.ini" | cut -d: -f1):7: error: warda: the time-stamp authority $TSA_LIE_URL gave a token that does not verify
exit 1"
check "a lying TSA: nothing was written" "$(state)" "$before"
check "a lying TSA: no number was recorded" "$("$MISSIVE" register list -w "$W" -a "$A" | wc -l)" \
  "$entries"
check "... and the next issue gets the next number" "$(sed -i "s#^tsa = .*#tsa = $TSA_URL#" "$W/missive.ini"; iss "$W/letters/next.xml")" \
"ICEM-IMF11/EN LT/5
exit 0"
sed -i "s#^tsa = .*#tsa = ftp://tsa#" "$W/missive.ini"
check "a TSA that is not an http URL" "$(iss "$W/letters/next.xml")" \
"$W/missive.ini:$(grep -n '^tsa = ' "$W/missive.ini" | cut -d: -f1):7: error: invalid time-stamp authority 'ftp://tsa' (expected an http:// or https:// URL)
exit 1"
# ---- checkpoints on PostgreSQL: kept in the database like the letters ----
source "$(dirname "$0")/pg.sh"
if pg_start; then
  trap 'stop_tsas; pg_stop; rm -rf "$TMP"' EXIT
  url=$(pg_newdb checkpoints)
  sed -i '/^tsa = /d' "$W/missive.ini"
  Wp=$TMP/ws-pg; cp -r "$W" "$Wp"
  printf '\n[register]\nurl = %s\n' "$url" >> "$Wp/missive.ini"
  sed -i "s#$W/#$Wp/#g" "$Wp/missive.ini"
  out=$("$MISSIVE" issue -w "$Wp" -a "$TMP/a-pg" "$Wp/letters/next.xml" "$Wp/letters/next.xml" 2>&1)
  check "pg: issue with a register key" "$out" "ICEM-IMF11/EN LT/1
ICEM-IMF11/EN LT/2"
  check "pg: a checkpoint per issue, in the database" "$(pg_sql "$url" "SELECT entry_id FROM checkpoints ORDER BY 1")" "1
2"
  check "pg: nothing in the archive folder" "$(ls -A "$TMP/a-pg" 2>/dev/null)" ""
  pverify() { "$MISSIVE" register verify -w "$Wp" -a "$TMP/a-pg" 2>&1 | sed -E "s/[0-9a-f]{64}/HASH/g; s#$url#URL#"; echo "exit ${PIPESTATUS[0]}"; }
  check "pg: register verify checks the checkpoints and the signed letters" "$(pverify)" "URL: 2 entries, head HASH: ok
exit 0"
  check "pg: the issuing role cannot delete a checkpoint" "$(pg_sql "$url" "DELETE FROM checkpoints" 2>&1 | head -1)" \
    "ERROR:  the register is append-only: DELETE on checkpoints refused"
  # A dropped tail with the head fixed, by the database's owner.
  off=""; on=""
  for t in entries files signatories; do off+="ALTER TABLE $t DISABLE TRIGGER USER; "; on+="ALTER TABLE $t ENABLE TRIGGER USER; "; done
  pg_sql "$url" "$off DELETE FROM files WHERE entry_id = 2; DELETE FROM signatories WHERE entry_id = 2;
    DELETE FROM entries WHERE id = 2; UPDATE meta SET value = '1' WHERE key = 'head_count';
    UPDATE meta SET value = (SELECT hash FROM entries WHERE id = 1) WHERE key = 'head_hash'; $on"
  check "pg: a dropped tail with the head fixed is found by the checkpoints" "$(pverify | grep -E 'checkpoint|^exit')" \
"URL: error: checkpoint 2 was signed when the register had 2 entries, but it has 1 now: entries were cut off its end
exit 4"
  # A consistent rewrite (SQLite, above), migrated: found on PostgreSQL.
  url=$(pg_newdb rewritten)
  sed -i "s#^url = .*#url = $url#" "$Wp/missive.ini"
  "$MISSIVE" register -w "$W" -a "$TMP/rewritten" migrate -q --to "$url" >/dev/null 2>&1
  check "pg: migrate copies the checkpoints" "$(pg_sql "$url" "SELECT entry_id FROM checkpoints ORDER BY 1")" "2
3"
  check "pg: a consistent rewrite is found by the checkpoints" "$(pverify | grep -E 'checkpoint|^exit')" \
"URL: error: checkpoint 2 does not verify against entry 2's hash HASH: the chain was rewritten (or the checkpoint is not signed by a trusted key)
URL: error: checkpoint 3 does not verify against entry 3's hash HASH: the chain was rewritten (or the checkpoint is not signed by a trusted key)
exit 4"
  url=$(pg_newdb intact)
  sed -i "s#^url = .*#url = $url#" "$Wp/missive.ini"
  "$MISSIVE" register -w "$W" -a "$A" migrate -q --to "$url" >/dev/null
  check "pg: the migrated signed register verifies, checkpoints and signatures" "$(pverify)" "URL: 5 entries, head HASH: ok
exit 0"
fi
finish
