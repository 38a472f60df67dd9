#!/usr/bin/env bash
# The HTML report as a person sees it: rendered by headless Chromium (Debian's
# chromium) with no network, the screenshot must show the charts and badges.
# Set AMOC_SCREENSHOT_DIR to keep the screenshots for a look.
set -u
amoc=$1
metrics_tests=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/checks.sh"
"$root/scripts/need-packages" chromium >/dev/null || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

screenshot() {  # screenshot HTML PNG
  rm -rf "$work/profile"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-quic \
    --user-data-dir="$work/profile" --screenshot="$2" --window-size=1280,2000 "file://$1" \
    >"$work/chromium.log" 2>&1
}

# A five-minute synthetic XMPP run with failures and a crossed threshold.
AMOC_REPORT_OUT=$work/synthetic.html "$metrics_tests" \
  --gtest_filter=report_html.is_self_contained_with_every_chart_and_table >/dev/null
check "synthetic report written" test -s "$work/synthetic.html"
screenshot "$work/synthetic.html" "$work/synthetic.png"
check "chromium rendered the synthetic report" test -s "$work/synthetic.png"
# Colours: chart blue (lines, area), chart red (p99, failure bars), the
# "thresholds crossed" badge text, and the white of the cards.
colors=$(python3 "$here/png_colors.py" "$work/synthetic.png" 4e79a7 e15759 d9480f ffffff)
check "screenshot is 1280x2000 ($(head -1 <<<"$colors"))" test "$(head -1 <<<"$colors")" = "1280 2000"
count() { awk -v c="$1" '$1 == c { print $2 }' <<<"$colors"; }
check "chart lines drawn ($(count 4e79a7) blue pixels)" test "$(count 4e79a7)" -gt 800
check "failure bars and p99 lines drawn ($(count e15759) red pixels)" test "$(count e15759)" -gt 2000
check "crossed-threshold badge shown ($(count d9480f) pixels)" test "$(count d9480f)" -gt 50
check "cards on the page ($(count ffffff) white pixels)" test "$(count ffffff)" -gt 500000

# A real run's report from `amoc run --report`.
cat >"$work/run.json" <<'JSON'
{"scenario": "dummy", "users": [1, 30],
 "settings": {"interarrival": "5ms", "repeat_num": 2, "repeat_interval": "100ms",
              "dummy_sleep": "200ms", "metrics_interval": "100ms"},
 "thresholds": {"users.ended.normal": ["count == 30"]}}
JSON
"$amoc" run "$work/run.json" --report "$work/run.html" >/dev/null 2>&1
check "amoc run --report exits 0" test $? -eq 0
screenshot "$work/run.html" "$work/run.png"
colors=$(python3 "$here/png_colors.py" "$work/run.png" 4e79a7 2f9e44)
check "users chart drawn ($(count 4e79a7) blue pixels)" test "$(count 4e79a7)" -gt 150
check "passed badge shown ($(count 2f9e44) green pixels)" test "$(count 2f9e44)" -gt 50

if [[ -n ${AMOC_SCREENSHOT_DIR:-} ]]; then
  cp "$work"/*.png "$work"/*.html "$AMOC_SCREENSHOT_DIR"/
fi
checks_done
