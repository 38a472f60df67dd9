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
# the file seen online by the server.
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
node_pids=()
cleanup() {
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null; done
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

# Two worker nodes, started where there is no accounts.csv.
for i in 1 2; do
  (cd "$work/w$i" && exec "$amoc" node --listen 127.0.0.1:0 --name "w$i" --insecure) \
    >"$work/w$i.log" 2>&1 &
  node_pids+=($!)
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
