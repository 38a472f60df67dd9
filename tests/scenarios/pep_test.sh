#!/usr/bin/env bash
# xmpp_pep end to end, on ejabberd and on Prosody: 8 users in groups of 4 make their
# subscriptions mutual, announce urn:amoc:pep+notify in their capabilities and publish
# 5 stamped items each to their PEP node. Checked on the server's side: an independent
# contact logged in as user_2 (own resource, own capabilities, tests/scenarios/
# pep_observer.py) gets from the server the 15 items user_2's three contacts published,
# as amoc's user_2 does; after the run no account has a PEP node or a roster item left.
#   pep_test.sh AMOC_BINARY
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
# lines_matching N PATTERN FILE: exactly N lines of FILE match PATTERN (else shows FILE).
lines_matching() {
  local n
  n=$(grep -c -- "$2" "$3")
  [[ $n -eq $1 ]] || { echo "--- $3: $n lines match $2, not $1"; cat "$3"; false; }
}

users=8 group=4 items=5
cat >"$work/run.json" <<JSON
{"scenario": "xmpp_pep", "users": [1, $users],
 "settings": {"interarrival": "20ms", "repeat_num": 1, "pep_group_size": $group,
              "subscription_timeout": "10s", "publish_count": $items,
              "publish_interval": "200ms", "linger": "3s", "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "40s",
 "thresholds": {"xmpp.pep.lost": ["count == 0"], "xmpp.pep.publish_errors": ["count == 0"],
                "xmpp.pep.cleanup_failures": ["count == 0"],
                "xmpp.roster.incomplete": ["count == 0"], "users.ended.scenario_error": ["count == 0"],
                "xmpp.pep.published": ["count == $((users * items))"],
                "xmpp.pep.notifications": ["count == $((users * (group - 1) * items))"]}}
JSON

run_on() {
  local server=$1 out=$work/$1
  mkdir -p "$out"
  if ! (cd "$src" && scripts/xmpp-server start "$server" && scripts/xmpp-server users "$users" "$server") \
    >"$out/server.log" 2>&1; then
    failed "$server starts" "$out/server.log"
    return
  fi
  python3 "$here/pep_observer.py" user_2 password_2 urn:amoc:pep \
    user_1@localhost,user_3@localhost,user_4@localhost $(((group - 1) * items)) 30 >"$out/observer.out" 2>&1 &
  observer_pid=$!
  for _ in $(seq 100); do grep -q ready "$out/observer.out" && break; sleep 0.1; done
  check "$server: the observer is online" has ready "$out/observer.out"
  check "$server: amoc run passes its thresholds" ok "$out/run.log" \
    "$amoc" run "$work/run.json" --out "$out/result.json"
  echo "$server: amoc measured"
  python3 "$here/summary.py" "$out/result.json" xmpp.pep xmpp.roster xmpp.login 2>&1
  wait "$observer_pid"
  observer_pid=
  echo "$server: the independent observer saw $(tail -n 1 "$out/observer.out")"
  check "$server: the independent contact got what amoc's user_2 got" python3 - "$out" <<PY
import json, sys
out = sys.argv[1]
observed = json.loads(open(out + "/observer.out").read().split("ready", 1)[1])
metrics = json.load(open(out + "/result.json"))["metrics"]
counters, histograms = metrics["counters"], metrics["histograms"]
print("observer:", observed)
print("amoc:", {n: counters[n]["total"] for n in counters if n.startswith(("xmpp.pep", "xmpp.roster"))})
for name in ("xmpp.pep.publish", "xmpp.pep.ttd", "xmpp.roster.mutual"):
    print(name, {k: histograms[name][k] for k in ("count", "p50_ms", "p99_ms", "max_ms")})
ids = [str(i) for i in range(1, $items + 1)]
assert observed["per_contact"] == {c: ids for c in observed["per_contact"]}, observed
assert len(observed["per_contact"]) == $group - 1 and observed["disco_answered"] >= 1, observed
assert histograms["xmpp.pep.ttd"]["count"] == $users * ($group - 1) * $items
PY
  for n in $(seq "$users"); do
    PUBSUB_SERVICE=user_$n@localhost python3 "$here/pubsub_observer.py" items "user_$n" urn:amoc:pep
  done >"$out/nodes.txt" 2>&1
  check "$server: every PEP node is deleted after the run" \
    lines_matching "$users" '"urn:amoc:pep": "error: item-not-found"' "$out/nodes.txt"
  python3 "$here/rosters.py" "$users" >"$out/rosters.txt" 2>&1
  check "$server: every roster is empty after the run" \
    lines_matching "$users" ' 0$' "$out/rosters.txt"
  (cd "$src" && scripts/xmpp-server stop) >>"$out/server.log" 2>&1
}

run_on ejabberd
run_on prosody
checks_done
