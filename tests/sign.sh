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
finish
