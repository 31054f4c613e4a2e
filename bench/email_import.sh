#!/usr/bin/env bash
# Issue 17's scale figures: a mailbox of BENCH_MESSAGES messages (default 50,000) imported over
# IMAP from a real Dovecot (scripts/mail-servers.sh), with its progress and the server's peak
# memory; then the 360° of a contact with BENCH_HEAVY messages (default 5,000) against a contact
# with a handful, and /healthz as the HTTP floor, in the same run (wrk).
#   BENCH_MESSAGES=50000 BENCH_HEAVY=5000 BENCH_DURATION=10s BUILD_DIR=build bash bench/email_import.sh
# Needs root (the mail servers), wrk, sqlite3, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/gazelle
N=${BENCH_MESSAGES:-50000}
HEAVY=${BENCH_HEAVY:-5000}
DURATION=${BENCH_DURATION:-10s}
for tool in wrk sqlite3 curl python3; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing (bash scripts/install-deps.sh --bench)" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/gazelle-email.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  bash scripts/mail-servers.sh stop "$WORK/mail" >/dev/null 2>&1 || true
  if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else echo "== kept $WORK"; fi
}
trap cleanup EXIT
echo "== Machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
eval "$(bash scripts/mail-servers.sh start "$WORK/mail")"

# The mailbox: N messages straight into sales's maildir (Dovecot assigns their UIDs when it first
# reads the folder): HEAVY from one customer, the rest from 1,000 others; about 1 KB each.
MAILDIR=$WORK/mail/mail/sales/Maildir
python3 - "$MAILDIR" "$N" "$HEAVY" <<'EOF'
import os, sys
root, n, heavy = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for d in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(root, d), exist_ok=True)
body = ("Bonjour,\r\n\r\n" + "Nous revenons vers vous au sujet de votre commande. " * 15 + "\r\n\r\nCordialement\r\n")
for i in range(n):
    sender = "gros.client@clients.test" if i < heavy else "client-%d@clients.test" % (i % 1000)
    day = 1 + i % 28
    msg = ("From: Client <%s>\r\nTo: sales@example.test\r\nSubject: Message %d\r\nMessage-ID: <bench-%d@clients.test>\r\n"
           "Date: Tue, %02d Nov 2026 10:%02d:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s"
           % (sender, i, i, day, i % 60, body))
    with open(os.path.join(root, "new", "%d.bench%d:2," % (1700000000 + i, i)), "w") as f:
        f.write(msg)
EOF
chown -R mail:mail "$WORK/mail/mail/sales"
echo "== $N messages written into sales@example.test's maildir ($(du -sh "$MAILDIR" | cut -f1))"

# Gazelle: a small demo company, the 1,001 correspondents as contacts.
DB=$WORK/email.db
"$BIN" demo --db "$DB" --accounts 500 --contacts 2000 --households 200 --interactions 5000 --orders 1000 --tasks 500 >/dev/null
sqlite3 "$DB" "
  WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 999)
  INSERT INTO contacts (first_name, last_name, emails, phones, lifecycle_stage, country, consent, preferences, tags, owner_id, version, created_at, updated_at)
  SELECT 'Client', 'Numéro ' || i, json_array('client-' || i || '@clients.test'), '[]', 'customer', 'FR', '{}', '{}', '[]', 1, 1,
         strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM k;
  INSERT INTO contacts (first_name, last_name, emails, phones, lifecycle_stage, country, consent, preferences, tags, owner_id, version, created_at, updated_at)
  VALUES ('Gros', 'Client', json_array('gros.client@clients.test'), '[]', 'customer', 'FR', '{}', '{}', '[]', 1, 1,
          strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));"
HEAVY_ID=$(sqlite3 "$DB" "SELECT id FROM contacts WHERE last_name = 'Client' AND first_name = 'Gros'")
LIGHT_ID=$(sqlite3 "$DB" "SELECT contact_id FROM interactions GROUP BY contact_id HAVING COUNT(*) BETWEEN 3 AND 6 LIMIT 1")
EMAIL=bench-admin@bench.gazelle.test
GAZELLE_PASSWORD=bench-password-123 "$BIN" user add "$EMAIL" --role admin --db "$DB" >/dev/null 2>&1 || true
TOKEN=$("$BIN" token create "$EMAIL" --name bench --db "$DB")
"$BIN" serve --db "$DB" --host 127.0.0.1 --port 0 --web-dir web/dist > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/^Gazelle listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "bench: the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
URL=http://127.0.0.1:$PORT
api() { curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
RSS_BEFORE=$(awk '/VmRSS/ {print $2}' /proc/$SERVER_PID/status)
MAILBOX=$(api -X POST "$URL/api/v1/mailboxes" -d "{\"name\":\"Ventes\",\"address\":\"sales@example.test\",\"imap_url\":\"$GAZELLE_TEST_MAIL_IMAP\",
  \"smtp_url\":\"$GAZELLE_TEST_MAIL_SUBMISSION\",\"username\":\"sales@example.test\",\"password\":\"$GAZELLE_TEST_MAIL_PASSWORD\",\"verify_tls\":false}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
start=$(date +%s.%N)
api -X POST "$URL/api/v1/mailboxes/$MAILBOX/sync" -d '{}' >/dev/null
last=""
while :; do
  sleep 5
  state=$(api "$URL/api/v1/mailboxes/$MAILBOX" | python3 -c 'import json,sys; m=json.load(sys.stdin); print(m["sync_status"], m["messages_imported"], m["messages_total"])')
  read -r status imported total <<< "$state"
  now=$(date +%s.%N)
  line="$(printf '%6.0f s' "$(echo "$now - $start" | bc)")  $status  $imported / $total"
  [ "$line" != "$last" ] && echo "   $line"
  last=$line
  [ "$imported" -ge "$N" ] && [ "$status" = up_to_date ] && break
  [ "$status" = error ] && { api "$URL/api/v1/mailboxes/$MAILBOX"; exit 1; }
done
end=$(date +%s.%N)
ELAPSED=$(echo "$end - $start" | bc)
PEAK=$(awk '/VmHWM/ {print $2}' /proc/$SERVER_PID/status)
echo "== imported $N messages in $(printf '%.0f' "$ELAPSED") s ($(echo "$N / $ELAPSED" | bc) messages/s);" \
     "server RSS $((RSS_BEFORE / 1024)) MB before, peak $((PEAK / 1024)) MB"
echo "== interactions of the heavy contact: $(sqlite3 "$DB" "SELECT COUNT(*) FROM interactions WHERE contact_id = $HEAVY_ID")"

# The 360° of the contact with HEAVY messages against one with a handful, and the HTTP floor.
cat > "$WORK/get.lua" <<'EOF'
local path, token = os.getenv("P"), os.getenv("T")
request = function() return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token}) end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.1f %.1f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
EOF
printf '%-22s %9s %9s %9s %9s\n' scenario "req/s" "p50 ms" "p99 ms" "non-2xx"
for s in "healthz /healthz" "360_few $( [ -n "$LIGHT_ID" ] && echo /api/v1/contacts/$LIGHT_ID/360)" "360_${HEAVY}_emails /api/v1/contacts/$HEAVY_ID/360"; do
  read -r name path <<< "$s"
  P=$path T=$TOKEN wrk -t2 -c8 -d2s -s "$WORK/get.lua" "$URL" >/dev/null
  r=$(P=$path T=$TOKEN wrk -t2 -c8 -d"$DURATION" --latency -s "$WORK/get.lua" "$URL" | grep '^RESULT ' | cut -d' ' -f2-)
  read -r rps p50 p99 non2xx <<< "$r"
  printf '%-22s %9s %9s %9s %9s\n' "$name" "$rps" "$p50" "$p99" "$non2xx"
done
