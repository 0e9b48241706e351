#!/usr/bin/env bash
# Load test of `corridor serve` with wrk (Debian package), against 127.0.0.1 only, bounded in
# time: mixed route queries (scripts/loadtest.lua) for DURATION seconds (default 60, at most 600)
# at CONNECTIONS connections (default 64). Prints wrk's summary, median / p99 latency, errors,
# and the server's peak resident memory (VmHWM). Exit 1 if any request failed.
#
# Usage: bash scripts/loadtest.sh [DURATION] [CONNECTIONS]   (needs target/release/corridor; run
# `corridor prepare` first so that the server uses the prepared engine, as in production)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-60}
CONNECTIONS=${2:-64}
BIN=${CORRIDOR_BIN:-target/release/corridor}
if ! [[ "$DURATION" =~ ^[0-9]+$ ]] || [ "$DURATION" -lt 1 ] || [ "$DURATION" -gt 600 ]; then
  echo "duration must be 1..600 seconds" >&2; exit 2
fi
command -v wrk > /dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 2; }
mkdir -p target/loadtest

"$BIN" serve --bind 127.0.0.1 --port 0 2> target/loadtest/serve.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
URL=""
for _ in $(seq 1 100); do
  URL=$(sed -n 's|^corridor serve: listening on \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' target/loadtest/serve.log | head -1)
  if [ -n "$URL" ] && curl -fs "${URL}health" > /dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fs "${URL}health" > /dev/null || { echo "server did not start" >&2; cat target/loadtest/serve.log >&2; exit 1; }
sed -n 2p target/loadtest/serve.log
# warm-up: every query once (page in the network and landmark cache)
for p in $(sed -n 's/^  "\(\/[^"]*\)",$/\1/p' scripts/loadtest.lua); do
  curl -fs -o /dev/null "${URL%/}$p" || { echo "warm-up query failed: $p" >&2; exit 1; }
done
echo "== wrk: ${DURATION} s, ${CONNECTIONS} connections, 2 threads, $(nproc) cores, $(date -u +%Y-%m-%d)"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -s scripts/loadtest.lua "$URL" | tee target/loadtest/wrk.txt
echo "server peak memory: $(grep VmHWM /proc/$SERVER/status | awk '{printf "%.0f MB", $2/1024}')"
grep -q "Non-2xx\|Socket errors" target/loadtest/wrk.txt && { echo "load test had errors" >&2; exit 1; }
grep -q "errors: connect 0, read 0, write 0, timeout 0, non-2xx 0" target/loadtest/wrk.txt || { echo "load test had errors" >&2; exit 1; }
echo "load test passed: no errors"
