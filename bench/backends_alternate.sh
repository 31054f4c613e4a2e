#!/usr/bin/env bash
# One scenario of bench/api.lua on SQLite and on PostgreSQL (one server each), alternated ROUNDS
# times in one run, with the CPU each side spent per request: on a shared 2-core machine one
# pass of run-backends.sh moves by ±25 % between runs, an alternation shows what is the binary's.
#
#   bash bench/backends_alternate.sh DB [SCENARIO] [ROUNDS] [DURATION]
#   e.g. bash bench/backends_alternate.sh /work/benchdb/rb-src.db contact_360 3 8s
#
# DB is copied (SQLite side) and copied into a throw-away PostgreSQL cluster (scripts/pg-cluster.sh)
# under BENCH_DIR (default /tmp/gazelle-alt, which the postgres user must be able to enter).
# Prints per pass: req/s, p99, and CPU ms per request of the server and of PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?usage: backends_alternate.sh DB [SCENARIO] [ROUNDS] [DURATION]}
SCENARIO=${2:-contact_360}
ROUNDS=${3:-3}
DURATION=${4:-8s}
BIN=${BIN:-build/gazelle}
WORK=${BENCH_DIR:-/tmp/gazelle-alt}
source bench/server_port.sh
rm -rf "$WORK"; mkdir -p "$WORK"; chmod 755 "$WORK"
cp "$DB" "$WORK/sqlite.db"
EMAIL=bench-admin@bench.gazelle.test
GAZELLE_PASSWORD=bench-password-123 "$BIN" user add "$EMAIL" --role admin --db "$WORK/sqlite.db" >/dev/null 2>&1 || true
TOKEN=$("$BIN" token create "$EMAIL" --name bench-alternate --db "$WORK/sqlite.db")
MAX_ID=$(sqlite3 "$WORK/sqlite.db" "SELECT max(id) FROM contacts")
PG_URL=$(bash scripts/pg-cluster.sh start "$WORK/pg")
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; bash scripts/pg-cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true; }
trap cleanup EXIT
psql -q "$PG_URL" -c "CREATE DATABASE bench"
PG_URL=${PG_URL%/postgres}/bench
"$BIN" migrate-data --from "$WORK/sqlite.db" --to "$PG_URL" | tail -1   # the token comes along

start() {  # start NAME DBURL: sets the server's URL in URL_<NAME> and PID in PID_<NAME>
  "$BIN" serve --db "$2" --host 127.0.0.1 --port 0 --workers 0 > "$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  eval "PID_$1=$!"
  eval "URL_$1=http://127.0.0.1:$(server_port "$WORK/$1.log")"
}
start sqlite "$WORK/sqlite.db"
start pg "$PG_URL"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pg_ticks() { local t=0 p; for p in $(pgrep -u postgres); do t=$((t + $(ticks "$p" 2>/dev/null || echo 0))); done; echo $t; }
HZ=$(getconf CLK_TCK)
echo "| pass | backend | req/s | p99 ms | server CPU ms/request | PostgreSQL CPU ms/request |"
echo "|---|---|---:|---:|---:|---:|"
for round in $(seq 1 "$ROUNDS"); do
  for side in sqlite pg; do
    eval "url=\$URL_$side; pid=\$PID_$side"
    s0=$(ticks "$pid"); p0=$(pg_ticks)
    out=$(BENCH_NAME=$SCENARIO BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID wrk -t2 -c16 -d"$DURATION" --latency -s bench/api.lua "$url" 2>&1)
    s1=$(ticks "$pid"); p1=$(pg_ticks)
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    rate=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    awk -v r="$round" -v b="$side" -v rate="$rate" -v p99="$p99" -v n="$reqs" -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v hz="$HZ" \
      'BEGIN { printf "| %s | %s | %s | %s | %.2f | %s |\n", r, b, rate, p99, s * 1000 / hz / n, (b == "pg" ? sprintf("%.2f", p * 1000 / hz / n) : "-") }'
  done
done
