#!/usr/bin/env bash
# Plays one phone call against a Gazelle server, as a phone system would (docs/cti.md, "Call
# events"): ringing on an agent's extension, answered, then ended after the talk time.
#   GAZELLE_URL=http://127.0.0.1:8080 GAZELLE_TOKEN=gz_… scripts/call-simulator.sh CALLER EXTENSION [TALK_SECONDS] [RING_SECONDS]
# TALK_SECONDS 0: the call is never answered (a missed call).
set -euo pipefail
caller=${1:?usage: $0 CALLER EXTENSION [TALK_SECONDS] [RING_SECONDS]}
extension=${2:?usage: $0 CALLER EXTENSION [TALK_SECONDS] [RING_SECONDS]}
talk=${3:-30}
ring=${4:-3}
url=${GAZELLE_URL:-http://127.0.0.1:8080}
token=${GAZELLE_TOKEN:?set GAZELLE_TOKEN to an API token (gazelle token create …)}
call_id="sim-$(date +%s)-$$"

event() {
  local body
  body=$(printf '{"call_id":"%s","event":"%s","caller":"%s","extension":"%s"}' "$call_id" "$1" "$caller" "$extension")
  echo ">> $1"
  curl -fsS -X POST -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    --data "$body" "$url/api/v1/calls/events"
  echo
}

event ringing
sleep "$ring"
if [ "$talk" -gt 0 ]; then
  event answered
  sleep "$talk"
fi
event ended
