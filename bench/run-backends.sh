#!/usr/bin/env bash
# SQLite vs PostgreSQL, one and two servers (`make bench-backends`, which builds first).
# Generates one demo company in SQLite, copies it with `gazelle migrate-data` into a throw-away
# PostgreSQL cluster (scripts/pg-cluster.sh: same machine, fsync=off), and runs the five
# scenarios of bench/api.lua, in the same run, against:
#   sqlite   one `gazelle serve` on the SQLite file
#   pg1      one `gazelle serve` on the PostgreSQL copy
#   pg2      two `gazelle serve` on the same PostgreSQL database, loaded at once by two wrk
#            processes (one per server, each with half the connections and threads); the
#            throughputs are added, the latencies are the worse of the two.
# Then, unless BENCH_FSYNC=0, restarts the cluster with fsync=on and reruns create_interaction
# on one server (pg1-fsync). Prints one table, with the ratios to SQLite, the server RSS, and
# the CPU seconds used by the Gazelle servers and by PostgreSQL during each scenario.
#
# Settings (environment), defaults = the published run:
#   BENCH_ACCOUNTS=20000 BENCH_CONTACTS=100000 BENCH_HOUSEHOLDS=30000
#   BENCH_INTERACTIONS=1000000 BENCH_ORDERS=200000 BENCH_TASKS=50000
#   BENCH_DURATION=15s BENCH_THREADS=2 BENCH_CONNECTIONS=16 BENCH_FSYNC=1
#   BENCH_DB     an already generated SQLite database to start from (it gets a bench admin and
#                token, then is copied to PostgreSQL; the SQLite runs write into it)
#   BENCH_DIR    working directory (default: a new temporary directory, removed at the end
#                unless BENCH_KEEP=1)
#   BUILD_DIR    where the binaries are (default build)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/gazelle
ACCOUNTS=${BENCH_ACCOUNTS:-20000}
CONTACTS=${BENCH_CONTACTS:-100000}
HOUSEHOLDS=${BENCH_HOUSEHOLDS:-30000}
INTERACTIONS=${BENCH_INTERACTIONS:-1000000}
ORDERS=${BENCH_ORDERS:-200000}
TASKS=${BENCH_TASKS:-50000}
DURATION=${BENCH_DURATION:-15s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
FSYNC_RUN=${BENCH_FSYNC:-1}

for tool in wrk sqlite3 curl psql; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: $BIN not built (make build)" >&2; exit 1; }

if [ -n "${BENCH_DIR:-}" ]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/gazelle-bb.XXXXXX); fi
# Run as root, the PostgreSQL cluster (in $WORK/pg) runs as the postgres OS user, which must be
# able to enter $WORK: mktemp -d makes it 700.
if [ -z "${BENCH_DIR:-}" ]; then chmod 755 "$WORK"; fi
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$WORK"; then
  echo "bench: the postgres user cannot enter $WORK (nor so the cluster's directory in it): chmod o+x it and its parents" >&2
  exit 1
fi
PG_DIR=$WORK/pg
SERVER_PIDS=()
stop_servers() {
  local p
  for p in "${SERVER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${SERVER_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  SERVER_PIDS=()
}
cleanup() {
  stop_servers
  bash scripts/pg-cluster.sh stop "$PG_DIR" 2>/dev/null || true
  if [ -z "${BENCH_DIR:-}" ] && [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "== Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Work directory: $WORK"

# 1. The data, in SQLite.
if [ -n "${BENCH_DB:-}" ]; then
  DB=$BENCH_DB; echo "== Using the existing database $DB"
else
  DB=$WORK/src.db
  echo "== Generating: $ACCOUNTS accounts, $HOUSEHOLDS households, $CONTACTS contacts, $INTERACTIONS interactions," \
       "$ORDERS orders, $TASKS tasks"
  "$BIN" demo --db "$DB" --accounts "$ACCOUNTS" --households "$HOUSEHOLDS" --contacts "$CONTACTS" \
    --interactions "$INTERACTIONS" --orders "$ORDERS" --tasks "$TASKS" --order-skew 0  # the history measured (bench/README.md)
fi
# The admin and its token are created before the copy: migrate-data carries them to PostgreSQL.
EMAIL=bench-admin@bench.gazelle.test
GAZELLE_PASSWORD=bench-password-123 "$BIN" user add "$EMAIL" --role admin --db "$DB" >/dev/null 2>&1 || true
TOKEN=$("$BIN" token create "$EMAIL" --name bench-backends --db "$DB")
read -r N_CONTACTS N_INTERACTIONS MAX_ID < <(sqlite3 -separator ' ' "$DB" \
  "SELECT (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM interactions), (SELECT MAX(id) FROM contacts)")
QUERIES=$WORK/queries.txt
sqlite3 "$DB" "
  WITH pick AS (SELECT first_name, last_name, city, abs(random()) % 10 AS k FROM contacts
                WHERE id IN (SELECT abs(random()) % $MAX_ID + 1 FROM generate_series(1, 400)))
  SELECT CASE WHEN k < 5 THEN first_name || ' ' || last_name
              WHEN k < 8 THEN last_name
              WHEN k < 9 THEN substr(last_name, 1, 4)
              ELSE first_name || ' ' || city END FROM pick;" > "$QUERIES" 2>/dev/null || true
[ -s "$QUERIES" ] || sqlite3 "$DB" "SELECT first_name || ' ' || last_name FROM contacts WHERE id % 251 = 0 LIMIT 400;" > "$QUERIES"
echo "== SQLite: $(du -m "$DB" | cut -f1) MB, $N_CONTACTS contacts, $N_INTERACTIONS interactions"

# 2. The same data in PostgreSQL.
PG_ROOT=$(bash scripts/pg-cluster.sh start "$PG_DIR")
PG_URL=${PG_ROOT%/postgres}/bench
psql -q "$PG_ROOT" -c "CREATE DATABASE bench"
echo "== PostgreSQL $(psql -Atq "$PG_ROOT" -c 'SHOW server_version'): $PG_URL"
echo "   settings: $(psql -Atq "$PG_ROOT" -c "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name) FROM pg_settings
      WHERE name IN ('fsync','synchronous_commit','shared_buffers','max_connections','work_mem','wal_level','full_page_writes')")"
start=$(date +%s.%N)
"$BIN" migrate-data --from "$DB" --to "$PG_URL" | tail -1
echo "   copied in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s;" \
     "database $(psql -Atq "$PG_ROOT" -c "SELECT pg_database_size('bench') / 1048576") MB"
psql -q "$PG_URL" -c "VACUUM ANALYZE"
PG_POSTMASTER=$(head -1 "$PG_DIR/data/postmaster.pid")

# CPU ticks (user + system) of processes and of their children (PostgreSQL backends).
ticks() {
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
  done
  echo "$total"
}
pg_pids() { echo "$PG_POSTMASTER" $(ps -o pid= --ppid "$PG_POSTMASTER"); }
HZ=$(getconf CLK_TCK)

# Starts one server on a database; sets SRV_PID and SRV_PORT.
start_server() {
  local db=$1 log=$WORK/server-${#SERVER_PIDS[@]}.log port="" pid
  "$BIN" serve --db "$db" --host 127.0.0.1 --port 0 --workers 0 > "$log" 2>&1 &
  pid=$!; SERVER_PIDS+=("$pid")
  for _ in $(seq 1 300); do
    port=$(sed -n 's/^Gazelle listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "bench: the server did not start:" >&2; cat "$log" >&2; exit 1; }
  SRV_PID=$pid; SRV_PORT=$port
}
fetch_cursors() {
  local url=$1 out=$2 cursor="" page
  : > "$out"
  for _ in $(seq 1 40); do
    page=$(curl -fsS -H "Authorization: Bearer $TOKEN" "$url/api/v1/contacts?limit=50${cursor:+&cursor=$cursor}")
    cursor=$(printf '%s' "$page" | sed -n 's/.*"next_cursor":"\([^"]*\)".*/\1/p')
    [ -n "$cursor" ] || break
    echo "$cursor" >> "$out"
  done
}
wrk_one() { # name url connections threads duration cursors
  BENCH_NAME=$1 BENCH_TOKEN=$TOKEN BENCH_MAX_ID=$MAX_ID BENCH_QUERIES=$QUERIES BENCH_CURSORS=$6 \
    wrk -t"$4" -c"$3" -d"$5" --latency -s bench/api.lua "$2" | grep '^RESULT ' | cut -d' ' -f2-
}

declare -A RES RSS SRV_CPU PG_CPU LOAD
CONFIGS=()
# run_config NAME DB NSERVERS SCENARIO...
run_config() {
  local cfg=$1 db=$2 n=$3; shift 3
  local urls=() i
  CONFIGS+=("$cfg")
  for i in $(seq 1 "$n"); do
    start_server "$db"
    urls+=("http://127.0.0.1:$SRV_PORT")
  done
  echo "== $cfg: $n server(s) on $db: ${urls[*]}"
  for i in "${!urls[@]}"; do
    curl -fsS -H "Authorization: Bearer $TOKEN" "${urls[$i]}/api/v1/contacts/1/360" >/dev/null
    fetch_cursors "${urls[$i]}" "$WORK/cursors-$i.txt"
  done
  local c=$((CONNECTIONS / n)) t=$(( THREADS / n > 0 ? THREADS / n : 1 ))
  # Warm-up (page cache, statement caches, connection pools), not reported.
  local wrks=()
  for i in "${!urls[@]}"; do wrk_one contact_360 "${urls[$i]}" "$c" "$t" 5s "$WORK/cursors-$i.txt" >/dev/null & wrks+=($!); done
  wait "${wrks[@]}"
  local s
  for s in "$@"; do
    local s0 p0 outs=()
    s0=$(ticks "${SERVER_PIDS[@]}"); p0=$(ticks $(pg_pids))
    wrks=()
    for i in "${!urls[@]}"; do wrk_one "$s" "${urls[$i]}" "$c" "$t" "$DURATION" "$WORK/cursors-$i.txt" > "$WORK/res-$i" & wrks+=($!); done
    wait "${wrks[@]}"
    SRV_CPU[$cfg.$s]=$(awk -v a="$s0" -v b="$(ticks "${SERVER_PIDS[@]}")" -v hz="$HZ" 'BEGIN { printf "%.1f", (b - a) / hz }')
    PG_CPU[$cfg.$s]=$(awk -v a="$p0" -v b="$(ticks $(pg_pids))" -v hz="$HZ" 'BEGIN { printf "%.1f", (b - a) / hz }')
    [ "$db" = "$DB" ] && PG_CPU[$cfg.$s]="-"
    # Sum the requests and throughputs, keep the worse latencies and all the errors.
    RES[$cfg.$s]=$(cat "$WORK"/res-[0-9]* | awk '{ req += $2; rps += $4; if ($5 > p50) p50 = $5; if ($6 > p90) p90 = $6;
        if ($7 > p99) p99 = $7; err += $9 + $10 } END { printf "%d %.3f %.3f %.3f %d", rps, p50, p90, p99, err }')
    rm -f "$WORK"/res-[0-9]*
    RSS[$cfg.$s]=$(for p in "${SERVER_PIDS[@]}"; do awk '$1 == "VmRSS:" {printf "%d ", $2 / 1024}' "/proc/$p/status"; done | sed 's/ $//; s/ /+/g')
    LOAD[$cfg.$s]=$(cut -d' ' -f1 /proc/loadavg)
    echo "   $s: ${RES[$cfg.$s]} (req/s p50 p90 p99 errors); RSS ${RSS[$cfg.$s]} MB; load ${LOAD[$cfg.$s]}"
  done
  stop_servers
}

SCENARIOS=(contact_360 search list list_cursor create_interaction)
run_config sqlite "$DB" 1 "${SCENARIOS[@]}"
run_config pg1 "$PG_URL" 1 "${SCENARIOS[@]}"
run_config pg2 "$PG_URL" 2 "${SCENARIOS[@]}"
if [ "$FSYNC_RUN" = 1 ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $(cat "$PG_DIR/port") -k $PG_DIR -h 127.0.0.1 -c fsync=on -c max_connections=300" restart >/dev/null
  PG_POSTMASTER=$(head -1 "$PG_DIR/data/postmaster.pid")
  echo "== PostgreSQL restarted with fsync=$(psql -Atq "$PG_ROOT" -c 'SHOW fsync')"
  run_config pg1-fsync "$PG_URL" 1 create_interaction
  run_config pg2-fsync "$PG_URL" 2 create_interaction
fi

# 3. The table.
echo
echo "Gazelle, SQLite vs PostgreSQL — $(nproc) cores; $N_CONTACTS contacts, $N_INTERACTIONS interactions;" \
     "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (two servers: two wrk, each -t$(( THREADS / 2 > 0 ? THREADS / 2 : 1 )) -c$((CONNECTIONS / 2)))"
echo "latencies in ms (two servers: the worse of the two wrk); CPU = seconds of CPU during the ${DURATION} run" \
     "(2 cores = 2 s per s); ratio = req/s / SQLite req/s"
printf '| %-18s | %-9s | %8s | %6s | %7s | %7s | %7s | %6s | %9s | %7s | %7s | %5s |\n' scenario backend req/s ratio p50 p90 p99 errors "RSS MB" "srv CPU" "pg CPU" load
printf '|%s|\n' "---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
for s in "${SCENARIOS[@]}"; do
  base=$(echo "${RES[sqlite.$s]:-0}" | cut -d' ' -f1)
  for cfg in "${CONFIGS[@]}"; do
    [ -n "${RES[$cfg.$s]:-}" ] || continue
    read -r rps p50 p90 p99 err <<< "${RES[$cfg.$s]}"
    ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    printf '| %-18s | %-9s | %8s | %6s | %7s | %7s | %7s | %6s | %9s | %7s | %7s | %5s |\n' "$s" "$cfg" "$rps" "$ratio" \
      "$p50" "$p90" "$p99" "$err" "${RSS[$cfg.$s]}" "${SRV_CPU[$cfg.$s]}" "${PG_CPU[$cfg.$s]}" "${LOAD[$cfg.$s]}"
  done
done
