#!/usr/bin/env bash
# `amoc start --rest`: the REST gateway beside a background node drives the
# same runtime the console does; `amoc status` sees a run started over REST.
set -u
amoc=$1
work=$(mktemp -d)
export AMOC_RUN_DIR=$work/run AMOC_rest_token=secret-token AMOC_PLUGIN_DIR=$work/plugins
export AMOC_rest_port
AMOC_rest_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap '"$amoc" stop >/dev/null 2>&1; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; tail -20 "$AMOC_RUN_DIR/amoc.log" 2>/dev/null; exit 1; }
api() { curl -sS --max-time 10 -H "Authorization: Bearer secret-token" "$@"; }

"$amoc" start --rest || fail "amoc start --rest exited $?"
grep -q "REST API and dashboard on http://127.0.0.1:$AMOC_rest_port/ (local runs)" \
  "$AMOC_RUN_DIR/amoc.log" || fail "the log does not announce the gateway"
base=http://127.0.0.1:$AMOC_rest_port
api "$base/status" | grep -q '"status"' || fail "GET /status"
# Settings of the run go with the start request; no token, no run.
code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH -d '{"scenario":"dummy","users":5}' \
  "$base/execution/start")
[[ $code == 401 ]] || fail "start without token answered $code"
api -X PATCH -d '{"scenario":"dummy","users":5,"settings":{"interarrival":0,"dummy_sleep":"1h"}}' \
  "$base/execution/start" >/dev/null || fail "PATCH /execution/start"
for _ in $(seq 50); do
  out=$("$amoc" status 2>&1) && grep -qE "running .*5" <<<"$out" && break
  sleep 0.2
done
grep -q "dummy" <<<"$out" || fail "amoc status does not show the REST run: $out"
grep -qE "running.*5|5.*running" <<<"$out" || fail "amoc status does not show 5 running users: $out"
"$amoc" stop >/dev/null || fail "amoc stop"
curl -s --max-time 2 "$base/status" >/dev/null && fail "the gateway still answers after stop"
echo "rest option: ok"
