#!/usr/bin/env bash
# The kanban board at 5,000 open opportunities (issue 15's targets: the board API under 50 ms
# p99, a column's cards likewise; the browser figures are bench/sales_board.mjs's). Generates a
# small demo company, adds BENCH_OPPORTUNITIES open deals spread over the default pipeline's open
# stages straight in SQLite, serves it and measures with wrk: the board's figures, a column's
# first cards, and /healthz as the machine's HTTP floor in the same run; then the board's
# aggregate on raw SQLite (sqlite3, the same SQL) as the database's own time.
#   BENCH_OPPORTUNITIES=5000 BENCH_DURATION=10s BENCH_THREADS=2 BENCH_CONNECTIONS=8 BUILD_DIR=build
#   BENCH_KEEP=1 keeps the work directory (and prints it) for bench/sales_board.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/gazelle
N=${BENCH_OPPORTUNITIES:-5000}
DURATION=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
for tool in wrk sqlite3 curl; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing (bash scripts/install-deps.sh --bench)" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/gazelle-board.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else echo "== kept $WORK"; fi
}
trap cleanup EXIT
DB=$WORK/board.db
echo "== Machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" demo --db "$DB" --accounts 2000 --contacts 6000 --households 1000 --interactions 20000 --orders 5000 --tasks 2000 >/dev/null
# BENCH_OPPORTUNITIES open deals over the open stages, owners and accounts drawn from the demo's.
sqlite3 "$DB" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N),
  st AS (SELECT key, probability_pct, ROW_NUMBER() OVER (ORDER BY position) - 1 AS k, COUNT(*) OVER () AS m
         FROM pipeline_stages WHERE pipeline_id = 1 AND outcome = 'open'),
  acc AS (SELECT id, owner_id, team_id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS m FROM accounts)
  INSERT INTO opportunities (name, account_id, pipeline_id, stage, status, amount_cents, currency, probability_pct,
    expected_close_date, forecast_category, competitors, owner_id, team_id, stage_entered_at, version, created_at, updated_at)
  SELECT 'Affaire ' || i, acc.id, 1, st.key, 'open', (abs(random()) % 5000 + 1) * 1000, 'EUR', st.probability_pct,
         date('now', '+' || (abs(random()) % 120) || ' days'), 'pipeline', '[]', acc.owner_id, acc.team_id,
         strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || (abs(random()) % 40) || ' days'), 1,
         strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
  FROM n JOIN st ON st.k = i % st.m JOIN acc ON acc.k = (i * 7) % acc.m;
  ANALYZE;"
OPEN=$(sqlite3 "$DB" "SELECT COUNT(*) FROM opportunities WHERE status = 'open'")
STAGES=$(sqlite3 "$DB" "SELECT group_concat(key, ' ') FROM pipeline_stages WHERE pipeline_id = 1 AND outcome = 'open'")
echo "== $OPEN open opportunities over the stages: $STAGES"
EMAIL=bench-admin@bench.gazelle.test
GAZELLE_PASSWORD=bench-password-123 "$BIN" user add "$EMAIL" --role admin --db "$DB" >/dev/null 2>&1 || true
TOKEN=$("$BIN" token create "$EMAIL" --name bench --db "$DB")
"$BIN" serve --db "$DB" --host 127.0.0.1 --port 0 --workers 0 --web-dir web/dist > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/^Gazelle listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "bench: the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
URL=http://127.0.0.1:$PORT
echo "$URL $TOKEN" > "$WORK/server.txt"
curl -fsS -H "Authorization: Bearer $TOKEN" "$URL/api/v1/sales/board" >/dev/null
printf '%-14s %9s %9s %9s %9s\n' scenario "req/s" "p50 ms" "p99 ms" "non-2xx"
for name in healthz board board_column; do
  BENCH_NAME=$name BENCH_TOKEN=$TOKEN BENCH_STAGES=$STAGES wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s bench/api.lua "$URL" >/dev/null
  r=$(BENCH_NAME=$name BENCH_TOKEN=$TOKEN BENCH_STAGES=$STAGES wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
      -s bench/api.lua "$URL" | grep '^RESULT ' | cut -d' ' -f2-)
  read -r _ _ _ rps p50 _ p99 _ non2xx _ <<< "$r"
  printf '%-14s %9s %9s %9s %9s\n' "$name" "$rps" "$p50" "$p99" "$non2xx"
done
# The database's own time for the board's aggregate (the same GROUP BY, every visible row).
SQL="SELECT stage, COUNT(*), SUM(amount_cents), SUM(amount_cents * COALESCE(probability_pct, 0)),
     SUM(CASE WHEN status = 'open' AND expected_close_date < date('now') THEN 1 ELSE 0 END)
     FROM opportunities WHERE pipeline_id = 1 AND archived_at IS NULL GROUP BY stage;"
start=$(date +%s%N)
for _ in $(seq 1 200); do echo "$SQL"; done | sqlite3 "$DB" >/dev/null
end=$(date +%s%N)
echo "raw sqlite3 board aggregate: $(( (end - start) / 200000 )) µs per query (200 queries in one sqlite3 process)"
# The browser figures (first paint, a move saved), when chromium and the web build are here.
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ -f web/dist/index.html ]; then
  node bench/sales_board.mjs "$URL" "${BENCH_ROUNDS:-10}"
fi
if [ "${BENCH_KEEP:-0}" = 1 ]; then
  echo "== server left running for the browser script: $URL (token in $WORK/server.txt); Ctrl-C to stop"
  wait "$SERVER_PID"
fi
