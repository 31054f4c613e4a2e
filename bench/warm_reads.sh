#!/usr/bin/env bash
# Reads on a large base once the server is warm (bench/README.md, "The 360° at 1M: the value
# card's CLV found, not walked"):
#   bash bench/warm_reads.sh DB [BINARY] [SCENARIO...]     (default: contact_360 healthz contact_360)
# Serves DB (--workers 0), asks one 360° (the analytics history loads for the value card), waits
# 20 s for the background refresher, then runs wrk -t2 -c16 -d8s on each scenario of
# bench/api.lua in turn (ids drawn over the whole base) and prints its RESULT line (name,
# requests, seconds, req/s, p50, p90, p99, max ms, errors, non-2xx) and a CPU line (the server's
# CPU per request), then the server's RssAnon.
# Read-only unless a writing scenario is given.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/server_port.sh
DB=${1:?usage: bench/warm_reads.sh DB [BINARY] [SCENARIO...]}
BIN=${2:-build/gazelle}
shift $(( $# >= 2 ? 2 : $# ))
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(contact_360 healthz contact_360)
for tool in wrk curl sqlite3; do command -v $tool >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }; done
serve_base "$DB" "$BIN" bench-warm
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL/api/v1/contacts/1/360"
sleep 20
cpu_ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
for s in "${SCENARIOS[@]}"; do
  before=$(cpu_ticks)
  result=$(BENCH_NAME=$s BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID wrk -t2 -c16 -d8s --latency -s bench/api.lua "$URL" | grep '^RESULT ')
  echo "$result"
  # The server's own CPU per request (user + system, from /proc): steadier than req/s when wrk
  # and other processes share the cores.
  awk -v t="$(( $(cpu_ticks) - before ))" -v hz="$(getconf CLK_TCK)" '{printf "CPU %s %.3f ms per request\n", $2, t * 1000 / hz / $3}' <<< "$result"
done
echo "RssAnon $(awk '/RssAnon/ {print int($2/1024)}' /proc/$PID/status) MB"
