#!/usr/bin/env bash
# Instructions per 360° view, counted by callgrind: unlike req/s on a shared machine, the same
# binary gives the same count to 0.1 % from run to run, so a change of a few per cent shows
# (bench/README.md, "The 360° at 1M, seventh pass").
#   bash bench/view360_instructions.sh DB [BINARY] [VIEWS] [PATH]   (default: build/gazelle, 200 views)
# With PATH (e.g. '/api/v1/contacts?limit=50'), counts VIEWS requests of that path instead
# (bench/README.md, "Ninth pass": the list page).
# Copies DB (a demo base, e.g. 20,000 contacts: the first view loads the analytics history, slow
# under valgrind at 1M), serves the copy under valgrind with instrumentation off, asks 30 views
# to warm the caches, then counts the server's instructions over VIEWS views of contacts drawn
# with a fixed seed, and prints them per view. Needs valgrind (scripts/install-deps.sh --bench).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/server_port.sh
DB=${1:?usage: bench/view360_instructions.sh DB [BINARY] [VIEWS]}
BIN=${2:-build/gazelle}
VIEWS=${3:-200}
ASKED=${4:-}
command -v valgrind >/dev/null || { echo "bench: valgrind is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
WORK=$(mktemp -d)
cp "$DB" "$WORK/base.db"
GAZELLE_PASSWORD=bench-password-123 "$BIN" user add bench-admin@bench.gazelle.test --role admin --db "$WORK/base.db" >/dev/null 2>&1 || true
TOKEN=$("$BIN" token create bench-admin@bench.gazelle.test --name callgrind --db "$WORK/base.db")
MAX_ID=$(sqlite3 "$WORK/base.db" "SELECT max(id) FROM contacts")
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$WORK/callgrind.out" \
  "$BIN" serve --db "$WORK/base.db" --host 127.0.0.1 --port 0 --workers 0 --threads 2 > "$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
URL=http://127.0.0.1:$(server_port "$WORK/serve.log")
views() { python3 -c "
import random; random.seed($1)
print(' '.join('$URL/api/v1/contacts/%d/360' % random.randint(1, $MAX_ID) for _ in range($2)))"; }
asked() { if [ -n "$ASKED" ]; then for _ in $(seq 1 "$1"); do echo -n "$URL$ASKED "; done; else views 11 "$1"; fi; }
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" $(views 7 30) > /dev/null
[ -z "$ASKED" ] || curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" $(asked 20) > /dev/null
callgrind_control -i on $PID >/dev/null
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" $(asked "$VIEWS") > /dev/null
callgrind_control -i off $PID >/dev/null
callgrind_control -d $PID >/dev/null
kill $PID; wait $PID 2>/dev/null || true
TOTAL=$(callgrind_annotate "$WORK"/callgrind.out.1 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "RESULT view360_instructions ${ASKED:+path=$ASKED }views=$VIEWS total=$TOTAL per_view=$((TOTAL / VIEWS))"
