#!/usr/bin/env bash
# typography-anchors.sh — the seed letter (letters/kazakhstan-2011.xml) typeset by
# missive, by LaTeX's KOMA-Script scrlttr2 (pdflatex) and by Typst, on the
# same page, measure, size and font metrics (bench/typography-anchors.py); each PDF
# rendered to PNG (pdftoppm -png -r 100) and its word spaces measured
# (scripts/word-spaces.py). For docs/typography.md:
#   bench/typography-anchors.sh [OUT_DIR]   (default bench/anchors-out)
# Installs what it needs only here, not in the test set-up: TeX Live's
# texlive-latex-recommended and texlive-fonts-recommended (about 250 MB)
# and the npm package @myriaddreamin/typst-ts-node-compiler (Typst as a
# Node module) into bench/.cache. A tool that cannot be installed is
# reported and skipped.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/bench/anchors-out}
BUILD=${BUILD:-$ROOT/build}
CACHE=${CACHE:-$ROOT/bench/.cache}
TYPST_PACKAGE=@myriaddreamin/typst-ts-node-compiler@0.7.0
note() { echo "typography-anchors.sh: $*" >&2; }

INSTALL_MAY_FAIL=1
source "$ROOT/scripts/install-packages.sh"
install_packages poppler-utils python3 texlive-latex-recommended texlive-fonts-recommended
# Node may come from Debian or be installed otherwise with its own npm (the
# Debian package would then conflict): only a machine without npm gets Debian's.
command -v npm >/dev/null 2>&1 || install_packages nodejs npm
if ! [ -d "$CACHE/node_modules/@myriaddreamin/typst-ts-node-compiler" ] && command -v npm >/dev/null; then
  mkdir -p "$CACHE"
  npm install --silent --no-audit --no-fund --prefix "$CACHE" "$TYPST_PACKAGE" >/dev/null 2>&1 ||
    note "npm could not install $TYPST_PACKAGE: Typst skipped"
fi
[ -x "$BUILD/src/missive" ] || { note "build missive first (./build.sh examples)"; exit 1; }

mkdir -p "$OUT"
rm -rf "$OUT/missive"
(cd "$ROOT" && "$BUILD/src/missive" render -q -o "$OUT/missive" letters/kazakhstan-2011.xml) || exit 1
cp "$OUT/missive/ICEM-IMF11-EN-LT-107.pdf" "$OUT/seed-missive.pdf"
python3 "$ROOT/bench/typography-anchors.py" "$OUT/missive/ICEM-IMF11-EN-LT-107.txt" "$OUT"
pdfs=("$OUT/seed-missive.pdf")
if command -v pdflatex >/dev/null && kpsewhich scrlttr2.cls >/dev/null 2>&1; then
  (cd "$OUT" && pdflatex -interaction=nonstopmode seed-scrlttr2.tex >latex.log 2>&1) &&
    pdfs+=("$OUT/seed-scrlttr2.pdf") || note "pdflatex failed: see $OUT/latex.log"
else
  note "pdflatex or scrlttr2 missing: LaTeX skipped"
fi
if [ -d "$CACHE/node_modules/@myriaddreamin/typst-ts-node-compiler" ]; then
  node "$ROOT/bench/typst-one.js" "$CACHE/node_modules" "$ROOT/fonts" "$OUT/seed-typst.typ" \
    "$OUT/seed-typst.pdf" && pdfs+=("$OUT/seed-typst.pdf") || note "Typst failed"
fi
for pdf in "${pdfs[@]}"; do
  pdftoppm -png -r 100 "$pdf" "${pdf%.pdf}"
  # pdflatex's Times: pdftotext's boxes do not give the size; it is 10.95 pt.
  case $pdf in *scrlttr2*) size=(--size 10.95) ;; *) size=() ;; esac
  python3 "$ROOT/scripts/word-spaces.py" "${size[@]}" "$pdf"
  python3 "$ROOT/scripts/word-spaces.py" "${size[@]}" --limit 1.3 "$pdf" | sed 's/^/  /'
done
