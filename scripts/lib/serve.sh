# Sourced by scripts/e2e.sh and scripts/schemathesis.sh: starts `corridor serve` on a free port of
# 127.0.0.1 and stops it when the calling script exits.
#   start_server BIN LOG   # sets SERVER (its pid) and URL (http://127.0.0.1:PORT/), or fails
start_server() {
  local bin=$1 log=$2
  "$bin" serve --port 0 2> "$log" &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
  URL=""
  for _ in $(seq 1 150); do
    URL=$(sed -n 's|^corridor serve: listening on \(http://[^ ]*\)$|\1|p' "$log" | head -1)
    if [ -n "$URL" ] && curl -fs "${URL}health" > /dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  echo "server did not start" >&2
  cat "$log" >&2
  return 1
}
