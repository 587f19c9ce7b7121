#!/usr/bin/env bash
# The supervisor `make run` starts: Harbour's action server, Rasa server, public web app
# and daily purge, in the foreground; Ctrl-C stops them all.
# Called by `make run`, which has already installed and trained. Rasa listens on loopback
# only; its HTTP API is enabled only when RASA_AUTH_TOKEN is set, and then needs a JWT
# signed with the token. Its REST channel answers only the web app, which sends the secret
# kept beside the database (bot/rasa/channel_secret.py; HARBOUR_CHANNEL_SECRET overrides it).
set -euo pipefail
cd "$(dirname "$0")/.."

export RASA_TELEMETRY_ENABLED=false
export PYTHONPATH="${PWD}${PYTHONPATH:+:$PYTHONPATH}"
VENV_BIN="${HARBOUR_VENV:-.venv}/bin"
# Every setting with its default, from bot/settings.py (the environment wins): RASA_PORT,
# ACTIONS_PORT, HARBOUR_HOST, WEB_HOST, WEB_PORT, HARBOUR_MODEL, HARBOUR_DB, RETENTION_DAYS ...
settings_env="$("$VENV_BIN/python" -m bot.settings)"  # fails here on an invalid value
eval "$settings_env"
# Harbour's pipeline needs no TensorFlow, so Rasa runs through bot/rasa/launcher.py, which
# keeps TensorFlow out of memory unless a component uses it. HARBOUR_STOCK_RASA=1 runs
# the plain `rasa` command instead (the stock baseline in `make bench` uses it).
if [ "${HARBOUR_STOCK_RASA:-0}" = "1" ]; then
  rasa_cmd=("$VENV_BIN/rasa")
else
  rasa_cmd=("$VENV_BIN/python" -m bot.rasa.launcher)
fi

mkdir -p "$(dirname "$HARBOUR_DB")"
# The secret the web app, Rasa and the action server share (bot/rasa/channel_secret.py):
# HARBOUR_CHANNEL_SECRET, else the one kept beside the database. endpoints.yml sends it to
# the action server, which refuses calls without it.
HARBOUR_CHANNEL_SECRET="$("$VENV_BIN/python" -m bot.rasa.channel_secret)"
export HARBOUR_CHANNEL_SECRET

# Rasa's HTTP API, only with RASA_AUTH_TOKEN: the token signs JWTs (bot/rasa/api_auth.py),
# so callers send "Authorization: Bearer ..." and the token never travels in a URL.
api_args=()
if [ -n "${RASA_AUTH_TOKEN:-}" ]; then
  api_args=(--enable-api --jwt-secret "$RASA_AUTH_TOKEN" --jwt-method HS256)
fi

actions_pid="" rasa_pid="" web_pid="" purge_pid=""
stop() {
  trap - INT TERM EXIT
  kill $actions_pid $rasa_pid $web_pid $purge_pid 2>/dev/null || true
  wait 2>/dev/null || true
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

start_actions() {
  # rasa_sdk directly: the same server as `rasa run actions`, without loading all of Rasa,
  # with private logs (bot/rasa/rasa_sdk_server.py: no tracker dump when an action fails).
  # It binds to SANIC_HOST (default 0.0.0.0): keep the action server on loopback.
  SANIC_HOST="$HARBOUR_HOST" "$VENV_BIN/python" -m bot.rasa.rasa_sdk_server --actions actions --port "$ACTIONS_PORT" &
  actions_pid=$!
}
# Retention runs here, not in the public web app: conversations idle longer than
# RETENTION_DAYS are deleted now, then every HARBOUR_PURGE_EVERY_SECONDS (a day).
start_purge() {
  "$VENV_BIN/python" -m bot.privacy.retention --every "$HARBOUR_PURGE_EVERY_SECONDS" &
  purge_pid=$!
}
start_purge
start_actions
"${rasa_cmd[@]}" run --model "$HARBOUR_MODEL" --interface "$HARBOUR_HOST" --port "$RASA_PORT" \
  --credentials "$HARBOUR_CREDENTIALS" --endpoints "$HARBOUR_ENDPOINTS" "${api_args[@]}" &
rasa_pid=$!
"$VENV_BIN/python" -m bot.web &
web_pid=$!

echo "Harbour: demo page and widget on http://$WEB_HOST:$WEB_PORT/ ; Rasa on" \
     "http://$HARBOUR_HOST:$RASA_PORT (loopback); actions on :$ACTIONS_PORT. Ctrl-C stops all."
# Rasa and the web app are what parents talk to: if either stops, Harbour stops. If the
# action server stops, Rasa keeps answering (its REST channel adds the region's helpline
# when an action fails) and the action server is restarted after a short pause; so is
# the purge job.
while true; do
  wait -n || true
  if ! kill -0 "$rasa_pid" 2>/dev/null || ! kill -0 "$web_pid" 2>/dev/null; then
    echo "Harbour: the Rasa server or the web app stopped; stopping everything." >&2
    exit 1
  fi
  if ! kill -0 "$actions_pid" 2>/dev/null; then
    echo "Harbour: the action server stopped; restarting it in 5 seconds." >&2
    sleep 5
    start_actions
  fi
  if ! kill -0 "$purge_pid" 2>/dev/null; then
    echo "Harbour: the daily purge job stopped; restarting it." >&2
    start_purge
  fi
done
