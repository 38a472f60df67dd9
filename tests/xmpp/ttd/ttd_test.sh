#!/usr/bin/env bash
# amoc's time to delivery is honest: an independent receiver (observer.py,
# logged in as user_2 with its own resource, so ejabberd delivers it the same
# chats as amoc's user 2) measures the same messages from the same send stamps
# with its own clock; amoc's xmpp.ttd must agree with it.
#   ttd_test.sh AMOC_BINARY
set -u
amoc=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
source "$src/tests/apps/checks.sh"
work=$(mktemp -d)
observer_pid=
cleanup() {
  [[ -n $observer_pid ]] && kill "$observer_pid" 2>/dev/null
  "$src/scripts/xmpp-server" stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# From the source tree: ejabberd runs as its own user, which cannot enter $work.
(cd "$src" && "$src/scripts/xmpp-server" start ejabberd && "$src/scripts/xmpp-server" users 2 ejabberd) \
  >"$work/server.log" 2>&1 || { failed "ejabberd starts" "$work/server.log"; checks_done; exit; }
cd "$work" || exit 1

python3 "$here/observer.py" user_2 password_2 60 100 >observer.out 2>&1 &
observer_pid=$!
for _ in $(seq 100); do grep -q ready observer.out && break; sleep 0.1; done
check "the observer is online" has ready observer.out

# User 1 sends 100 chats to user 2, 20 ms apart; user 2 sends as many back.
cat >run.json <<JSON
{"scenario": "xmpp_one_to_one", "users": [1, 2],
 "settings": {"interarrival": 0, "repeat_num": 1, "message_interval": "20ms",
              "message_count": 100, "linger": "3s", "xmpp_host": "127.0.0.1", "xmpp_port": 5222,
              "xmpp_domain": "localhost", "xmpp_starttls": "optional",
              "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "60s", "thresholds": {"xmpp.messages_received": ["count == 200"]}}
JSON
check "amoc run delivers every message" ok run.log "$amoc" run run.json --out result.json
wait "$observer_pid"
observer_pid=
check "amoc's ttd agrees with the independent receiver's" python3 - <<'PY'
import json
observed = json.loads(open("observer.out").read().split("ready", 1)[1])
amoc = json.load(open("result.json"))["metrics"]["histograms"]["xmpp.ttd"]
print("observer:", observed)
print("amoc:", {k: amoc[k] for k in ("count", "p50_ms", "p99_ms", "max_ms")})
# The observer saw user 1's 100 chats to user 2, as amoc's user 2 did.
assert observed["count"] == 100, observed
# Both measure the same messages from the same stamps; the observer reads them
# with Python, a little later, and amoc's histogram also holds user 2's
# replies. So: amoc's median is the observer's, give or take its reading
# delay, and amoc saw the slowest message too (its max is not below the
# observer's but for that delay): amoc does not report messages faster than
# they arrived, nor invent delays.
assert 0.5 * observed["p50_ms"] - 1.0 <= amoc["p50_ms"] <= observed["p50_ms"] + 5.0, "p50"
assert amoc["max_ms"] >= 0.5 * observed["max_ms"] - 2.0, "max"
PY
checks_done
