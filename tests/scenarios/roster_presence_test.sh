#!/usr/bin/env bash
# xmpp_roster_presence end to end, on ejabberd and on Prosody: 8 users in groups of 4
# make their subscriptions mutual and send 5 stamped presence updates each. Checked on
# the server's side: an independent client logged in as user_2 (own resource) sees
# user_2's roster as the server holds it with its 3 contacts at subscription 'both'
# (on ejabberd `ejabberdctl get_roster` too) and counts the updates the server sends
# it from them, as many as amoc's user_2 gets; after the run every roster is empty.
# Then a fault: a group whose fourth member never logs in (users 1..3): each of the three
# counts that contact as incomplete after subscription_timeout and goes on with the others.
#   roster_presence_test.sh AMOC_BINARY
set -u
amoc=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$src/tests/apps/checks.sh"
work=$(mktemp -d)
observer_pid= poller_pid=
cleanup() {
  [[ -n $observer_pid ]] && kill "$observer_pid" 2>/dev/null
  [[ -n $poller_pid ]] && kill "$poller_pid" 2>/dev/null
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
server_ctl() { (cd "$src" && scripts/xmpp-server ctl "$@"); }

users=8 group=4 updates=5
cat >"$work/run.json" <<JSON
{"scenario": "xmpp_roster_presence", "users": [1, $users],
 "settings": {"interarrival": "20ms", "repeat_num": 1, "roster_group_size": $group,
              "subscription_timeout": "10s", "presence_count": $updates,
              "presence_interval": "500ms", "linger": "3s", "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "40s",
 "thresholds": {"xmpp.roster.incomplete": ["count == 0"], "users.ended.scenario_error": ["count == 0"],
                "xmpp.presence.received": ["count == $((users * (group - 1) * updates))"]}}
JSON

cat >"$work/missing.json" <<JSON
{"scenario": "xmpp_roster_presence", "users": [1, 3],
 "settings": {"interarrival": "20ms", "repeat_num": 1, "roster_group_size": $group,
              "subscription_timeout": "2s", "presence_count": 1, "presence_interval": "100ms",
              "linger": "1s", "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "40s", "thresholds": {"users.ended.scenario_error": ["count == 0"]}}
JSON

run_on() {
  local server=$1 out=$work/$1
  mkdir -p "$out"
  if ! (cd "$src" && scripts/xmpp-server start "$server" && scripts/xmpp-server users $((users)) "$server") \
    >"$out/server.log" 2>&1; then
    failed "$server starts" "$out/server.log"
    return
  fi
  python3 "$here/rosters.py" "$users" >"$out/before.txt" 2>&1
  check "$server: rosters are empty before the run" has "^user_$users 0$" "$out/before.txt"
  python3 "$here/roster_observer.py" user_2 password_2 \
    user_1@localhost,user_3@localhost,user_4@localhost $(((group - 1) * updates)) 30 >"$out/observer.out" 2>&1 &
  observer_pid=$!
  for _ in $(seq 100); do grep -q ready "$out/observer.out" && break; sleep 0.1; done
  check "$server: the observer is online" has ready "$out/observer.out"
  if [[ $server == ejabberd ]]; then
    # Until it shows user_1's three contacts at 'both' (each ejabberdctl call starts an
    # Erlang VM: a few, not one per tick).
    (for _ in $(seq 40); do
      roster=$(server_ctl get_roster user_1 localhost 2>&1)
      printf '%s\n---\n' "$roster"
      [[ $(grep -c $'\tboth' <<<"$roster") -ge 3 ]] && break
      sleep 0.2
    done) >"$out/get_roster.txt" 2>&1 &
    poller_pid=$!
  fi
  check "$server: amoc run passes its thresholds" ok "$out/run.log" \
    "$amoc" run "$work/run.json" --out "$out/result.json"
  echo "$server: amoc measured"
  python3 "$here/summary.py" "$out/result.json" xmpp.roster xmpp.presence xmpp.login 2>&1
  [[ -n $poller_pid ]] && { kill "$poller_pid" 2>/dev/null; wait "$poller_pid" 2>/dev/null; poller_pid=; }
  wait "$observer_pid"
  observer_pid=
  echo "$server: the independent observer saw $(tail -n 1 "$out/observer.out")"
  check "$server: amoc's counts agree with the independent contact" python3 - "$out" <<PY
import json, sys
out = sys.argv[1]
observed = json.loads(open(out + "/observer.out").read().split("ready", 1)[1])
counters = json.load(open(out + "/result.json"))["metrics"]["counters"]
histograms = json.load(open(out + "/result.json"))["metrics"]["histograms"]
total = lambda name: counters[name]["total"]
print("observer:", observed)
print("amoc:", {n: total(n) for n in counters if n.startswith(("xmpp.roster", "xmpp.presence"))})
print("amoc presence ttd:", {k: histograms["xmpp.presence.ttd"][k] for k in ("count", "p50_ms", "p99_ms", "max_ms")})
print("amoc subscribe:", {k: histograms["xmpp.roster.subscribe"][k] for k in ("count", "p50_ms", "p99_ms", "max_ms")})
print("amoc mutual:", {k: histograms["xmpp.roster.mutual"][k] for k in ("count", "p50_ms", "p99_ms", "max_ms")})
pairs = $users * ($group - 1)
# The server held user_2's three contacts at 'both', and sent its resources every
# update the three sent: what amoc's user_2 counted too (the threshold checked the sum).
assert observed["both"] == $group - 1, observed
assert observed["updates"] == ($group - 1) * $updates, observed
assert total("xmpp.presence.sent") == $users * $updates
assert total("xmpp.roster.subscriptions") == pairs
assert histograms["xmpp.roster.subscribe"]["count"] == pairs
assert histograms["xmpp.roster.mutual"]["count"] == pairs
assert histograms["xmpp.presence.ttd"]["count"] == pairs * $updates
assert total("xmpp.roster.removed") == pairs
PY
  if [[ $server == ejabberd ]]; then
    check "$server: ejabberdctl get_roster showed user_1's contacts at both" python3 - "$out/get_roster.txt" <<'PY'
import sys
seen = open(sys.argv[1]).read().split("---")
best = max(sum(1 for line in block.splitlines() if "\tboth" in line) for block in seen)
print("most 'both' lines in one get_roster:", best)
assert best == 3, best
PY
  fi
  python3 "$here/rosters.py" "$users" >"$out/after.txt" 2>&1
  check "$server: every roster is empty after the run" \
    lines_matching "$users" ' 0$' "$out/after.txt"
  check "$server: a run missing a group member ends normally" ok "$out/run2.log" \
    "$amoc" run "$work/missing.json" --out "$out/result2.json"
  check "$server: the member that never came is counted as incomplete" python3 - "$out" <<'PY'
import json, sys
counters = json.load(open(sys.argv[1] + "/result2.json"))["metrics"]["counters"]
total = lambda name: counters[name]["total"]
print({n: total(n) for n in counters if n.startswith(("xmpp.roster", "xmpp.presence"))})
assert total("xmpp.roster.incomplete") == 3      # user_4, for each of users 1..3
assert total("xmpp.roster.subscriptions") == 6   # the three pairs among 1..3, both sides
assert total("xmpp.presence.received") == 6      # one update from each of two contacts
PY
  python3 "$here/rosters.py" 4 >"$out/after2.txt" 2>&1
  check "$server: and leaves no roster item behind" lines_matching 4 ' 0$' "$out/after2.txt"
  (cd "$src" && scripts/xmpp-server stop) >>"$out/server.log" 2>&1
}

run_on ejabberd
run_on prosody
checks_done
