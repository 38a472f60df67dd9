#!/usr/bin/env bash
# xmpp_registration end to end on a real server: 20 amoc users register
# accounts in band under a fresh prefix, log in, hold 3 s and remove them. One
# account (number 7) is registered beforehand by an independent client: its
# registration must count as a conflict, and the run cleans it up like the rest.
# Checks on the server's side: while the users hold, the server's user list
# (ejabberdctl registered_users; Prosody's shell user:list) shows all 20 and
# an independent login (scripts/xmpp-server.d/xmpp_session.py) with one of
# them succeeds; after the run the list shows none and that login is refused;
# amoc's counts of registrations and removals match.
#   xmpp_registration_test.sh AMOC_BINARY ejabberd|prosody
set -u
amoc=$(realpath "$1")
server_name=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
server=$src/scripts/xmpp-server
# shellcheck source=../apps/checks.sh
source "$src/tests/apps/checks.sh"
work=$(mktemp -d)
poller_pid=
cleanup() {
  [[ -n $poller_pid ]] && kill "$poller_pid" 2>/dev/null
  cd "$src" && "$server" stop >/dev/null 2>&1  # ejabberdctl cannot enter $work
  rm -rf "$work"
}
trap cleanup EXIT
readonly users=20 taken=7
readonly prefix="amoc_t${RANDOM}_" password_prefix="pw_${RANDOM}_"
# From the source tree: ejabberd runs as its own user, which cannot enter $work.
(cd "$src" && "$server" start "$server_name") >"$work/server.log" 2>&1 ||
  { failed "$server_name starts" "$work/server.log"; checks_done; exit; }
cd "$work" || exit 1

# The accounts under the prefix, as the server lists them (one per line).
# ejabberdctl runs as ejabberd's user, from a folder it may enter.
accounts() {
  local listed
  if [[ $server_name == ejabberd ]]; then
    listed=$(cd "$src" && "$server" ctl registered_users localhost) || return
  else
    listed=$(cd "$src" && "$server" ctl user list localhost "$prefix") || return
  fi
  grep -c "^$prefix" <<<"$listed"
}
# session ACTION NUMBER: register or log in account NUMBER with the independent client.
session() {
  python3 - "$src/scripts/xmpp-server.d" "$1" "$prefix$2" "$password_prefix$2" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from xmpp_session import NS_REGISTER, Where, login, open_session
action, user, password = sys.argv[2:5]
if action == "register":
    s = open_session(Where(), 5222)
    s.iq("set", "<query xmlns='%s'><username>%s</username><password>%s</password></query>"
         % (NS_REGISTER, user, password))
else:
    s = login(Where(), 5222, "none", "PLAIN", user, password)
    print("logged in as", s.jid)
s.close()
PY
}

check "no account under the prefix before the run" eval "[[ \$(accounts) == 0 ]]"
check "account $taken registered beforehand" ok register.log session register "$taken"

cat >run.json <<JSON
{"scenario": "xmpp_registration", "users": [1, $users],
 "settings": {"interarrival": "20ms", "repeat_num": 1, "hold": "3s",
              "registration_prefix": "$prefix", "registration_password_prefix": "$password_prefix",
              "xmpp_host": "127.0.0.1", "xmpp_port": 5222, "xmpp_domain": "localhost",
              "xmpp_sasl_mechanisms": ["SCRAM-SHA-1", "PLAIN"]},
 "duration": "60s"}
JSON
(while :; do accounts || echo "the server did not list its users"; sleep 0.3; done) >counts.txt &
poller_pid=$!
"$amoc" run run.json --out result.json >run.log 2>&1 &
run_pid=$!
sleep 1.5  # the 20 users have registered by now and hold for 3 s
check "an independent login with account 3 works during the run" ok login-during.log session login 3
code=0
wait "$run_pid" || code=$?
kill "$poller_pid" 2>/dev/null
wait "$poller_pid" 2>/dev/null
poller_pid=
check "amoc run exits 0" eval "[[ $code == 0 ]] || { tail -30 run.log; false; }"
check "the server listed all $users accounts during the run" \
  eval "sort -n counts.txt | tail -1; [[ \$(sort -n counts.txt | tail -1) == $users ]]"
check "the server lists none after the run" eval "[[ \$(accounts) == 0 ]]"
check "an independent login with account 3 is refused after the run" \
  eval "! session login 3 >login-after.log 2>&1 && has not-authorized login-after.log"
check "amoc counts $((users - 1)) registrations, 1 conflict, $users logins and removals" \
  python3 - "$users" <<'PY'
import json, sys
users = int(sys.argv[1])
d = json.load(open("result.json"))["metrics"]
c, h = d["counters"], d["histograms"]
print({k: v["total"] for k, v in c.items() if k.startswith(("xmpp.registration", "users.ended", "xmpp.log", "xmpp.failures"))})
for name in ("register", "login", "removal"):
    print(name, {k: h["xmpp.registration." + name][k] for k in ("count", "p50_ms", "p99_ms", "max_ms")})
assert c["users.ended.normal"]["total"] == users
assert c["xmpp.registration.registered"]["total"] == users - 1
assert c["xmpp.registration.failures.conflict"]["total"] == 1
assert not [k for k in c if k.startswith("xmpp.registration.failures.") and not k.endswith(".conflict")]
assert c["xmpp.registration.removed"]["total"] == users
assert h["xmpp.registration.register"]["count"] == users - 1
assert h["xmpp.registration.login"]["count"] == users
assert c.get("xmpp.login_failures", {"total": 0})["total"] == 0
# The server ends a removed account's stream (a stream error on ejabberd): no failure.
assert not [k for k in c if k.startswith("xmpp.failures.") and c[k]["total"]]
PY
# The figures, for the record (ctest -V shows them).
python3 -c '
import json
h = json.load(open("result.json"))["metrics"]["histograms"]
for name in ("register", "login", "removal"):
    m = h["xmpp.registration." + name]
    print("%s latency (ms): " % name + ", ".join("%s %s" % (k, m[k]) for k in ("count", "p50_ms", "p99_ms", "max_ms")))
' 2>/dev/null
checks_done
