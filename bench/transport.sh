#!/usr/bin/env bash
# Read throughput of two gazelle binaries on the same database, one after the other in the same
# run (bench/README.md, "HTTP transport"): e.g. the cpp-httplib server before issue 12 and the
# Beast/Asio one. Scenarios: contact_360, list (first page of 50 contacts), healthz; then
# /healthz while 70 slow clients send one header line every 3 s.
#
#   bash bench/transport.sh OLD_BINARY NEW_BINARY
# Environment: BENCH_DB (a generated database; default: a small demo company generated here),
#   BENCH_DURATION=10s BENCH_THREADS=2 BENCH_CONNECTIONS=16, SERVER_THREADS (--threads of both
#   servers, default 16 as in the API tests), NEW_ALT_ARGS (when set, NEW is also run with these
#   extra serve options, as "alt": e.g. --handlers-on-io).
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?old binary}
NEW=${2:?new binary}
DURATION=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
SERVER_THREADS=${SERVER_THREADS:-16}
command -v wrk >/dev/null || { echo "bench: wrk is missing (bash scripts/install-deps.sh --bench)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/gazelle-transport.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
DB=${BENCH_DB:-}
if [ -z "$DB" ]; then
  DB=$WORK/bench.db
  "$NEW" demo --db "$DB" --accounts 4000 --households 6000 --contacts 20000 --interactions 200000 --orders 40000 \
    --tasks 10000 --order-skew 0 >/dev/null  # the history measured (bench/README.md)
fi
MAX_ID=$(sqlite3 "$DB" "SELECT MAX(id) FROM contacts")
EMAIL=bench-admin@bench.gazelle.test
GAZELLE_PASSWORD=bench-password-123 "$NEW" user add "$EMAIL" --role admin --db "$DB" >/dev/null 2>&1 || true
TOKEN=$("$NEW" token create "$EMAIL" --name bench --db "$DB")

start_server() {
  local bin=$1; shift
  "$bin" serve --db "$DB" --host 127.0.0.1 --port 0 --workers 0 --threads "$SERVER_THREADS" "$@" > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's/^Gazelle listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  [ -n "$PORT" ] || { cat "$WORK/server.log" >&2; exit 1; }
  URL=http://127.0.0.1:$PORT
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

# /healthz latencies (ms) while 70 clients each send a header line every 3 s, for 12 s.
slow_clients() {
  python3 - "$PORT" <<'PY'
import socket, sys, time, http.client
port = int(sys.argv[1])
slow = []
for i in range(70):
    s = socket.socket()
    s.bind(("127.0.1.%d" % (i + 1), 0))
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    slow.append(s)
start = time.time(); nxt = start + 3; line = 0; lat = []; failed = 0
while time.time() - start < 12:
    if time.time() >= nxt:
        line += 1; nxt += 3
        for s in slow:
            try: s.sendall(b"X-Slow-%d: y\r\n" % line)
            except OSError: pass
    t = time.time()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        c.request("GET", "/healthz"); r = c.getresponse(); r.read(); ok = r.status == 200
    except OSError:
        ok = False
    lat.append((time.time() - t) * 1000)
    if not ok: failed += 1
    time.sleep(0.25)
lat.sort()
print("%d checks, %d failed or timed out (2 s), p50 %.1f ms, max %.1f ms" % (len(lat), failed, lat[len(lat)//2], lat[-1]))
PY
}

declare -A RES SLOW THR
VARIANTS=(old new)
[ -n "${NEW_ALT_ARGS:-}" ] && VARIANTS+=(alt)
# One server per scenario and variant, the variants interleaved scenario by scenario, so that
# load from outside the benchmark (a shared machine) falls on all of them alike.
run_variant() {
  local which=$1 bin=$OLD extra=()
  [ "$which" != old ] && bin=$NEW
  [ "$which" = alt ] && read -r -a extra <<< "$NEW_ALT_ARGS"
  start_server "$bin" "${extra[@]}"
}
for s in contact_360 list healthz; do
  for which in "${VARIANTS[@]}"; do
    run_variant "$which"
    BENCH_NAME=$s BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s bench/api.lua "$URL" >/dev/null
    out=$(BENCH_NAME=$s BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
          -s bench/api.lua "$URL")
    RES[$which,$s]=$(echo "$out" | grep '^RESULT ' | cut -d' ' -f2-)
    THR[$which]=$(awk '$1 == "Threads:" {print $2}' "/proc/$SERVER_PID/status")
    stop_server
  done
done
for which in "${VARIANTS[@]}"; do
  run_variant "$which"
  SLOW[$which]=$(slow_clients)
  stop_server
done

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, servers with --threads $SERVER_THREADS, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %-5s %9s %8s %8s %8s %7s\n' scenario bin req/s p50_ms p90_ms p99_ms errors
for s in contact_360 list healthz; do
  for which in "${VARIANTS[@]}"; do
    read -r _ _ _ rps p50 p90 p99 _ non2xx sockerr <<< "${RES[$which,$s]}"
    printf '%-12s %-5s %9s %8s %8s %8s %7s\n' "$s" "$which" "$rps" "$p50" "$p90" "$p99" "$((non2xx + sockerr))"
  done
done
[ -n "${NEW_ALT_ARGS:-}" ] && echo "alt = new with: $NEW_ALT_ARGS"
for which in "${VARIANTS[@]}"; do
  echo "$which: ${THR[$which]} threads after the scenarios; /healthz under 70 slow clients: ${SLOW[$which]}"
done
