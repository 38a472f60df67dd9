#!/usr/bin/env bash
# xmpp_reconnect end to end on a real server: five amoc users with stream
# resumption, each dropping its TCP connection three times (no stream close),
# users 1-2 and 3-4 chatting in pairs, user 5 with an independent partner
# (reconnect_observer.py, logged in as user_6 with the stdlib client). Checks:
# amoc resumed every drop and counts no message lost nor duplicated; the
# observer got user 5's "seq 1".."seq 10" once each, in order, across its
# three drops; the server itself saw every resumption (ejabberd's log says
# "Resumed session" per resumption; Prosody's mod_smacks statistics count
# them in resumption_age). On ejabberd also a refused resumption: a session
# kicked while it waits for its user falls back to a fresh login, counted.
#   xmpp_reconnect_test.sh AMOC_BINARY ejabberd|prosody
set -u
amoc=$(realpath "$1")
server_name=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
server=$src/scripts/xmpp-server
# shellcheck source=../apps/checks.sh
source "$src/tests/apps/checks.sh"
work=$(mktemp -d)
observer_pid=
cleanup() {
  [[ -n $observer_pid ]] && kill "$observer_pid" 2>/dev/null
  cd "$src" && "$server" stop >/dev/null 2>&1  # ejabberdctl cannot enter $work
  rm -rf "$work"
}
trap cleanup EXIT
readonly users=5 messages=10 drop_every=3
readonly drops=$((users * ((messages - 1) / drop_every)))
# From the source tree: ejabberd runs as its own user, which cannot enter $work.
(cd "$src" && "$server" start "$server_name" && "$server" users 6 "$server_name") \
  >"$work/server.log" 2>&1 || { failed "$server_name starts" "$work/server.log"; checks_done; exit; }
cd "$work" || exit 1
# The server's own record of resumptions, from zero.
resumptions() (
  cd "$src" || return
  if [[ $server_name == ejabberd ]]; then
    grep -c "Resumed session for user_" "$("$server" status | sed -n 's/.*log \([^,]*\),.*/\1/p')"
  else
    # Lua in Prosody's shell: the samples of mod_smacks' resumption_age histogram.
    "$server" ctl '>local n = 0
      for name, family in pairs(require"core.statsmanager".get_metric_registry():get_metric_families()) do
        if name:match("resumption_age") then for _, m in family:iter_metrics() do n = n + m._count end end
      end print("resumptions " .. n)' | sed -n 's/^resumptions \([0-9]*\)$/\1/p'
  fi
)
if [[ $server_name == ejabberd ]]; then
  check "ejabberd logs at info level" ok ctl.log eval "(cd \"\$src\" && \"\$server\" ctl set_loglevel info)"
fi

python3 "$here/reconnect_observer.py" user_6 password_6 user_5@localhost "$messages" 0.2 40 \
  >observer.out 2>&1 &
observer_pid=$!
for _ in $(seq 100); do grep -q ready observer.out && break; sleep 0.1; done
check "the observer is online" has ready observer.out

cat >run.json <<JSON
{"scenario": "xmpp_reconnect", "users": [1, $users],
 "settings": {"interarrival": "50ms", "repeat_num": 1, "message_interval": "200ms",
              "message_count": $messages, "drop_every": $drop_every, "gap": "300ms",
              "linger": "5s", "xmpp_host": "127.0.0.1", "xmpp_port": 5222,
              "xmpp_domain": "localhost", "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "60s"}
JSON
check "amoc run ends cleanly" ok run.log "$amoc" run run.json --out result.json
wait "$observer_pid"
observer_pid=
check "amoc resumed every drop and lost nothing" python3 - "$drops" "$((users * messages))" <<'PY'
import json, sys
drops, messages = int(sys.argv[1]), int(sys.argv[2])
d = json.load(open("result.json"))["metrics"]
c = d["counters"]
print({k: v["total"] for k, v in c.items() if k.startswith(("xmpp.reconnect", "users.ended", "xmpp.login", "xmpp.failures"))})
assert c["users.ended.normal"]["total"] == 5, "users ended otherwise"
assert c["xmpp.reconnect.drops"]["total"] == drops and c["xmpp.reconnect.resumed"]["total"] == drops
assert c["xmpp.reconnect.resume_failures"]["total"] == 0 and c["xmpp.reconnect.fresh_logins"]["total"] == 0
assert c["xmpp.reconnect.lost"]["total"] == 0 and c["xmpp.reconnect.duplicates"]["total"] == 0
assert c["xmpp.reconnect.in_order"]["total"] == messages, "every message in order"
assert d["histograms"]["xmpp.reconnect.resume"]["count"] == drops
assert not [k for k in c if k.startswith("xmpp.failures.") and c[k]["total"]]
PY
check "the observer got seq 1..$messages from the reconnecting user, once each, in order" \
  python3 - "$messages" <<'PY'
import json, sys
got = json.loads(open("observer.out").read().split("ready", 1)[1])["received"]
print("observer received", got)
assert got == list(range(1, int(sys.argv[1]) + 1)), got
PY
check "the server saw every resumption" eval \
  "seen=\$(resumptions); echo \"server: \$seen resumptions\"; [[ \$seen == $drops ]]"
# A refused resumption (ejabberd: the hibernating session is kicked during the
# gap): the user logs in afresh, and amoc counts it so.
if [[ $server_name == ejabberd ]]; then
  sed -e 's/"users": \[1, [0-9]*\]/"users": [1, 2]/' -e 's/"message_count": [0-9]*/"message_count": 4/' \
    -e 's/"drop_every": [0-9]*/"drop_every": 2/' -e 's/"gap": "[^"]*"/"gap": "5s"/' run.json >kick.json
  log=$(cd "$src" && "$server" status | sed -n 's/.*log \([^,]*\),.*/\1/p')
  # Kicks only a session of this run that waits (the log's earlier lines are
  # the first run's), through ejabberd's HTTP API: ejabberdctl took 7 s on a
  # loaded machine, and a kick that lands after the gap ends the resumed, live
  # session instead (the user then ends with a stream error).
  logged=$(wc -l <"$log")
  waiting() { tail -n +"$((logged + 1))" "$log" | grep -q "for user_1@localhost/amoc.*waiting"; }
  (for _ in $(seq 300); do
    waiting && break
    sleep 0.1
  done
  waiting || { echo "user_1's session never waited"; exit 1; }
  echo "kick at $(date +%T.%N)"
  curl -sS --fail-with-body -X POST http://127.0.0.1:5280/api/kick_session \
    -d '{"user": "user_1", "host": "localhost", "resource": "amoc", "reason": "test kick"}'
  echo
  echo "kicked at $(date +%T.%N)") >kick.log 2>&1 &
  kicker=$!
  check "a run with a kicked session ends cleanly" ok kick-run.log "$amoc" run kick.json --out kick.json.out
  wait "$kicker"
  check "the kicked user logged in afresh, counted" python3 - <<'PY'
import json
c = json.load(open("kick.json.out"))["metrics"]["counters"]
print({k: v["total"] for k, v in c.items() if k.startswith(("xmpp.reconnect", "users.ended", "xmpp.failures"))})
print(open("kick.log").read())
assert c["users.ended.normal"]["total"] == 2
assert c["xmpp.reconnect.drops"]["total"] == 2 and c["xmpp.reconnect.resumed"]["total"] == 1
assert c["xmpp.reconnect.resume_failures"]["total"] == 1
assert c["xmpp.reconnect.fresh_logins"]["total"] == 1
PY
fi
# The figures, for the record (ctest -V shows them).
python3 -c '
import json
h = json.load(open("result.json"))["metrics"]["histograms"]["xmpp.reconnect.resume"]
print("resume latency (ms): " + ", ".join("%s %s" % (k, h[k]) for k in ("count", "p50_ms", "p99_ms", "max_ms")))
' 2>/dev/null
[[ $server_name == ejabberd ]] && sed 's/^/kick: /' kick.log
checks_done
