#!/usr/bin/env bash
# install-web-tests.sh — what the browser tests of `missive serve` need:
# Debian's chromium (driven headless) and, from the npm registry, the
# playwright-core version pinned in tests/web/package.json. build.sh runs
# it before the tests; it does nothing when all is there already.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-packages.sh
install_packages chromium
# Node may come from Debian (nodejs + npm) or be installed otherwise with
# its own npm; only a machine without npm gets Debian's.
command -v npm >/dev/null 2>&1 || install_packages nodejs npm
want=$(sed -n 's/.*"playwright-core": "\(.*\)".*/\1/p' tests/web/package.json)
have=$(sed -n 's/.*"version": "\(.*\)".*/\1/p' tests/web/node_modules/playwright-core/package.json \
  2>/dev/null || true)
if [ "$have" != "$want" ]; then
  echo "installing playwright-core $want (npm)" >&2
  npm install --prefix tests/web --no-package-lock --no-audit --no-fund --loglevel=error >&2
fi
