#!/usr/bin/env bash
# Users from a file (`users_file`) end to end. Bad files stop `amoc run` before
# any user starts (exit 2, the message names the problem). Then, on a real
# ejabberd, accounts that do not follow the user_N pattern (their names and
# passwords hold dots, dashes, commas and quotes; the file has CRLF lines and
# quoted fields), registered with ejabberdctl: xmpp_one_to_one through `amoc
# run`, first on one node, then on two worker nodes on loopback that have no
# copy of the file (their working folders lack it: the master ships each its
# rows). Each time: no login failure, every message delivered to the partner
# named by the partner's row (the result's thresholds), and every account of
# the file seen online by the server. Between the two, xmpp_roster_presence on one
# node with the same file, whose contacts are other rows: the server's rosters
# (an independent client's view and ejabberdctl get_roster) name the file's accounts.
#   users_file_test.sh AMOC_BINARY
set -u
amoc=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=checks.sh
. "$src/tests/apps/checks.sh"
work=$(mktemp -d)
export AMOC_PLUGIN_DIR=$work/plugins AMOC_RUN_DIR=$work/run
server=$src/scripts/xmpp-server
started_server=0
pids=()  # in the background: the worker nodes, the roster observer and poller
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  ((started_server)) && "$server" stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/master" "$work/w1" "$work/w2"
cd "$work/master" || exit 1

# refused CSV-TEXT USERS EXPECTED-MESSAGE: `amoc run` exits 2 naming the problem, no user
# starts. USERS is a last id, or a run file's "stages" (checked against the plan's last id).
refused() {
  printf '%b' "$1" >bad.csv
  local users="\"users\": [1, $2]"
  [[ $2 == *stages* ]] && users=$2
  cat >bad.json <<EOF
{"scenario": "xmpp_one_to_one", $users, "settings": {"users_file": "bad.csv"}}
EOF
  local code=0
  "$amoc" run bad.json >bad.out 2>&1 || code=$?
  [[ $code == 2 ]] || { echo "exit $code, not 2"; cat bad.out; return 1; }
  has "$3" bad.out && ! grep -q "users.started" bad.out
}
check "a short file says how many users and rows" refused 'username,password\na,1\nb,2\n' 3 \
  "users_file bad.csv: it has 2 rows, and users 1..3 need 3"
check "a staged run is checked against its plan's last id" refused 'username,password\na,1\nb,2\n' \
  '"stages": [{"ramp_to": 1, "over": "1s"}, {"ramp_to": 3, "over": "1s"}]' \
  "it has 2 rows, and users 1..3 need 3"
check "repeated usernames name their rows" refused 'username,password\na,1\nb,2\na,3\n' 3 \
  "\`a\` in rows 1 and 3"
check "a missing column is named" refused 'username,secret\na,1\n' 1 "no column \`password\`"
check "malformed quoting names its line" refused 'username,password\na,1\nb,"2\n' 2 \
  "line 3: a quoted field opened on line 3 is never closed"
check "a missing file is named" refused '' 1 "bad.csv: it is empty"
rm -f bad.csv
code=0
"$amoc" run bad.json >bad.out 2>&1 || code=$?
check "a file that is not there: exit 2 and strerror" \
  eval '[[ $code == 2 ]] && has "bad.csv: cannot open: No such file or directory" bad.out'

# --- a real server --------------------------------------------------------------------
if "$server" status >/dev/null 2>&1; then
  echo "using the XMPP server that already runs"
else
  ok "$work/server.log" "$server" start --lean ejabberd || { checks_done; exit 1; }
  started_server=1
fi

# Eight accounts with a random tag (the server may hold others), CSV written by Python's
# csv module (quotes where needed, CRLF), registered one by one with ejabberdctl.
tag=$RANDOM$$
python3 - "$tag" >accounts.csv <<'EOF'
import csv, random, string, sys
tag = sys.argv[1]
names = ["alice.k", "bob-m", "carol_x", "dave.r", "erin-q", "frank_o", "grace.w", "hank-z"]
out = csv.writer(sys.stdout, lineterminator="\r\n")
out.writerow(["username", "password", "team"])
for i, n in enumerate(names):
    secret = "".join(random.choice(string.ascii_letters) for _ in range(10))
    out.writerow([f"{n}{tag}", f'p,"{secret}"', f"team {i % 3}, blue"])
EOF
register() {
  python3 -c 'import csv, sys
for row in list(csv.reader(open("accounts.csv", newline="")))[1:]:
    print(row[0]); print(row[1])' | while IFS= read -r name && IFS= read -r password; do
    "$server" ctl register "$name" localhost "$password" </dev/null || return 1
  done
}
check "eight accounts registered" ok "$work/register.log" register

# run_checked LABEL RUN-FILE: runs it while recording who is online on the server.
run_checked() {
  local label=$1 run=$2 code=0
  (while :; do "$server" ctl connected_users 2>/dev/null; sleep 0.3; done) >"online-$label.txt" &
  local poller=$!
  "$amoc" run "$run" --out "result-$label.json" >"run-$label.out" 2>&1 || code=$?
  kill "$poller" 2>/dev/null
  wait "$poller" 2>/dev/null
  check "$label: amoc run exits 0" eval "[[ $code == 0 ]] || { tail -30 run-$label.out; false; }"
  check "$label: no login failure, every message delivered" python3 - "result-$label.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [t for t in d["thresholds"] if not t["passed"]]
assert len(d["thresholds"]) == 2 and not bad, d["thresholds"]
EOF
  check "$label: every account of the file was online" python3 - "online-$label.txt" <<'EOF'
import csv, sys
online = {line.split("@")[0] for line in open(sys.argv[1]) if "@" in line}
names = [r[0] for r in list(csv.reader(open("accounts.csv", newline="")))[1:]]
missing = [n for n in names if n not in online]
assert not missing, f"never online: {missing} (seen: {sorted(online)})"
EOF
}

settings='"users_file": "accounts.csv", "interarrival": 0, "repeat_num": 1,
  "message_interval": "1s", "message_count": 6, "linger": "2s",
  "xmpp_host": "127.0.0.1", "xmpp_port": 5222, "xmpp_domain": "localhost"'
thresholds='{"xmpp.login_failures": ["count == 0"], "xmpp.messages_received": ["count == 48"]}'
cat >local.json <<EOF
{"scenario": "xmpp_one_to_one", "users": [1, 8], "settings": {$settings},
 "duration": "60s", "thresholds": $thresholds}
EOF
run_checked local local.json

# xmpp_roster_presence with the same file: groups of 4 make their subscriptions mutual,
# so each user's contacts are the other rows of its group (user_N would be no account
# here). On the server's side: an independent client logged in as row 2's account
# (scripts/xmpp-server.d/xmpp_session.py, its own resource) gets that roster as the
# server holds it, with rows 1, 3 and 4 at 'both', and their stamped updates;
# `ejabberdctl get_roster` shows row 1's contacts at 'both' by the names of rows 2..4
# (each call starts an Erlang VM, a second or more under load: updates 2 s apart keep
# the rosters mutual for a few calls; a user ends as soon as its contacts' last
# updates are in, so the linger does not);
# after the run every account's roster is empty again (the scenario removes its contacts).
cat >roster.json <<EOF
{"scenario": "xmpp_roster_presence", "users": [1, 8],
 "settings": {"users_file": "accounts.csv", "interarrival": "20ms", "repeat_num": 1,
   "roster_group_size": 4, "subscription_timeout": "10s", "presence_count": 2,
   "presence_interval": "2s", "linger": "2s",
   "xmpp_host": "127.0.0.1", "xmpp_port": 5222, "xmpp_domain": "localhost"},
 "duration": "40s",
 "thresholds": {"xmpp.login_failures": ["count == 0"], "xmpp.roster.incomplete": ["count == 0"],
   "xmpp.roster.subscriptions": ["count == 24"], "xmpp.roster.removed": ["count == 24"],
   "xmpp.presence.received": ["count == 48"], "users.ended.scenario_error": ["count == 0"]}}
EOF
# field ROW COLUMN: a field of the file's ROWth account (1-based), as Python's csv reads it.
field() { python3 -c 'import csv, sys
print(list(csv.reader(open("accounts.csv", newline="")))[int(sys.argv[1])][int(sys.argv[2])])' "$@"; }
name1=$(field 1 0)
contacts2=$(field 1 0)@localhost,$(field 3 0)@localhost,$(field 4 0)@localhost
: >roster-observer.out  # there before the first grep below
python3 "$src/tests/scenarios/roster_observer.py" "$(field 2 0)" "$(field 2 1)" "$contacts2" 6 20 \
  >roster-observer.out 2>&1 &
observer=$!
pids+=("$observer")
for _ in $(seq 100); do grep -q ready roster-observer.out && break; sleep 0.1; done
check "roster: the observer is online as row 2's account" has ready roster-observer.out
# Until row 1's roster shows three contacts at 'both' (each ejabberdctl call starts an
# Erlang VM: a few, not one per tick).
(for _ in $(seq 40); do
  roster=$("$server" ctl get_roster "$name1" localhost 2>&1)
  printf '%s\n---\n' "$roster"
  [[ $(grep -c $'\tboth' <<<"$roster") -ge 3 ]] && break
  sleep 0.2
done) >get_roster.txt 2>&1 &
poller=$!
pids+=("$poller")
code=0
"$amoc" run roster.json --out result-roster.json >run-roster.out 2>&1 || code=$?
kill "$poller" 2>/dev/null
wait "$poller" 2>/dev/null
wait "$observer"
check "roster: amoc run exits 0 (its thresholds passed)" \
  eval "[[ $code == 0 ]] || { tail -30 run-roster.out; false; }"
check "roster: no XMPP failure, every subscription mutual, every update delivered" \
  python3 - result-roster.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
counters = d["metrics"]["counters"]
total = lambda n: counters[n]["total"] if n in counters else 0
print({n: c["total"] for n, c in counters.items() if n.startswith(("xmpp.roster", "xmpp.presence", "xmpp.fail"))})
assert not [n for n in counters if n.startswith("xmpp.failures.")], counters.keys()
assert total("xmpp.roster.subscriptions") == 8 * 3 and total("xmpp.roster.incomplete") == 0
assert total("xmpp.presence.sent") == 8 * 2 and total("xmpp.presence.received") == 8 * 3 * 2
assert len(d["thresholds"]) == 6 and all(t["passed"] for t in d["thresholds"]), d["thresholds"]
EOF
check "roster: the server held row 2's contacts (rows 1, 3, 4) at 'both' and sent their updates" \
  python3 - roster-observer.out <<'EOF'
import json, sys
seen = json.loads(open(sys.argv[1]).read().split("ready", 1)[1])
assert seen["both"] == 3 and seen["updates"] == 3 * 2, seen
EOF
check "roster: ejabberdctl get_roster named row 1's contacts by the file's usernames" \
  python3 - get_roster.txt <<'EOF'
import csv, sys
names = [r[0] for r in list(csv.reader(open("accounts.csv", newline="")))[1:]]
want = {n + "@localhost" for n in names[1:4]}
blocks = open(sys.argv[1]).read().split("---")
mutual = [{l.split("\t")[0] for l in b.splitlines() if "\tboth" in l} for b in blocks]
assert want in mutual, f"never saw {sorted(want)} at both: {blocks[-2:]}"
EOF
check "roster: every account's roster is empty after the run" python3 - "$src" <<'EOF'
import csv, sys
sys.path.insert(0, sys.argv[1] + "/scripts/xmpp-server.d")
from xmpp_session import Where, login, q
NS = "jabber:iq:roster"
left = {}
for name, password, _ in list(csv.reader(open("accounts.csv", newline="")))[1:]:
    s = login(Where(), 5222, "none", "PLAIN", name, password)
    items = s.iq("get", "<query xmlns='%s'/>" % NS).find(q(NS, "query")).findall(q(NS, "item"))
    s.close()
    if items:
        left[name] = [i.get("jid") for i in items]
assert not left, left
EOF

# Two worker nodes, started where there is no accounts.csv.
for i in 1 2; do
  (cd "$work/w$i" && exec "$amoc" node --listen 127.0.0.1:0 --name "w$i" --insecure) \
    >"$work/w$i.log" 2>&1 &
  pids+=($!)
done
ports=()
for i in 1 2; do
  for _ in $(seq 100); do grep -q "listening on" "$work/w$i.log" && break; sleep 0.05; done
  ports+=("$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/w$i.log" | head -1)")
done
# Staged: users come in adds, whose rows travel ahead of each add.
cat >dist.json <<EOF
{"scenario": "xmpp_one_to_one", "stages": [{"ramp_to": 8, "over": "1s"}, {"hold": "8s"}],
 "nodes": ["127.0.0.1:${ports[0]}", "127.0.0.1:${ports[1]}"],
 "settings": {$settings, "node_insecure": true},
 "duration": "60s", "thresholds": $thresholds}
EOF
run_checked dist dist.json
# node_rows NODE PARITY: the node's log says it got the rows of 4 users, all with ids of
# that parity (1: odd), and 8 usernames, over however many messages.
node_rows() {
  python3 - "$work/$1.log" "$2" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
lines = re.findall(r"users_file rows of (\d+) users \(([^)]*)\), usernames of (\d+)", text)
rows = sum(int(n) for n, _, _ in lines)
usernames = sum(int(u) for _, _, u in lines)
ids = []
for _, ranges, _ in lines:
    for r in filter(None, ranges.split(", ")):
        m = re.fullmatch(r"(\d+)\.\.(\d+)(?:/(\d+))?", r)
        first, last, stride = int(m[1]), int(m[2]), int(m[3] or 1)
        ids += range(first, last + 1, stride)
assert rows == 4 and usernames == 8, (lines, rows, usernames)
assert sorted(ids) == [i for i in range(1, 9) if i % 2 == int(sys.argv[2])], (lines, ids)
EOF
}
check "w1 got the rows of its users (odd ids) only, and every username" node_rows w1 1
check "w2 got the rows of its users (even ids) only, and every username" node_rows w2 0
check "each node ran its half" python3 - result-dist.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
started = sorted(n["started"] for n in d["nodes"])
assert started == [4, 4], started
EOF

checks_done
