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

# A crash in scenario code: the guard names the signal, the scenario and the
# user; what was measured reaches the summary and --out. (In the sanitizer
# build ASan would take the segfault and exit 1: these crashes are on purpose.)
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0
segv=SIGSEGV
for how in segv abort terminate; do
  cat >crash-$how.json <<JSON
{"scenario": "crash", "users": [1, 4], "duration": "30s",
 "settings": {"interarrival": 0, "crash_user": 3, "crash_after": "1500ms", "crash_how": "$how",
              "repeat_interval": 0}}
JSON
  timeout 60 "$amoc" run crash-$how.json --out crash-$how-out.json --junit crash-$how.xml \
    >crash-$how.out 2>crash-$how.err
  code=$?
  check "$how: exit 5" exits "$code" 5
  signal=SIGABRT
  [[ $how == segv ]] && signal=$segv
  check "$how: the signal, scenario and user are named" \
    has "the run crashed: $signal .*in scenario crash, user 3" crash-$how.err
  check "$how: the summary of what was measured" has "crash.naps" crash-$how.out
  check "$how: --out has the crash and balanced books" python3 - crash-$how-out.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["state"] == "crashed" and r["crash"]["user"] == 3 and r["crash"]["scenario"] == "crash", r.get("crash")
u = r["users"]
assert u["started"] == sum(u["ended"].values()) == 4 == u["ended"]["node_lost"], u
assert r["metrics"]["counters"]["crash.naps"]["total"] > 0
PY
  check "$how: --junit has the crash as the run's error" \
    has '<testcase classname="amoc.crash" name="run" time="[0-9.]+">' crash-$how.xml
  check "$how: ... naming the signal" has "<error message=\"the run crashed: $signal" crash-$how.xml
done
check "terminate: the exception is named" has "std::terminate" crash-terminate.err

# A crash on a worker node: its guard starts it again, it rejoins, and the
# master names the crash; the run loses only that node's users.
p1=$(free_port)
p2=$((p1 + 1))
"$amoc" node --listen 127.0.0.1:$p1 --name w1 --insecure >w1.log 2>&1 &
n1=$!
"$amoc" node --listen 127.0.0.1:$p2 --name w2 --insecure >w2.log 2>&1 &
n2=$!
cat >dist-crash.json <<JSON
{"scenario": "crash", "users": [1, 4], "duration": "6s",
 "nodes": ["127.0.0.1:$p1", "127.0.0.1:$p2"],
 "settings": {"interarrival": 0, "crash_user": 3, "crash_after": "1s", "repeat_interval": 0,
              "node_insecure": true}}
JSON
timeout 60 "$amoc" run dist-crash.json --out dist-out.json >dist.out 2>dist.err
code=$?
kill "$n1" "$n2"
wait "$n1" "$n2"
check "worker crash: exit 3 (users lost with their node)" exits "$code" 3
check "the master names the crashed worker and the signal" \
  has "node w1 restarted after a crash: $segv .*in scenario crash, user 3" dist.err
check "the node's guard says so" has "the node crashed: $segv" w1.log
check "the node table says so" has "w1 .* restarted after a crash" dist.out
check "only w1's users were lost, the books balance" python3 - <<'PY'
import json
r = json.load(open("dist-out.json"))
u = r["users"]
assert u["started"] == sum(u["ended"].values()) == 4, u
nodes = {n["name"]: n for n in r["nodes"]}
assert nodes["w1"]["ended"]["node_lost"] == 2 and nodes["w2"]["ended"]["node_lost"] == 0, nodes
PY

checks_done
