#!/usr/bin/env bash
# `amoc check FILE` and `amoc run FILE --dry-run`: a valid run file passes
# (exit 0, nothing run), a bad one fails with exit 2 and every problem listed,
# each naming its field.
#   check_test.sh AMOC_BINARY
set -u
amoc=$(realpath "$1")
source "$(dirname "$0")/checks.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# expect NAME CODE PATTERN -- COMMAND...: exit code and output (stdout and stderr).
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$work/out" 2>&1
  local code=$?
  check "$name" bash -c "[[ $code -eq $want ]] || { echo 'exit $code, want $want'; cat '$work/out'; false; }
    grep -qE -- \"\$1\" '$work/out' || { echo 'lacks: '\"\$1\"; cat '$work/out'; false; }" _ "$pattern"
}

cat >good.json <<'JSON'
{"scenario": "dummy", "users": [1, 20], "duration": "1h",
 "settings": {"interarrival": "1ms", "repeat_num": 2, "dummy_sleep": "1h", "metrics_interval": "5s"},
 "thresholds": {"users.ended.scenario_error": ["count == 0"], "users.started": ["count == 40"],
                "users.ended.normal": "rate > 1/s"}}
JSON
expect "a valid run file" 0 "good.json: valid: scenario dummy, users 1..20, 4 setting\(s\), 3 threshold\(s\)" -- \
  timeout 20 "$amoc" check good.json
check "check runs nothing" bash -c "! timeout 20 '$amoc' check good.json 2>&1 | grep -E 'users started|running'"
echo '{"repeat_num": 1}' >cfg.json
expect "--config=FILE" 0 "valid" -- "$amoc" check good.json --config=cfg.json

# Every kind of problem at once: each is listed with its field.
cat >bad.json <<'JSON'
{"scenario": "dummy", "users": [5, 2], "duration": "soon", "batches": -1, "colour": "red",
 "settings": {"repeat_num": "lots", "interarrival": "-5ms", "dumy_sleep": "1ms",
              "prometheus_port": 70000},
 "thresholds": {"xmpp.ttd": ["p99 < soon", "avrg < 10ms", "mean < 10ms"],
                "users.endded.normal": ["count == 0"], "bad name": ["count == 0"]}}
JSON
"$amoc" check bad.json >bad.out 2>&1
check "a bad run file exits 2" test $? -eq 2
for line in "amoc check: bad.json: [0-9]+ problems:" \
  '  users: bad_run_file: bad.json: "users": first id 5 is greater than last id 2' \
  '  duration: bad_run_file: bad.json: "duration" must be a positive duration' \
  '  batches: bad_run_file: bad.json: "batches" must be a positive number' \
  '  colour: bad_run_file: bad.json: unknown key "colour"' \
  '  thresholds.xmpp.ttd: .*threshold "p99 < soon" of xmpp.ttd' \
  '  thresholds.xmpp.ttd: .*"avrg < 10ms"' \
  '  settings: .*unknown setting `dumy_sleep` \(did you mean `dummy_sleep`\?\)' \
  '  settings.repeat_num: invalid_config: repeat_num: value "lots"' \
  '  settings.interarrival: invalid_config: interarrival: value "-5ms"' \
  '  settings.prometheus_port: invalid_config: prometheus_port: value 70000'; do
  check "lists: $line" has "^$line" bad.out
done
check "a good threshold is not listed" bash -c "! grep -q 'mean < 10ms' bad.out"
# Metric names are only checked when the rest of the thresholds parse.
cat >names.json <<'JSON'
{"scenario": "dummy", "users": [1, 2],
 "thresholds": {"users.endded.normal": ["count == 0"], "bad name": ["count == 0"],
                "xmpp..ttd": ["count == 0"], "users.started": ["count == 2"]}}
JSON
"$amoc" check names.json >names.out 2>&1
check "bad metric names exit 2" test $? -eq 2
check "a users. metric the runtime does not record" has \
  "^  thresholds.users.endded.normal: .*not a metric the runtime records \(did you mean users.ended.normal\?\)" names.out
check "a metric name with a space" has '^  thresholds.bad name: .*"bad name" is not a metric name' names.out
check "a metric name with an empty part" has '^  thresholds.xmpp..ttd: .*is not a metric name' names.out
check "exactly three problems" has "names.json: 3 problems" names.out
# A built-in scenario's thresholds name metrics it records (docs/metrics.md);
# a plugin's metrics are not known, so only their syntax is checked.
cat >one_to_one.json <<'JSON'
{"scenario": "xmpp_one_to_one", "users": [1, 2],
 "thresholds": {"xmpp.ttd": ["p99 < 1s"], "xmpp.failures.sasl": ["count == 0"],
                "xmpp.login_failures": ["count == 0"], "users.started": ["count == 2"]}}
JSON
expect "metrics the scenario records" 0 "valid: scenario xmpp_one_to_one.* 4 threshold" -- \
  "$amoc" check one_to_one.json
echo '{"scenario": "xmpp_one_to_one", "users": [1, 2], "thresholds": {"xmpp.tdd": ["p99 < 1s"]}}' >tdd.json
expect "a metric the scenario never records" 2 \
  "^amoc check: thresholds.xmpp.tdd: bad_run_file: xmpp.tdd is not a metric scenario xmpp_one_to_one records \(did you mean xmpp.ttd\?\)" -- \
  "$amoc" check tdd.json
expect "... also in a dry run" 2 "thresholds.xmpp.tdd: .*did you mean xmpp.ttd" -- \
  "$amoc" run tdd.json --dry-run
echo '{"scenario": "dummy", "users": [1, 2], "thresholds": {"xmpp.ttd": ["p99 < 1s"]}}' >ttd.json
expect "an XMPP metric on dummy" 2 \
  "^amoc check: thresholds.xmpp.ttd: .*xmpp.ttd is not a metric scenario dummy records; it records the users.\* metrics only" -- \
  "$amoc" check ttd.json
echo '{"scenario": "dummy", "users": [1, 2], "thresholds": {"user.started": ["count == 2"]}}' >user.json
expect "... suggesting a users. name" 2 "thresholds.user.started: .*did you mean users.started\?" -- \
  "$amoc" check user.json
cat >muc.json <<'JSON'
{"scenario": "xmpp_muc", "users": [1, 2],
 "thresholds": {"xmpp.muc.room.1.mesages_sent": ["count > 0"], "xmpp.muc.ttd": ["p99 < 1s"]}}
JSON
expect "a misspelt name under a wildcard segment" 2 \
  "thresholds.xmpp.muc.room.1.mesages_sent: .*did you mean xmpp.muc.room.1.messages_sent\?" -- \
  "$amoc" check muc.json

# Files, not <(...): amoc refuses to read a FIFO.
echo '{"scenario": "dumy", "users": [1, 2]}' >dumy.json
expect "unknown scenario" 2 "scenario: unknown_scenario: dumy \(did you mean dummy\?\); known: .*dummy" -- \
  "$amoc" check dumy.json
echo '{}' >empty.json
expect "missing scenario and users" 2 "2 problems" -- "$amoc" check empty.json
echo '{"scenario": ' >broken.json
expect "malformed JSON" 2 "broken.json: parse error at line" -- "$amoc" check broken.json
expect "not a file" 2 "cannot open: Is a directory" -- "$amoc" check "$work"
expect "a bad environment value names AMOC_" 2 "AMOC_repeat_num: invalid_config: repeat_num" -- \
  env AMOC_repeat_num=never "$amoc" check good.json
echo '{"repeat_interval": "never"}' >badcfg.json
expect "a bad config file value names the file" 2 "repeat_interval \(config file badcfg.json\): invalid_config" -- \
  "$amoc" check good.json --config badcfg.json
echo '{"dumy_sleep": 1}' >typocfg.json
expect "a config file with an unknown key" 2 "--config: bad_config_file: .*dumy_sleep" -- \
  "$amoc" check good.json --config typocfg.json
echo '{"scenario": "dummy", "users": [1, 2], "nodes": ["127.0.0.1:1"]}' >dist.json
expect "a distributed run without link security" 2 "node links" -- "$amoc" check dist.json
expect "... with node_insecure" 0 "valid: .*1 node" -- env AMOC_node_insecure=true "$amoc" check dist.json

# The users file is read through: a row for every user, well-formed CSV.
printf 'username,password\nalice,a\nbob,b\n' >two.csv
printf 'username,password\nalice,a\nalice,b\n' >twice.csv
echo '{"scenario": "dummy", "users": [1, 3], "settings": {"users_file": "two.csv"}}' >short.json
expect "a users file shorter than the run" 2 "settings.users_file: .*two.csv.*2 rows.*3" -- \
  "$amoc" check short.json
expect "... also in a dry run" 2 "two.csv.*2 rows" -- "$amoc" run short.json --dry-run
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"users_file": "twice.csv"}}' >twice.json
expect "a repeated username" 2 "settings.users_file: .*alice" -- "$amoc" check twice.json
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"users_file": "two.csv"}}' >fits.json
expect "a users file that covers the run" 0 "valid" -- "$amoc" check fits.json

# --dry-run checks the same way, then prints the plan.
expect "dry run of a bad file lists every problem" 2 "amoc run: bad.json: [0-9]+ problems" -- \
  "$amoc" run bad.json --dry-run
expect "dry run checks metric names" 2 "users.endded.normal" -- "$amoc" run names.json --dry-run
expect "dry run of a good file prints the plan" 0 "start" -- "$amoc" run good.json --dry-run
# A run reports every problem of its file before starting.
expect "run of a bad file lists every problem" 2 "amoc run: bad.json: [0-9]+ problems" -- \
  "$amoc" run bad.json

checks_done
