#!/usr/bin/env bash
# amoc run's /metrics endpoint: valid for `promtool check metrics` without a
# warning, scraped by a real Prometheus (Debian's prometheus) on loopback whose
# HTTP API then returns the run's labelled counters as --out has them, up
# after the run for prometheus_linger, and with a `node` label per worker in
# a distributed run.
set -u
amoc=$1
metrics_tests=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/checks.sh"
"$root/scripts/need-packages" prometheus curl >/dev/null || exit 1
work=$(mktemp -d)
prom_pid=
node_pids=()
trap '[[ -n $prom_pid ]] && kill $prom_pid 2>/dev/null; for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null; done
      wait 2>/dev/null; rm -rf "$work"' EXIT

port=$(free_port) || exit 1
dist_port=$((port + 1))  # free_port checks three in a row
prom_port=$(free_port) || exit 1
cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 500ms
  scrape_timeout: 400ms
scrape_configs:
  - job_name: amoc
    static_configs:
      - targets: ["127.0.0.1:$port", "127.0.0.1:$dist_port"]
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

# 12 users for about 3 s, with metrics served on 127.0.0.1:$port during the
# run and 3 s after it.
cat >"$work/run.json" <<JSON
{"scenario": "dummy", "users": [1, 12],
 "settings": {"interarrival": 0, "repeat_num": 3, "repeat_interval": 0, "dummy_sleep": "1s",
              "prometheus_port": $port, "prometheus_linger": "3s"}}
JSON
"$amoc" run "$work/run.json" --out "$work/result.json" >"$work/out.txt" 2>&1 &
amoc_pid=$!
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/metrics" -o "$work/metrics.txt" && break
  sleep 0.1
done
sleep 1
curl -sf "http://127.0.0.1:$port/metrics" -o "$work/metrics.txt"
# The users ended: amoc says /metrics stays up, and a scrape now sees the end.
for _ in $(seq 100); do
  grep -q 'stays up' "$work/out.txt" && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/metrics" -o "$work/final.txt"
check "amoc is still up after the run (prometheus_linger)" kill -0 $amoc_pid
wait $amoc_pid
code=$?
check "amoc run exits 0 (got $code)" test $code -eq 0
check "/metrics has users.started" grep -q '^amoc_users_started_total 12$' "$work/metrics.txt"
check "/metrics has users.running" grep -q '^amoc_users_running ' "$work/metrics.txt"
check "/metrics after the run: no user running" grep -q '^amoc_users_running 0$' "$work/final.txt"
check "/metrics after the run: 12 ended normally" \
  grep -qx 'amoc_users_ended_total{reason="normal"} 12' "$work/final.txt"
check "/metrics has HELP and TYPE for users_ended" \
  grep -qx '# TYPE amoc_users_ended_total counter' "$work/final.txt"

# promtool checks the format and lints the names (units, _total, HELP):
# exit 0 and not a single warning.
promtool_clean() {
  promtool check metrics <"$1" >"$work/promtool.txt" 2>&1
  local code=$?
  cat "$work/promtool.txt"
  [[ $code -eq 0 && ! -s $work/promtool.txt ]]
}
for f in metrics final; do
  check "promtool check metrics: $f.txt is clean" promtool_clean "$work/$f.txt"
done

# Histograms and labelled families too (the dummy scenario records no
# latency): registries of the metrics unit tests.
AMOC_PROMETHEUS_OUT=$work/histograms.txt AMOC_PROMETHEUS_LABELLED_OUT=$work/labelled.txt \
  "$metrics_tests" --gtest_filter='prometheus.exposition_*:prometheus.labelled_*' >/dev/null
check "histogram exposition written" grep -q '_bucket{le="+Inf"}' "$work/histograms.txt"
check "labelled histogram exposition written" grep -q '_bucket{name="login",le="+Inf"}' "$work/labelled.txt"
for f in histograms labelled; do
  check "promtool check metrics: $f.txt is clean" promtool_clean "$work/$f.txt"
done

# What Prometheus stored while the run went on.
query() {
  curl -sf --get "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'
}
expect() {  # expect NAME QUERY VALUE: Prometheus answers VALUE to QUERY
  local got
  got=$(query "$2")
  check "prometheus: $1 = $3 (got $got)" test "$got" = "$3"
}
expect "users.started" 'max_over_time(amoc_users_started_total{instance="127.0.0.1:'$port'"}[1m])' 12
expect "users.running" 'max_over_time(amoc_users_running{instance="127.0.0.1:'$port'"}[1m])' 12
expect "the scrape target was up" 'max_over_time(up{job="amoc",instance="127.0.0.1:'$port'"}[1m])' 1
# The last scrape came after the run (prometheus_linger), and its labelled
# counter is what --out says.
ended=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metrics"]["counters"]["users.ended.normal"]["total"])' "$work/result.json")
check "--out has users.ended.normal = 12 (got $ended)" test "$ended" = 12
expect "users ended normally, last scrape" \
  'last_over_time(amoc_users_ended_total{reason="normal",instance="127.0.0.1:'$port'"}[1m])' "$ended"
expect "users running, last scrape" 'last_over_time(amoc_users_running{instance="127.0.0.1:'$port'"}[1m])' 0

# A distributed run: two worker nodes, counters with a `node` label each.
for name in w1 w2; do
  "$amoc" node --listen 127.0.0.1:0 --insecure --name $name >"$work/$name.log" 2>&1 &
  node_pids+=($!)
done
addresses=()
for name in w1 w2; do
  for _ in $(seq 100); do
    grep -q 'listening on' "$work/$name.log" && break
    sleep 0.1
  done
  addresses+=("\"$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$work/$name.log" | head -1)\"")
done
cat >"$work/dist.json" <<JSON
{"scenario": "dummy", "users": [1, 10], "nodes": [${addresses[0]}, ${addresses[1]}],
 "settings": {"interarrival": 0, "repeat_num": 2, "repeat_interval": 0, "dummy_sleep": "500ms",
              "node_insecure": true, "prometheus_port": $dist_port, "prometheus_linger": "3s"}}
JSON
"$amoc" run "$work/dist.json" --out "$work/dist_result.json" >"$work/dist_out.txt" 2>&1 &
amoc_pid=$!
for _ in $(seq 100); do
  grep -q 'stays up' "$work/dist_out.txt" && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$dist_port/metrics" -o "$work/dist.txt"
wait $amoc_pid
code=$?
check "distributed amoc run exits 0 (got $code)" test $code -eq 0
for name in w1 w2; do
  check "/metrics has node $name's users" \
    grep -qE '^amoc_users_started_total\{node="'$name'"\} [1-9]' "$work/dist.txt"
done
check "promtool check metrics: dist.txt is clean" promtool_clean "$work/dist.txt"
dist_ended=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metrics"]["counters"]["users.ended.normal"]["total"])' "$work/dist_result.json")
on_dist='instance="127.0.0.1:'$dist_port'"'
expect "nodes with users ended" 'count(last_over_time(amoc_users_ended_total{reason="normal",'$on_dist'}[1m]))' 2
expect "users ended on both nodes, as --out says" \
  'sum(last_over_time(amoc_users_ended_total{reason="normal",'$on_dist'}[1m]))' "$dist_ended"

checks_done
