#!/usr/bin/env bash
# The dashboard in a real browser: `amoc serve` on loopback, Debian's Chromium
# driven by playwright-core (installed by scripts/setup next to the committed
# lock file; nothing is fetched while the test runs, no browser download).
# Starts a run from the page, watches the users chart move, and keeps a
# screenshot (AMOC_SCREENSHOT_DIR, else WORK_DIR).
# Usage: dashboard_test.sh AMOC_BINARY WORK_DIR
set -u
amoc=$(realpath "$1")
work=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
dashboard=$here/dashboard
for tool in chromium node; do
  command -v "$tool" >/dev/null || { echo "FAIL $tool is not installed: run scripts/setup"; exit 1; }
done
if ! cmp -s "$dashboard/package-lock.json" "$dashboard/node_modules/.amoc-installed-lock"; then
  echo "FAIL playwright-core is missing or older than package-lock.json in $dashboard: run scripts/setup"
  exit 1
fi
mkdir -p "$work"

plugins=$(mktemp -d)
log=$(mktemp)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$plugins" "$log"' EXIT
token=dashboard-test-token-0123456789
AMOC_PLUGIN_DIR=$plugins AMOC_rest_token=$token AMOC_dummy_sleep=20ms AMOC_interarrival=10ms \
  "$amoc" serve --port 0 2>"$log" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*/' "$log" | grep -o '[0-9]*/$' | tr -d /)
  [[ -n $port ]] && break
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "amoc serve did not start:"; cat "$log"; exit 1
fi
if grep -q "token $token" "$log"; then
  echo "FAIL a configured token must not be printed"; exit 1
fi
shots=${AMOC_SCREENSHOT_DIR:-$work}
mkdir -p "$shots"
timeout 120 node "$dashboard/dashboard_test.mjs" "http://127.0.0.1:$port/" "$token" \
  "$shots/dashboard.png"
status=$?
echo "screenshot: $shots/dashboard.png"
exit $status
