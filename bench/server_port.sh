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
