#!/usr/bin/env bash
# pdfa.sh — every example letter, campaign variant and petition as PDF/A-3,
# read by third-party tools only: tests/pdfa.py (qpdf --check and
# qpdf --json: header, XMP and Info agreeing, output intent and its ICC
# profile, transparency groups, /ID from the content, fonts, nothing
# forbidden) and pdfinfo. Each clause is one exact line per file.
source "$(dirname "$0")/lib.sh"

"$MISSIVE" render -q -o "$TMP/a" letters/*.xml; check "render examples exits 0" "$?" "0"

# name, pages, pages with soft-masked images, fonts
expected_shape() {
  case $1 in
    IA-ETUC-2023-BY-01.pdf) echo "1 1 2" ;;
    IA-ITUC22-EN-PT-12.pdf) echo "5 1 2" ;;
    zhanaozen-2021.pdf) echo "1 1 3" ;;
    *) echo "2 0 2" ;;
  esac
}

count=0
for pdf in "$TMP"/a/*.pdf; do
  name=$(basename "$pdf")
  count=$((count + 1))
  read -r pages masked fonts <<<"$(expected_shape "$name")"
  check "$name: PDF/A-3b clauses" "$(python3 tests/pdfa.py "$pdf" 2>&1)" "qpdf --check clean
header %PDF-1.7 binary-comment
metadata stream /Type /Metadata /Subtype /XML unfiltered
pdfaid:part=3 pdfaid:conformance=B
info = xmp: Title Author Subject Creator Producer CreationDate ModDate
output intent /GTS_PDFA1 sRGB IEC61966-2.1, profile = icc-profiles-free sRGB.icc /N 3
pages $pages, with soft masks $masked, of them with an RGB transparency group $masked
/ID = SHA-256 of the file
font descriptors $fonts, embedded $fonts
forbidden: none"
  check "$name: pdfinfo" "$(pdfinfo "$pdf" | grep -E '^(PDF version|Metadata Stream|JavaScript|Encrypted):')" \
    "Metadata Stream: yes
JavaScript:      no
Encrypted:       no
PDF version:     1.7"
done
check "every example rendered (letters, campaign variants, petition)" "$count" "10"

finish
