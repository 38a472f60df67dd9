#!/usr/bin/env bash
# xmpp_pubsub end to end, on ejabberd and on Prosody: 6 users in groups of 3, so
# user_1 and user_4 publish 10 items each to nodes amoc_user_1 and amoc_user_4, the
# others subscribe. amoc_user_1 is created before the run by user_1's account (the
# scenario finds it and goes on; amoc_user_4 is created on demand), so that an
# independent subscriber (user_7, tests/scenarios/pubsub_observer.py) is on it from the
# start: it must get the 10 items amoc published there, stamped. After the run an
# independent items request finds the 10 items on each node; a second run, which
# deletes its nodes, leaves none. A third run is a fault: with 30 items per node, user_1
# (another resource) deletes amoc_user_1 once it has seen 5 items; its two amoc
# subscribers must count as lost exactly the items published after the deletion took
# effect, by the independent count (ejabberd then auto-creates the node again on the
# next publish, Prosody refuses it: either way the subscribers get nothing more).
#   pubsub_test.sh AMOC_BINARY
set -u
amoc=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$src/tests/apps/checks.sh"
work=$(mktemp -d)
observer_pid=
cleanup() {
  [[ -n $observer_pid ]] && kill "$observer_pid" 2>/dev/null
  (cd "$src" && scripts/xmpp-server stop >/dev/null 2>&1)
  rm -rf "$work"
}
trap cleanup EXIT
observer() { python3 "$here/pubsub_observer.py" "$@"; }

items=10
run_file() {  # run_file DELETE_NODES
  cat <<JSON
{"scenario": "xmpp_pubsub", "users": [1, 6],
 "settings": {"interarrival": "20ms", "repeat_num": 1, "pubsub_group_size": 3,
              "pubsub_delete_nodes": $1, "publish_count": $items, "publish_interval": "100ms",
              "setup_timeout": "10s", "linger": "3s", "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "40s",
 "thresholds": {"xmpp.pubsub.lost": ["count == 0"], "xmpp.pubsub.publish_errors": ["count == 0"],
                "xmpp.pubsub.setup_timeouts": ["count == 0"],
                "users.ended.scenario_error": ["count == 0"],
                "xmpp.pubsub.published": ["count == $((2 * items))"],
                "xmpp.pubsub.notifications": ["count == $((4 * items))"]}}
JSON
}
run_file false >"$work/keep.json"
run_file true >"$work/delete.json"
cat >"$work/fault.json" <<JSON
{"scenario": "xmpp_pubsub", "users": [1, 6],
 "settings": {"interarrival": "20ms", "repeat_num": 1, "pubsub_group_size": 3,
              "publish_count": 30, "publish_interval": "100ms", "setup_timeout": "2s",
              "linger": "1s", "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "40s", "thresholds": {"users.ended.scenario_error": ["count == 0"]}}
JSON

run_on() {
  local server=$1 out=$work/$1
  mkdir -p "$out"
  if ! (cd "$src" && scripts/xmpp-server start "$server" && scripts/xmpp-server users 7 "$server") \
    >"$out/server.log" 2>&1; then
    failed "$server starts" "$out/server.log"
    return
  fi
  check "$server: user_1 creates amoc_user_1 before the run" ok "$out/create.log" \
    observer create user_1 amoc_user_1
  observer subscribe user_7 amoc_user_1 "$items" 30 >"$out/observer.out" 2>&1 &
  observer_pid=$!
  for _ in $(seq 100); do grep -q ready "$out/observer.out" && break; sleep 0.1; done
  check "$server: the independent subscriber is on amoc_user_1" has ready "$out/observer.out"
  check "$server: amoc run passes its thresholds" ok "$out/run.log" \
    "$amoc" run "$work/keep.json" --out "$out/result.json"
  echo "$server: amoc measured"
  python3 "$here/summary.py" "$out/result.json" xmpp.pubsub xmpp.login 2>&1
  wait "$observer_pid"
  observer_pid=
  echo "$server: the independent observer saw $(tail -n 1 "$out/observer.out")"
  observer items user_7 amoc_user_1 amoc_user_4 >"$out/items.json" 2>&1
  check "$server: the server and the independent subscriber saw what amoc counted" \
    python3 - "$out" <<PY
import json, sys
out = sys.argv[1]
observed = json.loads(open(out + "/observer.out").read().split("ready", 1)[1])
stored = json.load(open(out + "/items.json"))
metrics = json.load(open(out + "/result.json"))["metrics"]
counters, histograms = metrics["counters"], metrics["histograms"]
print("independent subscriber:", observed)
print("items on the server:", stored)
print("amoc:", {n: counters[n]["total"] for n in counters if n.startswith("xmpp.pubsub")})
for name in ("xmpp.pubsub.publish", "xmpp.pubsub.ttd"):
    print(name, {k: histograms[name][k] for k in ("count", "p50_ms", "p99_ms", "max_ms")})
ids = [str(i) for i in range(1, $items + 1)]
assert observed["ids"] == ids and observed["stamped"] == $items, observed
assert stored == {"amoc_user_1": ids, "amoc_user_4": ids}, stored
assert histograms["xmpp.pubsub.publish"]["count"] == 2 * $items
assert histograms["xmpp.pubsub.ttd"]["count"] == 4 * $items
assert counters["xmpp.pubsub.subscriptions"]["total"] == 4
PY
  check "$server: a run that deletes its nodes passes its thresholds" ok "$out/run2.log" \
    "$amoc" run "$work/delete.json" --out "$out/result2.json"
  observer items user_7 amoc_user_1 amoc_user_4 >"$out/items2.json" 2>&1
  check "$server: no node is left after it" has \
    '"amoc_user_1": "error: item-not-found", "amoc_user_4": "error: item-not-found"' "$out/items2.json"

  check "$server: user_1 creates amoc_user_1 again" ok "$out/create3.log" \
    observer create user_1 amoc_user_1
  observer delete-after user_1 amoc_user_1 5 30 >"$out/deleter.out" 2>&1 &
  observer_pid=$!
  for _ in $(seq 100); do grep -q ready "$out/deleter.out" && break; sleep 0.1; done
  check "$server: a run losing a node midway ends normally" ok "$out/run3.log" \
    "$amoc" run "$work/fault.json" --out "$out/result3.json"
  wait "$observer_pid"
  observer_pid=
  echo "$server: the deleter saw $(tail -n 1 "$out/deleter.out")"
  python3 "$here/summary.py" "$out/result3.json" xmpp.pubsub 2>&1
  check "$server: amoc counts as lost the items published after the deletion" \
    python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
deleter = json.loads(open(out + "/deleter.out").read().split("ready", 1)[1])
counters = json.load(open(out + "/result3.json"))["metrics"]["counters"]
total = lambda name: counters[name]["total"]
print("deleter:", deleter, "amoc:", {n: total(n) for n in counters if n.startswith("xmpp.pubsub")})
assert deleter["deleted"] and 5 <= deleter["received"] < 30, deleter
# Both subscribers of amoc_user_1 got what the deleter got before the deletion, and
# nothing after; amoc_user_4's two got all 30.
assert total("xmpp.pubsub.lost") == 2 * (30 - deleter["received"])
assert total("xmpp.pubsub.notifications") == 2 * 30 + 2 * deleter["received"]
PY
  (cd "$src" && scripts/xmpp-server stop) >>"$out/server.log" 2>&1
}

run_on ejabberd
run_on prosody
checks_done
