#!/usr/bin/env bash
# make-ca.sh DIR — a throw-away CA for the signing tests, made with openssl:
# ca.pem (the trust anchor), two signatories' PKCS#12 files (RSA 2048,
# passphrase "secret"), a TSA key and certificate for `openssl ts -reply`,
# and the bad cases: an expired and a not-yet-valid certificate, one without
# the digitalSignature key usage, one whose key does not match (made by
# make_mismatched in test_sign.c from these parts).
set -euo pipefail
D=$1
mkdir -p "$D"
cd "$D"
q() { "$@" >/dev/null 2>&1 || { echo "make-ca.sh: failed: $*" >&2; exit 1; }; }
cat > ca.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = Missive Test CA
[ca_ext]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[signer_ext]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, nonRepudiation
authorityKeyIdentifier = keyid
[nosign_ext]
basicConstraints = CA:false
keyUsage = critical, keyEncipherment
[tsa_ext]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
[tsa]
default_tsa = tsa_config
[tsa_config]
serial = tsaserial
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
ess_cert_id_chain = no
[ca]
default_ca = test_ca
[test_ca]
database = index.txt
serial = caserial
new_certs_dir = .
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
CNF
echo 01 > tsaserial
: > index.txt
echo 20 > caserial
q openssl req -x509 -new -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 36500 \
  -config ca.cnf -extensions ca_ext -set_serial 1
# cert NAME CN EXTENSIONS [extra openssl x509 date options...]
cert() {
  local name=$1 cn=$2 ext=$3; shift 3
  q openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$cn/O=Missive Test"
  # Valid from 2000 (the test letters are from 2011) unless told otherwise:
  # only `openssl ca` takes a start date in OpenSSL 3.0.
  [ $# -gt 0 ] || set -- -startdate 20000101000000Z -enddate 21000101000000Z
  q openssl ca -batch -notext -config ca.cnf -extensions "$ext" -in "$name.csr" \
    -out "$name.pem" "$@"
  q openssl pkcs12 -export -inkey "$name.key" -in "$name.pem" -certfile ca.pem \
    -passout pass:secret -out "$name.p12"
}
cert warda "Manfred Warda" signer_ext
cert malentacchi "Marcello Malentacchi" signer_ext
cert nosign "No Signature Usage" nosign_ext
cert tsa "Missive Test TSA" tsa_ext
# Validity periods around the letters' issue times (2011 and now).
cert expired "Expired Signer" signer_ext -startdate 20000101000000Z -enddate 20050101000000Z
cert future "Future Signer" signer_ext -startdate 20900101000000Z -enddate 20950101000000Z
rm -f ./*.csr ./[0-9A-F][0-9A-F].pem index.txt* caserial*
