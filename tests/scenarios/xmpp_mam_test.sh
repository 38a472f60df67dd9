#!/usr/bin/env bash
# xmpp_mam end to end, on a real ejabberd and a real Prosody (scripts/xmpp-server,
# full mode: MAM on, default archiving always). Before the run an independent
# client sets user 3's archive preference to never (XEP-0313 prefs), a real
# loss the scenario must find. `amoc run`: 8 users in pairs send 4 tagged
# messages each and query their archive twice, 3 messages a page, so every
# query pages (8 messages in each window: 3 pages). Then:
# - amoc fails the run on its threshold (xmpp.mam.missing == 0) and names
#   user 3's missing messages #1..#4 in a warning;
# - the independent client (xmpp_mam_observer.py) logs in as every user and
#   repeats each query amoc logged (same window, page size, RSM `after`): the
#   pages, the messages and the user's own messages found must be amoc's;
#   user 3 found none of its 4 and every other user all of its 4; user 4's
#   archive holds user 3's messages (they were sent); amoc's xmpp.mam.*
#   counters are the sums of its query lines;
# - a second run with max_pages 2 counts its cut-short queries as incomplete,
#   not their messages as missing.
#   xmpp_mam_test.sh AMOC_BINARY [SERVER...]     (default: ejabberd prosody)
set -u
amoc=$(realpath "$1")  # the test works in a folder of its own
shift
servers=("$@")
((${#servers[@]})) || servers=(ejabberd prosody)
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../apps/checks.sh
. "$src/tests/apps/checks.sh"
work=$(mktemp -d)
export AMOC_PLUGIN_DIR=$work/plugins AMOC_RUN_DIR=$work/run
# ejabberd runs as its own user, which must be able to enter the working folder.
server() { (cd / && "$src/scripts/xmpp-server" "$@"); }
observer=$src/tests/scenarios/xmpp_mam_observer.py
cleanup() {
  server stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1

readonly users=8 messages=4 lossy=3
cat >run.json <<JSON
{"scenario": "xmpp_mam", "users": [1, $users],
 "settings": {"interarrival": "10ms", "repeat_num": 1, "message_interval": "50ms",
              "message_count": $messages, "linger": "3s", "query_delay": "300ms",
              "query_count": 2, "page_size": 3, "max_pages": 20, "page_timeout": "5s",
              "time_margin": "1s", "log_queries": true,
              "xmpp_host": "127.0.0.1", "xmpp_port": 5222, "xmpp_domain": "localhost",
              "xmpp_starttls": "optional", "xmpp_sasl_mechanisms": ["PLAIN"]},
 "duration": "40s",
 "thresholds": {"xmpp.mam.missing": ["count == 0"], "xmpp.login_failures": ["count == 0"]}}
JSON

# run_against SERVER: one server's checks.
run_against() {
  local name=$1 code=0
  server stop >/dev/null 2>&1
  local failed_before=$failures
  check "$name: the server starts (full mode, MAM on)" ok "$name.server.log" server start "$name"
  ((failures == failed_before)) || return
  check "$name: $users accounts" ok "$name.users.log" server users "$users"
  check "$name: user $lossy's archive keeps nothing (prefs never)" \
    ok "$name.never.log" python3 "$observer" never "$lossy"
  "$amoc" run run.json --out "$name.result.json" >"$name.run.log" 2>&1 || code=$?
  check "$name: amoc run fails on its threshold xmpp.mam.missing == 0 (exit 99)" \
    eval "[[ $code == 99 ]] || { echo exit $code; tail -30 $name.run.log; false; }"
  check "$name: the warning names user $lossy's missing messages" has \
    "user $lossy: mam query 1 \(start=.*\): $messages of $messages messages sent are not in the archive: #1 #2 #3 #4\$" \
    "$name.run.log"
  check "$name: every user ended normally" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["metrics"]["counters"]
assert c["users.ended.normal"]["total"] == int(sys.argv[2]), c["users.ended.normal"]' \
    "$name.result.json" "$users"
  check "$name: the archives, read independently, are what amoc found" \
    ok "$name.compare.log" python3 "$observer" compare "$name.run.log" "$name.result.json" "$lossy" "$messages"
  # Queries cut short by max_pages: counted incomplete, and not as missing
  # (whether the rest is archived is unknown); user 3's empty window is
  # complete on its first page, so only its messages count as missing.
  sed 's/"max_pages": 20/"max_pages": 2/; s/"query_count": 2/"query_count": 1/' run.json >short.json
  code=0
  "$amoc" run short.json --out "$name.short.json" >"$name.short.log" 2>&1 || code=$?
  check "$name: max_pages reached: incomplete queries, not missing messages" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["metrics"]["counters"]
got = {k: c["xmpp.mam." + k]["total"] for k in ("queries", "incomplete", "missing", "found")}
assert got == {"queries": 8, "incomplete": 7, "missing": 4, "found": 0}, got' "$name.short.json"
  check "$name: the warning says why a query is incomplete" has \
    "user 1: mam query 1 \(start=.*\) ended after 2 pages without <fin complete='true'/>: max_pages \(2\) pages" \
    "$name.short.log"
  python3 - "$name" "$name.result.json" <<'PY' || true
import json, sys
h = json.load(open(sys.argv[2]))["metrics"]["histograms"]
for k in ("xmpp.mam.page", "xmpp.mam.query"):
    if k in h:
        print("%s: %s count=%d p50=%.2fms p99=%.2fms max=%.2fms" % (sys.argv[1], k, h[k]["count"],
              h[k]["p50_ms"], h[k]["p99_ms"], h[k]["max_ms"]))
PY
  server stop >/dev/null 2>&1
}

for s in "${servers[@]}"; do run_against "$s"; done
checks_done
