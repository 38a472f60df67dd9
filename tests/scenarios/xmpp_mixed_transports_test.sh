#!/usr/bin/env bash
# xmpp_mixed_transports end to end on a real server (ejabberd or Prosody):
# `amoc run` with users 1..7 spread by shares [2, 2, 2, 1] over tcp (STARTTLS
# required), tls (direct), websocket and bosh, chatting in pairs; user 7's
# partner is an independent observer (mixed_transports_observer.py, stdlib
# Python over plain TCP) logged in as user_8. Checked on the server's side:
# the sessions the server reports while the run goes (ejabberd
# `connected_users_info`: connection type; Prosody `c2s:show`: method, port,
# encryption) put every user on the transport its id gives it, and the
# observer received every chat the BOSH user sent; and amoc's per-transport
# counters agree with both.
#   xmpp_mixed_transports_test.sh AMOC_BINARY ejabberd|prosody
set -u
amoc=$1 server_name=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../apps/checks.sh
. "$src/tests/apps/checks.sh"
server=$src/scripts/xmpp-server
work=$(mktemp -d)
export AMOC_PLUGIN_DIR=$work/plugins AMOC_RUN_DIR=$work/run
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  "$server" stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1

count=8  # chats per user: 4 s of chat, several samples of the sessions
"$server" stop >/dev/null 2>&1
# From /: the server's runtime may look for files in its working folder, and
# $work is not readable for ejabberd's user.
check "$server_name starts" ok "$work/server.log" eval "cd / && $server start --lean $server_name"
((failures)) && { checks_done; exit 1; }
ok "$work/users.log" "$server" users 8 "$server_name" || { checks_done; exit 1; }
if [[ $server_name == ejabberd ]]; then
  ws_path=/ws-xmpp bosh_path=/bosh
  sessions() { "$server" ctl connected_users_info; }
else
  ws_path=/xmpp-websocket bosh_path=/http-bind
  sessions() { "$server" ctl "c2s:show(nil, 'jid method port encryption')"; }
fi

cat >run.json <<EOF2
{
  "scenario": "xmpp_mixed_transports",
  "users": [1, 7],
  "settings": {
    "interarrival": "20ms", "repeat_num": 1,
    "message_interval": "500ms", "message_count": $count, "linger": "4s",
    "transports": ["tcp", "tls", "websocket", "bosh"],
    "transport_shares": [2, 2, 2, 1],
    "xmpp_starttls": "required", "xmpp_sasl_mechanisms": ["SCRAM-SHA-256"],
    "xmpp_websocket_path": "$ws_path", "xmpp_bosh_path": "$bosh_path"
  },
  "duration": "30s"
}
EOF2

python3 "$src/tests/scenarios/mixed_transports_observer.py" "$src" user_8 user_7@localhost \
  "$count" 20 >observer.out 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q ready observer.out && break; sleep 0.1; done
check "the observer logged in" has ready observer.out
(while :; do sessions 2>&1; sleep 0.3; done) >sessions.txt &
poller=$!
pids+=("$poller")
code=0
timeout 60 "$amoc" run run.json --out result.json >run.out 2>&1 || code=$?
kill "$poller" 2>/dev/null
wait "${pids[0]}" 2>/dev/null
check "amoc run exits 0" eval "[[ $code == 0 ]] || { tail -30 run.out; false; }"

check "amoc: each transport logged in its users and delivered every chat" \
  python3 - result.json "$count" <<'EOF2'
import json, sys
counters = json.load(open(sys.argv[1]))["metrics"]["counters"]
count = int(sys.argv[2])
def total(name):
    return counters.get(name, {}).get("total", 0)
users = {"tcp": 2, "tls": 2, "websocket": 2, "bosh": 1}
for t, n in users.items():
    p = "xmpp.transport.%s." % t
    assert total(p + "logins") == n, (t, "logins", total(p + "logins"))
    assert total(p + "messages_sent") == n * count, (t, "sent", total(p + "messages_sent"))
    assert total(p + "messages_received") == n * count, (t, "received", total(p + "messages_received"))
assert total("users.ended.normal") == 7, total("users.ended.normal")
EOF2

check "the observer received every chat of the BOSH user" has "^received $count\$" observer.out

check "the server saw each user on its transport" python3 - sessions.txt "$server_name" <<'EOF2'
import re, sys
text = open(sys.argv[1]).read()
# What the server reports per transport, and which user ids have it.
if sys.argv[2] == "ejabberd":
    # connected_users_info: jid, connection type, ... (STARTTLS and direct TLS are both c2s_tls)
    expected = {"c2s_tls": {1, 2, 3, 4}, "websocket": {5, 6}, "http_bind": {7}}
    seen = {}
    for m in re.finditer(r"^user_(\d+)@localhost/\S+\t(\S+)\t", text, re.M):
        seen.setdefault(m.group(2), set()).add(int(m.group(1)))
else:
    # c2s:show columns jid, method, port (5222 STARTTLS, 5223 direct TLS), encryption
    expected = {"TCP 5222 TLS": {1, 2}, "TCP 5223 TLS": {3, 4}, "WebSocket": {5, 6}, "BOSH": {7}}
    seen = {}
    for line in text.splitlines():
        cols = [c.strip() for c in line.split("|")]
        m = re.match(r"user_(\d+)@localhost/", cols[0])
        if not m or len(cols) < 4:
            continue
        method, port, enc = cols[1], cols[2], cols[3]
        key = "%s %s %s" % (method, port, "TLS" if enc.startswith("TLS") else enc) if method == "TCP" else method
        seen.setdefault(key, set()).add(int(m.group(1)))
seen = {k: v - {8} for k, v in seen.items() if v - {8}}  # the observer is not amoc's
assert seen == expected, "seen %s, expected %s" % (seen, expected)
EOF2
checks_done
