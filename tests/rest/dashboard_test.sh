#!/usr/bin/env bash
# The dashboard in a real browser: `amoc serve` on loopback, Debian's Chromium
# driven by playwright-core (installed into WORK/node_modules from the
# committed lock file; no browser download). Starts a run from the page,
# watches the users chart move, and keeps a screenshot (AMOC_SCREENSHOT_DIR).
# Usage: dashboard_test.sh AMOC_BINARY WORK_DIR
set -u
amoc=$(realpath "$1")
work=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
"$root/scripts/need-packages" chromium >/dev/null || exit 1
# A Node.js with its own npm (nodesource) conflicts with Debian's npm package.
command -v npm >/dev/null || "$root/scripts/need-packages" nodejs npm >/dev/null || exit 1
mkdir -p "$work"
cp "$here/dashboard/package.json" "$here/dashboard/package-lock.json" \
   "$here/dashboard/dashboard_test.mjs" "$work/"
cd "$work" || exit 1
if ! cmp -s package-lock.json node_modules/.amoc-installed-lock 2>/dev/null; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error || exit 1
  cp package-lock.json node_modules/.amoc-installed-lock
fi

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
timeout 120 node dashboard_test.mjs "http://127.0.0.1:$port/" "$token" "$shots/dashboard.png"
status=$?
echo "screenshot: $shots/dashboard.png"
exit $status
