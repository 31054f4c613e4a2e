#!/usr/bin/env bash
# Issue 18's scale figures: the demo company with BENCH_CONTACTS contacts (default 1,000,000) and
# BENCH_CASES service cases (default 200,000, each replayed over its calendar), then with wrk
# (-t2 -c16) the agent's queue, a case page (the case, or its history with its service levels
# replayed), the open cases by deadline, and /healthz as the HTTP floor in the same run; then the
# screen pop's delay from the call event to the agent's event stream (BENCH_CALLS calls).
#   BENCH_CONTACTS=1000000 BENCH_CASES=200000 BENCH_DURATION=10s BUILD_DIR=build bash bench/service_bench.sh
# BENCH_DB: an already generated database (kept as it is). Needs wrk, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/gazelle
CONTACTS=${BENCH_CONTACTS:-1000000}
ACCOUNTS=${BENCH_ACCOUNTS:-$((CONTACTS / 5))}
CASES=${BENCH_CASES:-200000}
DURATION=${BENCH_DURATION:-10s}
CALLS=${BENCH_CALLS:-50}
for tool in wrk curl python3; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing (bash scripts/install-deps.sh --bench)" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/gazelle-service.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else echo "== kept $WORK"; fi
}
trap cleanup EXIT
echo "== Machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

DB=${BENCH_DB:-$WORK/service.db}
if [ ! -s "$DB" ]; then
  echo "== Generating $CONTACTS contacts, $ACCOUNTS accounts, $CASES cases"
  start=$(date +%s)
  "$BIN" demo --db "$DB" --accounts "$ACCOUNTS" --contacts "$CONTACTS" --households $((CONTACTS / 10)) \
    --interactions $((CONTACTS)) --orders $((CONTACTS / 10)) --tasks $((CONTACTS / 20)) --cases "$CASES" >/dev/null
  echo "== Generated in $(( $(date +%s) - start )) s; database $(( $(stat -c %s "$DB") / 1048576 )) MB"
fi
MAX_CASE=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT MAX(id) FROM cases').fetchone()[0])" "$DB")
AGENT=helene.roux@demo.gazelle.fr
TOKEN=$("$BIN" token create "$AGENT" --name bench --db "$DB")
ADMIN_TOKEN=$("$BIN" token create admin@demo.gazelle.fr --name bench --db "$DB")
# --workers 0: the API alone (the SLA watch would replay cases in the middle of a scenario).
"$BIN" serve --db "$DB" --host 127.0.0.1 --port 0 --workers 0 > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/^Gazelle listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "bench: the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }
URL=http://127.0.0.1:$PORT
curl -fsS -H "Authorization: Bearer $TOKEN" "$URL/api/v1/service/queue" >/dev/null

declare -A RES
run_wrk() {
  local name=$1
  local out
  out=$(BENCH_NAME=$name BENCH_TOKEN=$TOKEN BENCH_MAX_CASE=$MAX_CASE wrk -t2 -c16 -d"$DURATION" --latency -s bench/api.lua "$URL")
  RES[$name]=$(echo "$out" | grep '^RESULT ' | cut -d' ' -f2-)
  echo "   $name: ${RES[$name]}"
}
BENCH_NAME=case_page BENCH_TOKEN=$TOKEN BENCH_MAX_CASE=$MAX_CASE wrk -t2 -c16 -d3s -s bench/api.lua "$URL" >/dev/null  # warm-up
echo "== wrk -t2 -c16 -d$DURATION (RESULT name requests seconds rps p50 p90 p99 max non2xx errors)"
for s in healthz service_queue case_page case_list; do run_wrk "$s"; done

echo "== Screen pop: $CALLS calls, from the POST of the ringing event to the event on the agent's stream"
python3 - "$PORT" "$TOKEN" "$ADMIN_TOKEN" "$CALLS" <<'PY'
import http.client, json, socket, sys, time
port, agent, admin, calls = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(("GET /api/v1/service/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer %s\r\n\r\n" % agent).encode())
buf = b""
def wait_for(marker, timeout=5.0):
    global buf
    end = time.time() + timeout
    while marker not in buf:
        s.settimeout(max(0.01, end - time.time()))
        buf += s.recv(65536)
    i = buf.index(marker) + len(marker)
    buf = buf[i:]
wait_for(b": connected")
delays = []
for n in range(calls):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps({"call_id": "bench-%d-%d" % (time.time(), n), "event": "ringing", "caller": "+3361%07d" % n, "extension": "201"})
    t0 = time.time()
    conn.request("POST", "/api/v1/calls/events", body, {"Authorization": "Bearer " + admin, "Content-Type": "application/json"})
    r = conn.getresponse(); r.read()
    if r.status != 200: sys.exit("call event: %d" % r.status)
    wait_for(b"event: call")
    delays.append((time.time() - t0) * 1000)
    time.sleep(0.05)
delays.sort()
print("   screen pop delay ms: p50 %.1f  p99 %.1f  max %.1f" % (delays[len(delays) // 2], delays[int(len(delays) * 0.99) - 1], delays[-1]))
PY
echo "== Server RSS $(awk '$1 == "VmRSS:" {print int($2 / 1024)}' /proc/$SERVER_PID/status) MB"
