#!/usr/bin/env bash
# Search latency per query class at full size (issue 16): a full name, a last name, 2- and
# 3-letter prefixes, a city, "first city", an e-mail, a company, a phone number in five written
# forms. Every request draws a fresh contact of the base and builds its text from it.
#
#   bash bench/search_latency.sh DB [requests per class] [connections...]
#   e.g. bash bench/search_latency.sh /work/benchdb/full1m.db 300 1 8
#
# Serves DB with $BIN (default build/gazelle; `--workers 0`), unless URL and TOKEN are given
# (a server already running). Needs node and sqlite3. Then, for the same texts, times the
# FTS5 query alone on the raw sqlite3 CLI (the peer: no HTTP, no JSON, no access checks).
set -euo pipefail
DB=${1:?usage: search_latency.sh DB [requests per class] [connections...]}
PER_CLASS=${2:-300}
shift $(( $# >= 2 ? 2 : $# ))
CONNS=("$@")
[ ${#CONNS[@]} -gt 0 ] || CONNS=(1 8)
BIN=${BIN:-build/gazelle}
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# Random contacts of the base, with their company and first e-mail and phone.
MAX_ID=$(sqlite3 "$DB" "SELECT MAX(id) FROM contacts")
SAMPLES=$WORK/samples.tsv
sqlite3 -separator $'\t' "$DB" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000),
       ids AS (SELECT DISTINCT abs(random()) % $MAX_ID + 1 AS id FROM n)
  SELECT c.first_name, c.last_name, c.city, coalesce(json_extract(c.emails, '\$[0]'), ''),
         coalesce(a.name, ''), coalesce(json_extract(c.phones, '\$[0]'), '')
  FROM contacts c JOIN ids USING (id) LEFT JOIN accounts a ON a.id = c.account_id;" > "$SAMPLES"
echo "== $(wc -l < "$SAMPLES") sampled contacts of $DB (max id $MAX_ID)"

if [ -z "${URL:-}" ]; then
  EMAIL=bench-admin@bench.gazelle.test
  GAZELLE_PASSWORD=bench-password-123 "$BIN" user add "$EMAIL" --role admin --db "$DB" >/dev/null 2>&1 || true
  TOKEN=$("$BIN" token create "$EMAIL" --name bench-search --db "$DB")
  "$BIN" serve --db "$DB" --host 127.0.0.1 --port 0 --workers 0 > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 300); do
    PORT=$(sed -n 's/^Gazelle listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  [ -n "$PORT" ] || { echo "the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  URL=http://127.0.0.1:$PORT
fi
echo "== server $URL ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${CONNS[@]}"; do
  node bench/search_latency.mjs "$URL" "$TOKEN" "$SAMPLES" "$PER_CLASS" "$c" "$WORK/sent-$c.tsv"
  echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
if [ -n "$SERVER_PID" ]; then
  echo "== server RSS: $(awk '$1 == "VmRSS:" {print int($2 / 1024) " MB"}' /proc/$SERVER_PID/status)"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
fi
# KEEP_SENT=FILE keeps the texts sent (class<TAB>text), to give them to another peer binary.
[ -z "${KEEP_SENT:-}" ] || cp "$WORK/sent-${CONNS[0]}.tsv" "$KEEP_SENT"
# The peer: the texts of the first run, on raw SQLite, one at a time.
PEER=${PEER:-$(dirname "$BIN")/search_peer}
if [ -x "$PEER" ]; then
  echo "== peer: $PEER (raw SQLite, same texts, same SQL, one connection)"
  "$PEER" "$DB" "$WORK/sent-${CONNS[0]}.tsv" "${SLOWEST:-0}"
else
  echo "== no peer: build it with cmake --build build --target search_peer"
fi
