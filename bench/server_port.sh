# Sourced by the bench scripts: server_port LOG prints the port a `gazelle serve --port 0`
# announced in LOG, waiting up to 30 s for it; prints the log and fails if it never came.
server_port() {
  local log=$1 port="" _
  for _ in $(seq 1 300); do
    port=$(sed -n 's/^Gazelle listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.1
  done
  echo "bench: the server did not start:" >&2
  cat "$log" >&2
  return 1
}

# serve_base DB BIN TOKEN_NAME: an admin and its API token on DB, then `BIN serve` on a free
# port (--workers 0), stopped when the script exits. Sets TOKEN, MAX_ID (the largest contact id),
# PID and URL.
serve_base() {
  local db=$1 bin=$2 email=bench-admin@bench.gazelle.test
  GAZELLE_PASSWORD=bench-password-123 "$bin" user add "$email" --role admin --db "$db" >/dev/null 2>&1 || true
  TOKEN=$("$bin" token create "$email" --name "$3" --db "$db")
  MAX_ID=$(sqlite3 "$db" "SELECT max(id) FROM contacts")
  SERVE_LOG=$(mktemp)
  "$bin" serve --db "$db" --host 127.0.0.1 --port 0 --workers 0 > "$SERVE_LOG" 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null || true; rm -f "$SERVE_LOG"' EXIT
  URL=http://127.0.0.1:$(server_port "$SERVE_LOG")
}
