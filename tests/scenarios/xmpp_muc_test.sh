#!/usr/bin/env bash
# xmpp_muc end to end on a real SERVER (ejabberd or prosody). 16 users in rooms of 4
# send 4 groupchat messages each, twice: rooms configured as instant rooms, then through
# the owner's form. Each time an independent occupant (muc_observer.py, its own stdlib
# XMPP client) joins every room as soon as it exists (disco#info), and the rooms wait for it
# (muc_extra_occupants 1). Checked: amoc's thresholds (no failures, 4 rooms created, every
# message sent and received: received = sent x 3), then per room that the observer got
# exactly the messages amoc says were sent to that room, from each of its 4 users, saw the
# room full (5 occupants) and emptied, and that amoc's per room received count is sent x 3;
# and that the server itself listed every room, with 5 occupants, while the observer saw
# them full. Then the fault: a members-only room refuses its 4 users (4 join failures).
#   xmpp_muc_test.sh AMOC_BINARY SERVER
set -u
amoc=$(realpath "$1") kind=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../apps/checks.sh
. "$src/tests/apps/checks.sh"
work=$(mktemp -d)
export AMOC_PLUGIN_DIR=$work/plugins AMOC_RUN_DIR=$work/run
server=$src/scripts/xmpp-server
users=16 size=4 rooms=4 count=4
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  "$server" stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1

# The ports are this test's (RESOURCE_LOCK): whatever runs there goes. Started from /: the
# server runs as its own system user, and ejabberd's code loader fails on an unreadable cwd.
"$server" stop >/dev/null 2>&1
(cd / && ok "$work/server.log" "$server" start "$kind") || { checks_done; exit 1; }
check "$((users + 1)) accounts" ok "$work/users.log" "$server" users $((users + 1))

# server_rooms PREFIX: the rooms the server lists now, one "room occupants" a line
# (ejabberd: muc_online_rooms_by_regex through its HTTP API, answered in milliseconds where
# ejabberdctl first boots an Erlang VM, 1.5 s idle and more under load, while the rooms
# live for seconds; Prosody: `muc list`, then each room's occupants counted by a line of
# Lua in its admin shell).
server_rooms() {
  if [[ $kind == ejabberd ]]; then
    curl -sS --fail-with-body -X POST http://127.0.0.1:5280/api/muc_online_rooms_by_regex \
      -d "{\"service\": \"muc.localhost\", \"regex\": \"^$1\"}" |
      python3 -c 'import json, sys
for room in json.load(sys.stdin): print(room["jid"].split("@")[0], room["participants"])'
    return
  fi
  local jid count
  for jid in $("$server" ctl muc list muc.localhost 2>/dev/null | grep -o "^$1[0-9]*@[a-z.]*"); do
    count=$("$server" ctl ">local n = 0; for _ in prosody.hosts['muc.localhost'].modules.muc.\
get_room_from_jid('$jid'):each_occupant() do n = n + 1 end; return n" 2>/dev/null |
      sed -n 's/^Result: //p')
    echo "${jid%@*} ${count:-?}"
  done
}

# run_rooms LABEL CONFIG: one run with fresh rooms, configured as CONFIG says.
run_rooms() {
  local label=$1 config=$2 prefix="m${RANDOM}$1_" code=0
  cat >"$label.json" <<JSON
{"scenario": "xmpp_muc", "users": [1, $users],
 "settings": {"interarrival": "10ms", "repeat_num": 1, "muc_room_size": $size,
   "muc_extra_occupants": 1, "muc_fill_timeout": "10s", "muc_message_interval": "1s",
   "muc_message_count": $count, "muc_linger": "5s", "muc_room_prefix": "$prefix",
   "muc_room_config": "$config", "muc_room_metrics": true,
   "xmpp_host": "127.0.0.1", "xmpp_port": 5222, "xmpp_domain": "localhost",
   "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "40s",
 "thresholds": {"xmpp.login_failures": ["count == 0"], "xmpp.muc.join_failures": ["count == 0"],
   "xmpp.muc.fill_timeouts": ["count == 0"], "xmpp.muc.rooms_created": ["count == $rooms"],
   "xmpp.muc.messages_sent": ["count == $((users * count))"],
   "xmpp.muc.messages_received": ["count == $((users * count * (size - 1)))"]}}
JSON
  python3 "$src/tests/scenarios/muc_observer.py" "$src" "user_$((users + 1))" \
    "password_$((users + 1))" muc.localhost "$prefix" $rooms $size 30 "full-$label" \
    >"observer-$label.json" 2>"observer-$label.err" &
  local observer=$!
  pids+=("$observer")
  echo "$(date +%T.%N | cut -c1-12) $label: amoc run"
  "$amoc" run "$label.json" --out "result-$label.json" >"run-$label.out" 2>&1 &
  local run=$!
  pids+=("$run")
  # While the rooms are full (the observer says so), what does the server list?
  for _ in $(seq 300); do [[ -e full-$label ]] && break; sleep 0.05; done
  (cd / && server_rooms "$prefix") >"server-$label.txt"
  echo "$(date +%T.%N | cut -c1-12) $label: the server listed $(wc -l <"server-$label.txt") rooms"
  wait "$run" || code=$?
  echo "$(date +%T.%N | cut -c1-12) $label: amoc exited $code"
  wait "$observer"
  echo "$(date +%T.%N | cut -c1-12) $label: the observer is done"
  check "$label: amoc run exits 0, its thresholds hold" \
    eval "[[ $code == 0 ]] || { tail -40 run-$label.out; false; }"
  check "$label: the observer's messages and occupants match amoc's per room" \
    python3 - "result-$label.json" "observer-$label.json" "$prefix" $rooms $size $count <<'PY'
import json, sys
result, seen = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
prefix, rooms, size, count = sys.argv[3], *map(int, sys.argv[4:])
counters = {k: v["total"] for k, v in result["metrics"]["counters"].items()}
assert seen["joined"] == rooms and not seen["errors"], seen
for n in range(1, rooms + 1):
    sent = counters[f"xmpp.muc.room.{n}.messages_sent"]
    received = counters[f"xmpp.muc.room.{n}.messages_received"]
    room = seen["rooms"][f"{prefix}{n}"]
    assert sent == size * count, (n, sent)
    assert room["messages"] == sent, (n, "observer", room, "amoc sent", sent)
    assert sorted(room["senders"].values()) == [count] * size, (n, room)
    assert room["peak"] == size + 1, (n, room)
    assert received == sent * (size - 1), (n, received, sent)
PY
  check "$label: the server listed every room while they were full" \
    python3 - "server-$label.txt" "$prefix" $rooms $size <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1]) if l.strip()]
prefix, rooms, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
listed = {name for name, _ in lines}
assert listed == {f"{prefix}{n}" for n in range(1, rooms + 1)}, listed
assert all(p == str(size + 1) for _, p in lines), lines
PY
}

# refused_room: the fault. Another owner holds room 1 members-only (muc_members_only.py,
# before the run): its 4 users are refused (registration-required), count 4 join failures,
# say why and log out normally; room 2 is created and talks as usual.
refused_room() {
  local prefix="m${RANDOM}refused_" code=0
  python3 "$src/tests/scenarios/muc_members_only.py" "$src" "user_$((users + 1))" \
    "password_$((users + 1))" "${prefix}1@muc.localhost" 30 ready-refused >blocker.out 2>&1 &
  local blocker=$!
  pids+=("$blocker")
  for _ in $(seq 200); do [[ -e ready-refused ]] && break; sleep 0.05; done
  check "refused: the members-only room is there" eval "[[ -e ready-refused ]] || { cat blocker.out; false; }"
  cat >refused.json <<JSON
{"scenario": "xmpp_muc", "users": [1, 8],
 "settings": {"interarrival": "10ms", "repeat_num": 1, "muc_room_size": 4,
   "muc_fill_timeout": "5s", "muc_message_interval": "300ms", "muc_message_count": 2,
   "muc_linger": "3s", "muc_room_prefix": "$prefix",
   "xmpp_host": "127.0.0.1", "xmpp_port": 5222, "xmpp_domain": "localhost",
   "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "30s",
 "thresholds": {"xmpp.login_failures": ["count == 0"], "xmpp.muc.join_failures": ["count == 4"],
   "xmpp.muc.rooms_created": ["count == 1"], "xmpp.muc.messages_sent": ["count == 8"],
   "xmpp.muc.messages_received": ["count == 24"], "users.ended.normal": ["count == 8"]}}
JSON
  "$amoc" run refused.json --out result-refused.json >run-refused.out 2>&1 || code=$?
  kill "$blocker" 2>/dev/null
  check "refused: amoc run exits 0, its thresholds hold" \
    eval "[[ $code == 0 ]] || { tail -40 run-refused.out; false; }"
  check "refused: each refused user says why" eval \
    "[[ \$(grep -c 'cannot join ${prefix}1@muc.localhost: registration-required' run-refused.out) == 4 ]] || { tail -40 run-refused.out; false; }"
}

run_rooms instant instant
run_rooms form form
refused_room
checks_done
