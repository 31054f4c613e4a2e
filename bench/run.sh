#!/usr/bin/env bash
# Gazelle's benchmark (`make bench`, which builds first): generates the demo company at a
# million contacts, serves it, and measures the API with wrk against the same queries run
# directly on SQLite (bench/peer_sqlite). Prints a table; nothing is built here.
#
# Sizes and settings, all overridable from the environment (defaults = the published run):
#   BENCH_ACCOUNTS=200000 BENCH_CONTACTS=1000000 BENCH_HOUSEHOLDS=300000
#   BENCH_INTERACTIONS=10000000 BENCH_ORDERS=2000000 (≈5 M order lines) BENCH_TASKS=500000
#   BENCH_DURATION=20s BENCH_THREADS=2 BENCH_CONNECTIONS=16 BENCH_PEER_ITERATIONS=5000
#   BENCH_DIR    working directory (default: a new temporary directory, removed at the end
#                unless BENCH_KEEP=1)
#   BENCH_DB     an already generated database to use instead of generating one
#   BUILD_DIR    where the binaries are (default build)
#   BENCH_SCENARIOS  the scenarios to run, space-separated (default: contact_360 search
#                lookup_phone list list_cursor create_interaction)
# Quick run: BENCH_CONTACTS=20000 BENCH_ACCOUNTS=4000 BENCH_HOUSEHOLDS=6000 \
#            BENCH_INTERACTIONS=200000 BENCH_ORDERS=40000 BENCH_TASKS=10000 BENCH_DURATION=5s bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/server_port.sh

BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/gazelle
PEER=$BUILD_DIR/peer_sqlite
ACCOUNTS=${BENCH_ACCOUNTS:-200000}
CONTACTS=${BENCH_CONTACTS:-1000000}
HOUSEHOLDS=${BENCH_HOUSEHOLDS:-300000}
INTERACTIONS=${BENCH_INTERACTIONS:-10000000}
ORDERS=${BENCH_ORDERS:-2000000}
TASKS=${BENCH_TASKS:-500000}
DURATION=${BENCH_DURATION:-20s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
PEER_ITERATIONS=${BENCH_PEER_ITERATIONS:-5000}

for tool in wrk sqlite3 curl; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing (bash scripts/install-deps.sh --bench)" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: $BIN not built (make build)" >&2; exit 1; }

if [ -n "${BENCH_DIR:-}" ]; then
  WORK=$BENCH_DIR; mkdir -p "$WORK"
else
  WORK=$(mktemp -d /tmp/gazelle-bench.XXXXXX)
fi
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -z "${BENCH_DIR:-}" ] && [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "== Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "== Work directory: $WORK"

# 1. The data.
GEN_SECONDS="-"
if [ -n "${BENCH_DB:-}" ]; then
  DB=$BENCH_DB
  echo "== Using the existing database $DB"
else
  DB=$WORK/bench.db
  rm -f "$DB" "$DB-wal" "$DB-shm"
  echo "== Generating: $ACCOUNTS accounts, $HOUSEHOLDS households, $CONTACTS contacts, $INTERACTIONS interactions," \
       "$ORDERS orders, $TASKS tasks"
  start=$(date +%s.%N)
  "$BIN" demo --db "$DB" --accounts "$ACCOUNTS" --households "$HOUSEHOLDS" --contacts "$CONTACTS" \
    --interactions "$INTERACTIONS" --orders "$ORDERS" --tasks "$TASKS" --order-skew 0  # the history measured (bench/README.md)
  GEN_SECONDS=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
fi
DB_SIZE=$(du -m "$DB" | cut -f1)
read -r N_CONTACTS N_INTERACTIONS N_LINES MAX_ID < <(sqlite3 -separator ' ' "$DB" \
  "SELECT (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM interactions), (SELECT COUNT(*) FROM order_lines),
          (SELECT MAX(id) FROM contacts)")
echo "== Database: ${DB_SIZE} MB, $N_CONTACTS contacts, $N_INTERACTIONS interactions, $N_LINES order lines"

# Search texts people type: "first last", a last name, the start of a last name, a city.
QUERIES=$WORK/queries.txt
sqlite3 "$DB" "
  WITH pick AS (SELECT first_name, last_name, city, abs(random()) % 10 AS k FROM contacts
                WHERE id IN (SELECT abs(random()) % $MAX_ID + 1 FROM generate_series(1, 400)))
  SELECT CASE WHEN k < 5 THEN first_name || ' ' || last_name
              WHEN k < 8 THEN last_name
              WHEN k < 9 THEN substr(last_name, 1, 4)
              ELSE first_name || ' ' || city END FROM pick;" > "$QUERIES" 2>/dev/null || true
if [ ! -s "$QUERIES" ]; then  # sqlite3 without generate_series
  sqlite3 "$DB" "SELECT first_name || ' ' || last_name FROM contacts WHERE id % 2503 = 0 LIMIT 400;" > "$QUERIES"
fi

# Stored numbers for the caller look-up: the phones of 2,000 random contacts and 500 random accounts
# (bench/api.lua writes each in a random form).
PHONES=$WORK/phones.txt
sqlite3 "$DB" "
  SELECT j.value FROM contacts c, json_each(c.phones) j
   WHERE c.id IN (SELECT abs(random()) % $MAX_ID + 1 FROM generate_series(1, 2000)) AND j.type = 'text';
  SELECT phone FROM accounts WHERE phone IS NOT NULL
     AND id IN (SELECT abs(random()) % (SELECT MAX(id) FROM accounts) + 1 FROM generate_series(1, 500));" \
  > "$PHONES" 2>/dev/null || true
if [ ! -s "$PHONES" ]; then  # sqlite3 without generate_series
  sqlite3 "$DB" "SELECT j.value FROM contacts c, json_each(c.phones) j WHERE c.id % 401 = 0 AND j.type = 'text' LIMIT 2000;" \
    > "$PHONES"
fi

# 2. The server, an admin and a token.
EMAIL=bench-admin@bench.gazelle.test
GAZELLE_PASSWORD=bench-password-123 "$BIN" user add "$EMAIL" --role admin --db "$DB" >/dev/null 2>&1 || true
TOKEN=$("$BIN" token create "$EMAIL" --name bench --db "$DB")
# --workers 0: measure the API alone; background jobs (task reminders over 500k tasks) would
# otherwise take the write lock in the middle of a scenario.
"$BIN" serve --db "$DB" --host 127.0.0.1 --port 0 --workers 0 > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=$(server_port "$WORK/server.log")
URL=http://127.0.0.1:$PORT
echo "== Server pid $SERVER_PID on $URL"
AUTH="Authorization: Bearer $TOKEN"
curl -fsS -H "$AUTH" "$URL/api/v1/contacts/1/360" >/dev/null || { echo "bench: 360 view failed" >&2; exit 1; }

# Cursors of the first pages of the contact list, for the paginated list scenario.
CURSORS=$WORK/cursors.txt
: > "$CURSORS"
cursor=""
for _ in $(seq 1 40); do
  page=$(curl -fsS -H "$AUTH" "$URL/api/v1/contacts?limit=50${cursor:+&cursor=$cursor}")
  cursor=$(printf '%s' "$page" | sed -n 's/.*"next_cursor":"\([^"]*\)".*/\1/p')
  [ -n "$cursor" ] || break
  echo "$cursor" >> "$CURSORS"
done

rss() { awk -v k="$1:" '$1 == k {print int($2 / 1024)}' "/proc/$SERVER_PID/status"; }
# The file pages the server maps, each counted once: with the database memory-mapped by every
# connection, RssFile (and VmRSS, VmHWM) count a page once per connection that touched it, while
# it is one page of the kernel's file cache (Pss_File shares it out among the mappings).
pss_file() { awk '$1 == "Pss_File:" {print int($2 / 1024)}' "/proc/$SERVER_PID/smaps_rollup" 2>/dev/null || echo "-"; }
ANON_PEAK=0

# 3. wrk, one scenario at a time.
declare -A RES RSS_AFTER LOAD_AFTER
run_wrk() {
  local name=$1
  echo "== wrk $name: -t$THREADS -c$CONNECTIONS -d$DURATION"
  local out
  out=$(BENCH_NAME=$name BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID BENCH_QUERIES=$QUERIES BENCH_CURSORS=$CURSORS \
        BENCH_PHONES=$PHONES wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/api.lua "$URL")
  echo "$out" | sed -n '/Latency Distribution/,/requests in/p' | sed 's/^/   /'
  RES[$name]=$(echo "$out" | grep '^RESULT ' | cut -d' ' -f2-)
  RSS_AFTER[$name]="$(rss VmRSS)/$(rss RssAnon)/$(pss_file)"
  local anon; anon=$(rss RssAnon); [ "$anon" -gt "$ANON_PEAK" ] && ANON_PEAK=$anon
  LOAD_AFTER[$name]=$(cut -d' ' -f1 /proc/loadavg)
}
# Warm-up (page cache, statement caches), not reported.
BENCH_NAME=contact_360 BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID wrk -t"$THREADS" -c"$CONNECTIONS" -d5s \
  -s bench/api.lua "$URL" >/dev/null
SCENARIOS=(${BENCH_SCENARIOS:-contact_360 search lookup_phone list list_cursor create_interaction})
for s in "${SCENARIOS[@]}"; do run_wrk "$s"; done
VMRSS=$(rss VmRSS); VMHWM=$(rss VmHWM); RSSANON=$(rss RssAnon); RSSFILE=$(rss RssFile); PSSFILE=$(pss_file)

# 4. The peer: the same SQL, in-process, on SQLite directly.
declare -A PEER_RES
if [ -x "$PEER" ]; then
  echo "== Peer: raw SQLite prepared statements ($THREADS threads, $PEER_ITERATIONS iterations each)"
  while read -r tag name rest; do
    [ "$tag" = PEER ] && PEER_RES[$name]=$rest
  done < <("$PEER" "$DB" "$QUERIES" "$PEER_ITERATIONS" "$THREADS" "$PHONES")
else
  echo "== Peer: $PEER not built, skipped"
fi

# 5. The table.
echo
echo "Gazelle benchmark — $(nproc) cores; $N_CONTACTS contacts, $N_INTERACTIONS interactions, $N_LINES order lines;" \
     "database ${DB_SIZE} MB; generated in ${GEN_SECONDS} s"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION; latencies in ms; peer = same SQL on raw SQLite, $THREADS threads, no HTTP"
printf '%-20s %9s %8s %8s %8s %7s | %9s %8s %8s | %9s %9s\n' scenario req/s p50 p90 p99 non2xx \
  peer_req/s peer_p50 peer_p99 "p50 ratio" "rps ratio"
for s in "${SCENARIOS[@]}"; do
  read -r _ _ _ rps p50 p90 p99 _ non2xx sockerr <<< "${RES[$s]:-x x x 0 0 0 0 0 0 0}"
  peer_key=$s; [ "$s" = list_cursor ] && peer_key=list
  [ "$s" = contact_360 ] && peer_key=contact_360_full  # every statement of the view, as the server runs them
  read -r prps pp50 pp99 <<< "${PEER_RES[$peer_key]:-0 0 0}"
  r50=$(awk -v a="$p50" -v b="$pp50" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
  rr=$(awk -v a="$rps" -v b="$prps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '%-20s %9s %8s %8s %8s %7s | %9s %8s %8s | %9s %9s\n' "$s" "$rps" "$p50" "$p90" "$p99" "$((non2xx + sockerr))" \
    "$prps" "$pp50" "$pp99" "$r50" "$rr"
done
echo "Server memory: VmRSS ${VMRSS} MB (anonymous ${RSSANON} MB, file-backed ${RSSFILE} MB of which distinct file pages" \
     "${PSSFILE} MB), peak VmHWM ${VMHWM} MB; peak anonymous after a scenario ${ANON_PEAK} MB"
echo "Memory after each scenario (MB, VmRSS/RssAnon/distinct file pages): $(for s in "${SCENARIOS[@]}"; do printf '%s=%s ' "$s" "${RSS_AFTER[$s]}"; done)"
echo "1-minute load average after each scenario (2 cores; above 2 means other work competed):" \
     "$(for s in "${SCENARIOS[@]}"; do printf '%s=%s ' "$s" "${LOAD_AFTER[$s]}"; done)"
echo
echo "Targets: contact_360 p99 < 5 ms; search p99 < 20 ms; lookup_phone p99 < 5 ms; reads > 10000 req/s;" \
     "RSS < 300 MB (anonymous; file-backed pages apart)"
