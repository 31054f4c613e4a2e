#!/usr/bin/env bash
# Readers under writers (bench/README.md, "Mixed load"): the 360° view and a sales user's
# dashboard measured alone, then while other clients write (a third of the requests), in one run
# on one server. Once, every write made the next 360° value card reload the analytics history
# inline on small bases: 360° views took seconds under writes (0.1 s without).
#   BENCH_CONTACTS=20000 BENCH_DURATION=15s BUILD_DIR=build bash bench/mixed_load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/gazelle
CONTACTS=${BENCH_CONTACTS:-20000}
DURATION=${BENCH_DURATION:-15s}
command -v wrk >/dev/null || { echo "bench: wrk is missing (bash scripts/install-deps.sh --bench)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/gazelle-mixed.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
DB=$WORK/mixed.db
echo "== Demo company with $CONTACTS contacts"
# --order-skew 0: the even order history these figures were measured on (the demo's default is 3).
"$BIN" demo --db "$DB" --contacts "$CONTACTS" --accounts $((CONTACTS / 5)) --order-skew 0 > "$WORK/demo.log" 2>&1
EMAIL=$("$BIN" user list --db "$DB" | awk '$0 ~ / admin / {print $2; exit}')
SALES=$("$BIN" user list --db "$DB" | awk '$0 ~ / sales / {print $2; exit}')
TOKEN=$("$BIN" token create "$EMAIL" --name bench --db "$DB")
SALES_TOKEN=$("$BIN" token create "$SALES" --name bench --db "$DB")
"$BIN" serve --db "$DB" --host 127.0.0.1 --port 0 > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 200); do
  PORT=$(sed -n 's/^Gazelle listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "bench: the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
URL=http://127.0.0.1:$PORT
sleep 3  # the analytics refresher's first load
MAX_ID=$CONTACTS
read_360() { BENCH_NAME=contact_360 BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID wrk -t1 -c8 -d"$DURATION" --latency -s bench/api.lua "$URL" | grep '^RESULT'; }
read_dash() { BENCH_NAME=dashboard BENCH_TOKEN=$SALES_TOKEN wrk -t1 -c4 -d"$DURATION" --latency -s bench/api.lua "$URL" | grep '^RESULT'; }
write() { BENCH_NAME=create_interaction BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID wrk -t1 -c6 -d"$DURATION" --latency -s bench/api.lua "$URL" | grep '^RESULT'; }

echo "== Alone"
alone_360=$(read_360); echo "$alone_360"
alone_dash=$(read_dash); echo "$alone_dash"
echo "== With writers (create_interaction on 6 connections)"
write > "$WORK/w1" & W=$!
mixed_360=$(read_360); wait $W; echo "$mixed_360"; cat "$WORK/w1"
write > "$WORK/w2" & W=$!
mixed_dash=$(read_dash); wait $W; echo "$mixed_dash"; cat "$WORK/w2"
# RESULT name requests seconds rps p50 p90 p99 max non2xx errors
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%s: p50 %.1f → %.1f ms, p99 %.1f → %.1f ms (p99 ×%.1f)\n", x[2], x[6], y[6], x[8], y[8], y[8] / (x[8] > 0 ? x[8] : 1) }'; }
echo "== Readers alone → under writes"
ratio "$alone_360" "$mixed_360"
ratio "$alone_dash" "$mixed_dash"
