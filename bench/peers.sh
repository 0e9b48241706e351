#!/usr/bin/env bash
# Side-by-side benchmark of corridor against scgraph, pyroutingkit (RoutingKit CCH) and searoute.
# Makes target/bench-venv, exports QUERIES (default 200) queries with corridor-bench, runs
# bench/peers.py on the export and writes target/peers-report.txt. Bounded by timeouts.
#
# Usage: bash bench/peers.sh            (env: QUERIES=200 LIMIT=0 SEAROUTE=100 PEERS_TIMEOUT=2400)
set -euo pipefail
cd "$(dirname "$0")/.."

QUERIES=${QUERIES:-200}
LIMIT=${LIMIT:-0}
SEAROUTE=${SEAROUTE:-100}
PEERS_TIMEOUT=${PEERS_TIMEOUT:-2400}
VENV=target/bench-venv
EXPORT=target/peer-export
BENCH=target/release/corridor-bench

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check scgraph pyroutingkit searoute numpy

if [ ! -x "$BENCH" ]; then
    timeout 1800 cargo build --release -p corridor-cli -p corridor-bench
fi

rm -rf "$EXPORT"
# corridor-bench also times plain Dijkstra per query: about 1 min per 100 queries
timeout $((600 + QUERIES * 3)) "$BENCH" --queries "$QUERIES" --export "$EXPORT"

timeout "$PEERS_TIMEOUT" "$VENV/bin/python" bench/peers.py "$EXPORT" --limit "$LIMIT" --searoute "$SEAROUTE" \
    2>&1 | tee target/peers-report.txt
