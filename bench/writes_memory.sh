#!/usr/bin/env bash
# Writes under load and the server's memory on a large base (bench/README.md, "Writes and memory
# at 1,000,000 contacts, re-measured"):
#   bash bench/writes_memory.sh DB [BINARY]
# Serves DB (--workers 0), asks one 360° (it loads the analytics history for the value card),
# samples RssAnon every second for 20 s, then runs wrk -t2 -c16 -d8s creating interactions,
# /healthz, and creating interactions again, prints the memory, then once more after a 360° had
# the history reloaded (the old one must be freed). The writes add
# rows to DB. Make the base with `gazelle demo --db DB --accounts 200000 --contacts 1000000
# --households 300000 --interactions 2000000 --orders 400000 --tasks 100000 --order-skew 0`.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/server_port.sh
DB=${1:?usage: bench/writes_memory.sh DB [BINARY]}
BIN=${2:-build/gazelle}
for tool in wrk curl sqlite3; do command -v $tool >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }; done
serve_base "$DB" "$BIN" bench
curl -fsS -o /dev/null -w "first 360° (loads the history): %{time_total} s\n" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/contacts/1/360"
series=""
for _ in $(seq 1 20); do sleep 1; series="$series $(awk '/RssAnon/ {print int($2/1024)}' /proc/$PID/status)"; done
echo "RssAnon MB, each second:$series"
for s in create_interaction healthz create_interaction; do
  out=$(BENCH_NAME=$s BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID wrk -t2 -c16 -d8s --latency -s bench/api.lua "$URL")
  echo "$s: $(echo "$out" | awk '/Requests\/sec/ {print $2 " req/s"} / 50%/ {print "p50 " $2} / 99%/ {print "p99 " $2}' | tr '\n' ' ')"
done
echo "after the writes: $(grep -E 'RssAnon|RssFile' /proc/$PID/status | tr -s ' \t' ' ' | tr '\n' ' ')"
# A 360° after the writes finds the value card stale and has the history reloaded in the
# background: the memory once the new history replaced the old one (which must not stay).
for _ in $(seq 1 120); do
  card=$(curl -fsS -H "Authorization: Bearer $TOKEN" "$URL/api/v1/contacts/1/360" | grep -o '"stale":[a-z]*' || true)
  [ "$card" = '"stale":false' ] && break
  sleep 1
done
sleep 5
echo "after the reload (value card $card): $(grep -E 'RssAnon|RssFile' /proc/$PID/status | tr -s ' \t' ' ' | tr '\n' ' ')"
[ -f "$DB-wal" ] && echo "WAL file: $(( $(stat -c %s "$DB-wal") / 1048576 )) MB"
