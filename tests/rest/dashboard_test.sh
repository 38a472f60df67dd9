#!/usr/bin/env bash
# The web pages in a real browser: `amoc serve` on loopback, Debian's Chromium
# driven by playwright-core (installed by scripts/setup next to the committed
# lock file; nothing is fetched while the test runs, no browser download).
# The API explorer (dashboard/api_docs_test.mjs): Swagger UI lists the
# operations, renders markdown, and try-it-out works with the token only.
# The dashboard (dashboard/dashboard_test.mjs): starts a run from the page,
# watches the charts move from the run's start, opens the latency chart on
# the main metric. Screenshots go to AMOC_SCREENSHOT_DIR, else WORK_DIR, and
# are checked for what they must show.
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
status=0
for page in api_docs dashboard; do
  timeout 120 node "$dashboard/${page}_test.mjs" "http://127.0.0.1:$port/" "$token" "$shots" \
    || status=1
done

# expect_colors PNG WHAT MIN RRGGBB...: at least MIN pixels of each colour.
expect_colors() {
  local png=$1 what=$2 min=$3
  shift 3
  [[ -s $png ]] || { echo "FAIL no screenshot $png"; status=1; return; }
  while read -r color count; do
    if ((count >= min)); then echo "ok   $what: $count pixels of #$color"
    else echo "FAIL $what: $count pixels of #$color (< $min) in $png"; status=1; fi
  done < <(python3 "$here/../apps/png_colors.py" "$png" "$@" | tail -n +2)
}
# Swagger UI's method badges: GET blue, PATCH green, PUT orange.
expect_colors "$shots/api_docs_ops.png" "operations listed in the screenshot" 200 61affe 50e3c2 fca130
# The latency chart's p50, p95 and p99 lines.
expect_colors "$shots/latency.png" "latency percentiles drawn in the screenshot" 50 4e79a7 f28e2b e15759
echo "screenshots: $shots"
exit $status
