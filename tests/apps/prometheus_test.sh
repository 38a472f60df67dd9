#!/usr/bin/env bash
# amoc run's /metrics endpoint: valid for `promtool check metrics`, and
# scraped by a real Prometheus (Debian's prometheus) on loopback.
set -u
amoc=$1
metrics_tests=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/checks.sh"
"$root/scripts/need-packages" prometheus curl >/dev/null || exit 1
work=$(mktemp -d)
prom_pid=
trap '[[ -n $prom_pid ]] && kill $prom_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

port=$(free_port) || exit 1
prom_port=$(free_port) || exit 1
cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 500ms
  scrape_timeout: 400ms
scrape_configs:
  - job_name: amoc
    static_configs:
      - targets: ["127.0.0.1:$port"]
YML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
prom_pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$prom_port/-/ready" >/dev/null && break
  sleep 0.1
done
check "prometheus is ready" curl -sf "http://127.0.0.1:$prom_port/-/ready" -o /dev/null
# Prometheus applies discovered targets up to 5 s after start: wait for ours.
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$prom_port/api/v1/targets" | grep -q "127.0.0.1:$port" && break
  sleep 0.1
done

# 12 users for about 3 s, with metrics served on 127.0.0.1:$port.
cat >"$work/run.json" <<JSON
{"scenario": "dummy", "users": [1, 12],
 "settings": {"interarrival": 0, "repeat_num": 3, "repeat_interval": 0, "dummy_sleep": "1s",
              "prometheus_port": $port}}
JSON
"$amoc" run "$work/run.json" >"$work/out.txt" 2>&1 &
amoc_pid=$!
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/metrics" -o "$work/metrics.txt" && break
  sleep 0.1
done
sleep 1
curl -sf "http://127.0.0.1:$port/metrics" -o "$work/metrics.txt"
wait $amoc_pid
code=$?
check "amoc run exits 0 (got $code)" test $code -eq 0
check "/metrics has users.started" grep -q '^amoc_users_started_total 12$' "$work/metrics.txt"
check "/metrics has users.running" grep -q '^amoc_users_running ' "$work/metrics.txt"
promtool check metrics <"$work/metrics.txt" >"$work/promtool.txt" 2>&1
code=$?
check "promtool check metrics passes (exit $code: $(cat "$work/promtool.txt"))" test $code -eq 0

# Histograms too (the dummy scenario records none): a registry with latencies.
AMOC_PROMETHEUS_OUT=$work/histograms.txt "$metrics_tests" \
  --gtest_filter=prometheus.exposition_has_counters_gauges_and_histograms >/dev/null
check "histogram exposition written" grep -q '_bucket{le="+Inf"}' "$work/histograms.txt"
promtool check metrics <"$work/histograms.txt" >"$work/promtool.txt" 2>&1
code=$?
check "promtool accepts histograms (exit $code: $(cat "$work/promtool.txt"))" test $code -eq 0

# What Prometheus stored while the run went on.
query() {
  curl -sf --get "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'
}
check "prometheus scraped users.started = 12 (got $(query 'max_over_time(amoc_users_started_total[1m])'))" \
  test "$(query 'max_over_time(amoc_users_started_total[1m])')" = 12
check "prometheus scraped users.running = 12 (got $(query 'max_over_time(amoc_users_running[1m])'))" \
  test "$(query 'max_over_time(amoc_users_running[1m])')" = 12
check "the scrape target was up (got $(query 'max_over_time(up{job="amoc"}[1m])'))" \
  test "$(query 'max_over_time(up{job="amoc"}[1m])')" = 1

checks_done
