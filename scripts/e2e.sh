#!/usr/bin/env bash
# End-to-end checks of `corridor serve` that need more than cargo: an OSRM client library from
# PyPI (routingpy) against the OSRM-compatible service, and the web map in headless Chromium
# (Debian's chromium, driven by playwright-core from web/package-lock.json), which plans
# Almaty -> Istanbul avoiding RU and IR and saves target/e2e/screenshot.png.
#
# Needs: target/release/corridor (cargo build --release), python3, node + npm, /usr/bin/chromium
# (.ci/run installs it). Starts its own server on a free port of 127.0.0.1 and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/serve.sh
BIN=${CORRIDOR_BIN:-target/release/corridor}
mkdir -p target/e2e

echo "== e2e: Python venv with routingpy (target/e2e-venv)"
if [ ! -x target/e2e-venv/bin/python ]; then
  python3 -m venv target/e2e-venv
fi
target/e2e-venv/bin/pip install --quiet --disable-pip-version-check routingpy==1.3.0

echo "== e2e: npm ci in web/ (playwright-core, pinned by package-lock.json)"
(cd web && npm ci --no-audit --no-fund --loglevel=error)

echo "== e2e: start corridor serve"
start_server "$BIN" target/e2e/serve.log
echo "server at $URL"

echo "== e2e: routingpy OSRM client"
CORRIDOR_URL="$URL" target/e2e-venv/bin/python tests/e2e/test_osrm_routingpy.py

echo "== e2e: web map in headless Chromium (playwright-core)"
(cd web && CORRIDOR_URL="$URL" node tests/e2e.mjs ../target/e2e/screenshot.png)
echo "e2e passed (screenshot: target/e2e/screenshot.png)"
