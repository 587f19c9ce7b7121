#!/usr/bin/env bash
# Starts Harbour's action server and Rasa server in the foreground; Ctrl-C stops both.
# Called by `make run`, which has already installed and trained. Rasa listens on loopback
# only; its HTTP API is enabled only when RASA_AUTH_TOKEN is set, and then needs the token.
set -euo pipefail
cd "$(dirname "$0")/.."

export RASA_TELEMETRY_ENABLED=false
export PYTHONPATH="${PWD}${PYTHONPATH:+:$PYTHONPATH}"
: "${RASA_PORT:=5005}" "${ACTIONS_PORT:=5055}" "${HARBOUR_DB:=var/harbour.db}"
: "${RETENTION_DAYS:=30}" "${HARBOUR_MODEL:=models/harbour.tar.gz}" "${HARBOUR_HOST:=127.0.0.1}"
export RASA_PORT ACTIONS_PORT HARBOUR_DB RETENTION_DAYS
VENV_BIN="${HARBOUR_VENV:-.venv}/bin"

mkdir -p "$(dirname "$HARBOUR_DB")"
"$VENV_BIN/python" -m bot.retention --db "$HARBOUR_DB" --days "$RETENTION_DAYS"

api_args=()
if [ -n "${RASA_AUTH_TOKEN:-}" ]; then
  api_args=(--enable-api --auth-token "$RASA_AUTH_TOKEN")
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

"$VENV_BIN/rasa" run actions --actions actions --port "$ACTIONS_PORT" &
pids+=($!)
"$VENV_BIN/rasa" run --model "$HARBOUR_MODEL" --interface "$HARBOUR_HOST" --port "$RASA_PORT" \
  --credentials credentials.yml --endpoints endpoints.yml "${api_args[@]}" &
pids+=($!)

echo "Harbour: Rasa on http://$HARBOUR_HOST:$RASA_PORT (REST channel /webhooks/rest/webhook)," \
     "actions on :$ACTIONS_PORT. Ctrl-C stops both."
# If either server exits, stop the other: a half-running Harbour is worse than none.
wait -n
