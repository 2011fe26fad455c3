#!/usr/bin/env bash
# sign_later.sh — `missive sign REF` on both register backends (SQLite and
# a real PostgreSQL server, tests/pg.sh): the Geneva office, holding only
# Manfred Warda's key, issues a letter he signs; the Brussels office,
# holding only Jyrki Raina's key, signs it later. pdfsig then lists both
# signatures valid and trusted, in order; the issued bytes are the signed
# file's first revision; the register records a "sign" entry that verify
# and reprint follow. Every mistake is located, exits non-zero and leaves
# the archive and the register exactly as they were.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
CA=$TMP/ca
bash tests/sign/make-ca.sh "$CA"
have_pg=1
pg_start || have_pg=0
backends=(sqlite)
[ $have_pg = 1 ] && backends+=(postgresql)

mkdir "$TMP/nss"
certutil -N -d "sql:$TMP/nss" --empty-password
certutil -A -d "sql:$TMP/nss" -n "missive test CA" -t "CT,C,C" -i "$CA/ca.pem"
summary() { pdfsig -nssdir "sql:$TMP/nss" "$1" 2>&1 |
  grep -E "Signature #|Common Name|Signature Validation|Certificate Validation|[Tt]otal document"; }
export MISSIVE_PASSPHRASE_WARDA=secret MISSIVE_PASSPHRASE_RAINA=secret
REF='ICEM-IMF11/EN LT/1'
notime() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g'; }

# office DIR SIGNATORY KEY URL: a workspace holding one signatory's key
office() {
  mkdir -p "$1/keys" && cp -r missive.ini letters templates fonts "$1/"
  cp "$CA/ca.pem" "$CA/$3" "$1/keys/"
  sed -i "s#^\\[$2\\]\$#[$2]\\nkey = keys/$3#" "$1/letters/signatories.ini"
  printf '\n[signing]\ntrust = keys/ca.pem\n' >> "$1/missive.ini"
  [ -n "$4" ] && printf '\n[register]\nurl = %s\n' "$4" >> "$1/missive.ini"
  sed '/<reference>/d' letters/kazakhstan-2011.xml > "$1/letters/next.xml"
}

for b in "${backends[@]}"; do
  url=""; [ $b = postgresql ] && url=$(pg_newdb later)
  G=$TMP/gva-$b; B=$TMP/bru-$b; A=$TMP/archive-$b
  office "$G" warda warda.p12 "$url"
  office "$B" raina malentacchi.p12 "$url"
  sgn() { "$MISSIVE" sign -w "$B" -a "$A" "$@" 2>&1; echo "exit $?"; }
  # What a failed sign must leave exactly as it was: every entry, every
  # file of the archive folder, every blob of the database.
  state() {
    "$MISSIVE" register -w "$G" -a "$A" list --json | sha256sum
    find "$A" -type f ! -name register.holder 2>/dev/null | sort | xargs -r sha256sum
    [ $b = postgresql ] && pg_sql "$url" "SELECT count(*), max(id) FROM entries; SELECT count(*) FROM blobs"
  }

  check "$b: Geneva issues, Warda signs" "$("$MISSIVE" issue -w "$G" -a "$A" "$G/letters/next.xml" 2>&1)" "$REF"
  "$MISSIVE" reprint -q -w "$G" -a "$A" -o "$TMP/issued-$b" "$REF"
  issued=$TMP/issued-$b/ICEM-IMF11-EN-LT-1.pdf
  check "$b: one signature after issue" "$(summary "$issued" | grep -c 'Signature is Valid')" "1"
  before=$(state)

  # ---- mistakes: located, non-zero, nothing written ----
  check "$b: an unknown reference" "$(sgn 'ICEM-IMF11/EN LT/9')" \
"missive: error: no reference 'ICEM-IMF11/EN LT/9' in the register
exit 1"
  check "$b: ... wrote nothing" "$(state)" "$before"
  line=$(grep -n '^key = keys/malentacchi.p12' "$B/letters/signatories.ini" | cut -d: -f1)
  check "$b: a wrong passphrase" "$(MISSIVE_PASSPHRASE_RAINA=wrong sgn "$REF")" \
"$B/letters/signatories.ini:$line:7: error: raina: wrong passphrase for $B/keys/malentacchi.p12
exit 1"
  check "$b: ... wrote nothing" "$(state)" "$before"
  check "$b: no key here for who has not signed" "$("$MISSIVE" sign -w "$G" -a "$A" "$REF" 2>&1; echo "exit $?")" \
"missive: error: none of the signatories who have not signed '$REF' yet (raina) has a key configured here (signatories.ini or organisations.ini 'key')
exit 1"
  check "$b: ... wrote nothing" "$(state)" "$before"

  # ---- a crash between the entry and the commit leaves nothing ----
  (MISSIVE_FAULT=after-sign-insert "$MISSIVE" sign -w "$B" -a "$A" "$REF" >/dev/null 2>&1) 2>/dev/null
  check "$b: a sign killed before its commit exits by SIGKILL" "$?" "137"
  "$MISSIVE" register verify -w "$B" -a "$A" >/dev/null 2>&1
  check "$b: verify is clean after it" "$?" "0"
  check "$b: ... which left nothing" "$(state)" "$before"

  # ---- Brussels signs later ----
  check "$b: Brussels signs, Raina" "$(sgn "$REF")" \
"$REF: signed by Jyrki Raina (2 signatures now, 2 signatories)
exit 0"
  "$MISSIVE" reprint -w "$B" -a "$A" -o "$TMP/signed-$b" "$REF" >/dev/null 2>"$TMP/err"
  check "$b: reprint hands out the signed letter" "$(cat "$TMP/err")" \
"missive: note: $REF is signed (2 signatures): the archived original is handed out, its signatures checked and its unsigned revision reprinted byte for byte"
  signed=$TMP/signed-$b/ICEM-IMF11-EN-LT-1.pdf
  check "$b: pdfsig: Warda then Raina's certificate (Malentacchi), both valid and trusted" "$(summary "$signed")" \
"Signature #1:
  - Signer Certificate Common Name: Manfred Warda
  - Not total document signed
  - Signature Validation: Signature is Valid.
  - Certificate Validation: Certificate is Trusted.
Signature #2:
  - Signer Certificate Common Name: Marcello Malentacchi
  - Total document signed
  - Signature Validation: Signature is Valid.
  - Certificate Validation: Certificate is Trusted."
  check "$b: the letter as issued is the signed file's first part, byte for byte" \
    "$(cmp -n "$(stat -c %s "$issued")" "$issued" "$signed" && echo same)" "same"
  check "$b: verify-pdf agrees" "$("$MISSIVE" verify-pdf -w "$B" "$signed" | cut -d: -f2-)" \
" signature 1 of 2: Manfred Warda (Signature1): valid, trusted
 signature 2 of 2: Marcello Malentacchi (Signature2): valid, trusted, covers the whole file"
  check "$b: qpdf --check of the signed letter" "$(qpdf --check "$signed" >/dev/null 2>&1; echo $?)" "0"
  # PDF/A-3a and PDF/UA-1 (tests/pdfa.py, as pdfa.sh checks an issued
  # letter): every clause holds; the /ID stays the unsigned revision's
  # (docs/signing.md), before the issue's signature and the later one.
  python3 tests/pdfa.py "$signed" >"$TMP/pdfa-$b.report" 2>&1
  check "$b: the signed letter's PDF/A and tagging claims" \
    "$(grep -E '^(qpdf|pdfaid|info|/ID|forbidden)' "$TMP/pdfa-$b.report" | sed -E 's/\[.*\]/[ID]/'; grep -c ', 0 not; .* 0 drawing operators outside' "$TMP/pdfa-$b.report")" \
    "qpdf --check clean
pdfaid:part=3 pdfaid:conformance=A pdfuaid:part=1
info = xmp: Title Author Subject Creator Producer CreationDate ModDate
/ID = MD5 of revision 1 of 3, kept by the later updates
forbidden: none
1"
  check "$b: the register's entries: the issue, then the sign" "$("$MISSIVE" register -w "$B" -a "$A" list | sed 's/  .*//')" \
    "$REF"
  if [ $b = sqlite ]; then
    check "$b: the signed PDF is archived beside the issued one" "$(cd "$A/letters" && ls)" \
"000001-ICEM-IMF11-EN-LT-1.pdf
000001-ICEM-IMF11-EN-LT-1.txt
000001-ICEM-IMF11-EN-LT-1.xml
000002-ICEM-IMF11-EN-LT-1.pdf"
    check "$b: reprint is the archived signed file byte for byte" "$(cmp "$signed" "$A/letters/000002-ICEM-IMF11-EN-LT-1.pdf" && echo same)" "same"
    events=$(python3 -c 'import sqlite3, sys
print(" ".join(e for (e,) in sqlite3.connect(sys.argv[1]).execute("SELECT event FROM entries ORDER BY id")))' "$A/register.sqlite")
  else
    check "$b: nothing in the archive folder" "$(ls -A "$A" 2>/dev/null)" ""
    events=$(pg_sql "$url" "SELECT string_agg(event, ' ' ORDER BY id) FROM entries")
  fi
  check "$b: a 'sign' entry in the chain" "$events" "issue sign"
  check "$b: register verify: the chain, the files, the signatures" \
    "$("$MISSIVE" register verify -w "$B" -a "$A" 2>&1 | sed -E 's/head [0-9a-f]{64}/head HASH/; s/^.*: 2 entries/A: 2 entries/'; echo "exit ${PIPESTATUS[0]}")" \
"A: 2 entries, head HASH: ok
exit 0"
  check "$b: show tells it was signed later" "$("$MISSIVE" register -w "$B" -a "$A" show "$REF" | grep -E '^signed' | notime | sed 's/ (.*//')" \
    "signed later TIME: letters/000002-ICEM-IMF11-EN-LT-1.pdf"
  before=$(state)
  check "$b: signed by everyone already" "$(sgn "$REF")" \
"missive: error: '$REF' is already signed by every signatory (2 signatures): nothing to sign
exit 1"
  check "$b: ... wrote nothing" "$(state)" "$before"

  # ---- a void letter is not signed ----
  "$MISSIVE" issue -q -w "$G" -a "$A" "$G/letters/next.xml"
  "$MISSIVE" register -w "$G" -a "$A" void 'ICEM-IMF11/EN LT/2' --reason "sent twice"
  before=$(state)
  check "$b: a void letter" "$(sgn 'ICEM-IMF11/EN LT/2' | notime)" \
"missive: error: 'ICEM-IMF11/EN LT/2' is void (since TIME: sent twice): a void letter is not signed
exit 1"
  check "$b: ... wrote nothing" "$(state)" "$before"
done

# ---- a sign entry whose PDF is not the issued one plus updates ----
A=$TMP/archive-sqlite
chmod u+w "$A/letters/000002-ICEM-IMF11-EN-LT-1.pdf"
python3 - "$A" <<'PY'
import hashlib, sqlite3, sys
a = sys.argv[1]
p = a + "/letters/000002-ICEM-IMF11-EN-LT-1.pdf"
data = bytearray(open(p, "rb").read())
data[200] ^= 1  # inside the issued revision
open(p, "wb").write(data)
PY
"$MISSIVE" register verify -w "$TMP/bru-sqlite" -a "$A" >/dev/null 2>"$TMP/err"
check "a changed signed PDF: verify exits 4" "$?" "4"
check "... naming the file changed" "$(grep -c "000002-ICEM-IMF11-EN-LT-1.pdf: error: archived pdf of ICEM-IMF11/EN LT/1 (entry 2) has changed" "$TMP/err")" "1"
finish
