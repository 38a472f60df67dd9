#!/usr/bin/env bash
# Faults in scenario code, with real `amoc run` processes (docs/reliability.md):
# a user that never yields cannot stop the run from ending (at its duration, or
# at Ctrl-C twice), and the summary and --out say how many users did not stop.
#   user_faults_test.sh AMOC
set -u
source "$(dirname "$0")/../plugins/plugin_checks.sh"
cp -r "$here/scenarios" faults
ok build.log "$amoc" scenarios build faults

# At its duration: graceful stop, forced stop, then 5 s without progress.
cat >spin.json <<'JSON'
{"scenario": "spin", "users": [1, 4], "duration": "1s", "graceful_stop_timeout": "1s",
 "settings": {"interarrival": 0, "spin_user": 2, "repeat_interval": 0}}
JSON
SECONDS=0
timeout 60 "$amoc" run spin.json --out spin-out.json >spin.out 2>spin.err
code=$?
took=$SECONDS
check "a never-yielding user: exit 4" exits "$code" 4
check "it ends within duration + grace + stall limit" test "$took" -le 12
check "the summary names the users that did not stop" has "1 users did not stop" spin.out
check "--out has them, and the books balance" python3 - <<'PY'
import json
r = json.load(open("spin-out.json"))
u = r["users"]
assert r["users_did_not_stop"] == 1, r["users_did_not_stop"]
assert u["started"] == sum(u["ended"].values()) == 4, u
assert r["metrics"]["counters"]["spin.naps"]["total"] > 0, r["metrics"]["counters"]
PY

# Ctrl-C twice ends it within a few seconds, whatever the users do.
cat >spin-long.json <<'JSON'
{"scenario": "spin", "users": [1, 4], "duration": "1h", "graceful_stop_timeout": "1h",
 "settings": {"interarrival": 0, "spin_user": 1, "repeat_interval": 0}}
JSON
"$amoc" run spin-long.json --out long-out.json >long.out 2>long.err &
pid=$!
for _ in $(seq 100); do grep -q "running" long.err 2>/dev/null && break; sleep 0.1; done
kill -INT "$pid"
sleep 0.5
kill -INT "$pid"
SECONDS=0
for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
took=$SECONDS
kill -KILL "$pid" 2>/dev/null
wait "$pid"
code=$?
check "Ctrl-C twice: exit 4 (a user did not stop)" exits "$code" 4
check "Ctrl-C twice ends the process within 8 s" test "$took" -le 8
check "the interrupted run is written" python3 -c '
import json; r = json.load(open("long-out.json")); assert r["interrupted"] and r["users_did_not_stop"] == 1, r'

checks_done
