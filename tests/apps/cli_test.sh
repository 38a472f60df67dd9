#!/usr/bin/env bash
# End-to-end checks of `amoc run`: exit codes 0/1/2, messages naming the
# problem, and the --out result document.
set -u
amoc=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failures=0
passed=0

check() {  # check NAME EXPECTED_CODE GREP_PATTERN -- COMMAND...
  local name=$1 want=$2 pattern=$3
  shift 4
  local out code
  # A command that hangs fails its check with what it printed (exit 124),
  # not the whole test at ctest's timeout with nothing to show.
  if [[ $(type -t "$1") == function ]]; then
    out=$("$@" 2>&1)
  else
    out=$(timeout -k 5 60 "$@" 2>&1)
  fi
  code=$?
  if [[ $code -ne $want ]] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $code (want $want), output:"
    echo "$out" | tail -20
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

cat >good.json <<'JSON'
{"scenario": "dummy", "users": [1, 20],
 "settings": {"interarrival": "1ms", "repeat_num": 2, "repeat_interval": "10ms", "dummy_sleep": "20ms"}}
JSON
check "good run" 0 "users ended:.*normal 20" -- "$amoc" run good.json --out result.json
if ! python3 -c '
import json, sys
r = json.load(open("result.json"))
assert r["state"] == "finished", r
assert r["users"]["started"] == 20, r
assert r["users"]["ended"]["normal"] == 20, r
assert r["wall_time_s"] > 0, r
'; then
  echo "FAIL result.json content"; failures=$((failures + 1))
else
  passed=$((passed + 1))
fi

# Metrics: thresholds (exit 99 when crossed), the result's metrics and series, the HTML report.
cat >thresholds.json <<'JSON'
{"scenario": "dummy", "users": [1, 5],
 "settings": {"interarrival": 0, "repeat_num": 1, "dummy_sleep": "200ms", "metrics_interval": "50ms"},
 "thresholds": {"users.started": ["count == 5"], "users.ended.scenario_error": ["count == 0"],
                "xmpp.ttd": ["p99 < 500ms"]}}
JSON
check "crossed threshold exits 99" 99 "✗ xmpp.ttd +p99 < 500ms +xmpp.ttd was never recorded in this run" -- \
  "$amoc" run thresholds.json --out thresholds-result.json --report report.html
check "passed thresholds are marked" 99 "✓ users.started +count == 5 +count = 5" -- \
  "$amoc" run thresholds.json
if ! python3 -c '
import json
r = json.load(open("thresholds-result.json"))
assert [t["passed"] for t in r["thresholds"]] == [True, True, False], r["thresholds"]
assert r["metrics"]["counters"]["users.started"]["total"] == 5, r["metrics"]
assert r["metrics"]["gauges"]["users.running"]["max"] == 5, r["metrics"]
assert len(r["series"]["t_s"]) == len(r["series"]["gauges"]["users.running"]) >= 1, r["series"]
assert r["metrics"]["interval_s"] == 0.05, r["metrics"]
'; then
  echo "FAIL thresholds result.json content"; failures=$((failures + 1))
else
  passed=$((passed + 1))
fi
check "html report written" 0 "Users over time" -- cat report.html
echo '{"scenario": "dummy", "users": [1, 2], "thresholds": {"xmpp.ttd": ["p99 < soon"]}}' >badthr.json
check "bad threshold" 2 'badthr.json: threshold "p99 < soon" of xmpp.ttd: "soon" is not a duration' -- \
  "$amoc" run badthr.json
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"metrics_interval": "often"}}' >badint.json
check "bad metrics setting" 2 "metrics_interval.*often" -- "$amoc" run badint.json
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"prometheus_port": 70000}}' >badport.json
check "bad prometheus port" 2 "prometheus_port.*70000" -- "$amoc" run badport.json
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"prometheus_linger": "soon"}}' >badlinger.json
check "bad prometheus_linger" 2 "prometheus_linger.*soon.*not a duration" -- "$amoc" run badlinger.json

echo '{"scenario": "dummy", "users": [1' >broken.json
check "malformed run file" 2 "broken.json: parse error at line 2, column 1: .*unexpected end of input" -- \
  "$amoc" run broken.json
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"repeat_num": "lots"}}' >badset.json
check "bad setting" 2 "repeat_num.*lots" -- "$amoc" run badset.json
echo '{"scenario": "dummy", "stages": [{"ramp_to": 4, "over": "1s"}, {"hold": "later"}]}' >badstage.json
check "bad stage" 2 'badstage.json: stage 2: "hold" must be a positive duration' -- \
  "$amoc" run badstage.json --dry-run
echo '{"scenario": "dummy", "nodes": ["a:1", "b:2"],
       "stages": [{"ramp_to": 4, "over": "1s"}, {"ramp_to": 0, "over": "1s"}]}' >ramp.json
check "dry run prints ids, times and nodes" 0 '[+]0[.]250s  start 1: 2 -> b:2' -- \
  "$amoc" run ramp.json --dry-run
echo '{"scenario": "nope", "users": [1, 2]}' >unknown.json
check "unknown scenario" 2 "unknown_scenario: nope" -- "$amoc" run unknown.json
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"dummy_fail_init": true}}' >initfail.json
check "failing init" 1 "scenario_init_failed.*dummy_fail_init" -- \
  "$amoc" run initfail.json --out failed.json --report failed.html
check "failing init result file" 0 '"state": "error"' -- cat failed.json
check "failing init report" 0 'RUN FAILED' -- cat failed.html
check "missing config file" 2 "nowhere.json" -- "$amoc" run good.json --config nowhere.json
echo '{"interarrival": }' >badcfg.json
check "malformed config file" 2 "badcfg.json" -- "$amoc" run good.json --config badcfg.json
echo '{"repeat_num": 1, "dummy_sleep": "1ms"}' >cfg.json
check "env beats run file beats config file" 0 "normal 20" -- \
  env AMOC_repeat_num=1 "$amoc" run good.json --config cfg.json
echo '{"scenario": "dummy", "users": [1, 5], "duration": "300ms",
       "settings": {"interarrival": 0, "dummy_sleep": "50ms", "repeat_interval": 0}}' >short.json
check "duration stops the run" 0 "duration reached.*gracefully" -- "$amoc" run short.json
# Ctrl-C: the first interrupt stops gracefully, the second (or the timeout) by force.
cat >long.json <<'JSON'
{"scenario": "dummy", "users": [1, 5], "graceful_stop_timeout": "300ms",
 "settings": {"interarrival": 0, "dummy_sleep": "1h"}}
JSON
running() {  # running PID: alive and not a zombie waiting to be reaped
  [[ -r /proc/$1/stat && $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) != Z ]]
}
interrupt() {  # interrupt COUNT: run long.json, send COUNT SIGINTs, print output and exit code
  "$amoc" run long.json >int.out 2>&1 &
  local pid=$!
  # A background job of a script starts with SIGINT ignored until amoc sets its
  # handler: signal only once the run reports progress (slow under ASan).
  for ((i = 0; i < 300; i++)); do grep -q running int.out && break; sleep 0.1; done
  for ((i = 0; i < $1; i++)); do kill -INT "$pid"; sleep 0.1; done
  for ((i = 0; i < 300; i++)); do running "$pid" || break; sleep 0.1; done
  if running "$pid"; then
    echo "still running 30 s after $1 SIGINT(s); its processes:"
    ps -o pid,ppid,stat,etime,args --ppid "$pid" -p "$pid"
    kill -KILL "$pid"
  fi
  wait "$pid"
  echo "exit=$?"
  cat int.out
}
check "one interrupt" 0 "exit=130" -- interrupt 1
check "one interrupt, then the grace timeout" 0 "interrupted: users were stopped by force" -- interrupt 1
check "two interrupts" 0 "forced_stop 5" -- interrupt 2
check "no arguments" 2 "usage" -- "$amoc" run
check "unknown command" 2 "unknown command" -- "$amoc" frobnicate

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
