#!/usr/bin/env bash
# `amoc` against bad input (issue 17): files that are not files, output paths
# that cannot be written, misspelled settings and metrics, and id ranges far
# larger than memory. Each check names the exit code and the message a user sees.
set -u
amoc=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failures=0
passed=0

# Runs a command (a function as is, a program under a 60 s timeout) with its output captured.
run() { if declare -F "$1" >/dev/null; then "$@"; else timeout 60 "$@"; fi; }

check() {  # check NAME EXPECTED_CODE GREP_PATTERN -- COMMAND...
  local name=$1 want=$2 pattern=$3
  shift 4
  local out code
  out=$(run "$@" 2>&1)
  code=$?
  if [[ $code -ne $want ]] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $code (want $want, output matching: $pattern), output:"
    echo "$out" | tail -20
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

lacks() {  # lacks NAME GREP_PATTERN -- COMMAND...: the command's output must not match
  local name=$1 pattern=$2
  shift 3
  local out
  out=$(run "$@" 2>&1)
  if grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output matches $pattern:"
    echo "$out" | tail -20
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

# --- files that are not run or config files ---
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"repeat_num": 1, "dummy_sleep": "1ms"}}' \
  >good.json
mkdir folder
mkfifo fifo
ln -s loop loop
python3 -c "print('[' * 100000 + ']' * 100000)" >deep.json
head -c $((17 << 20)) /dev/zero | tr '\0' ' ' >big.json
for bad in "folder:cannot open: Is a directory" "fifo:cannot read: it is a FIFO" \
  "/dev/zero:cannot read: it is a device" "loop:cannot open: Too many levels of symbolic links" \
  "big.json:cannot read: 17825792 bytes, more than the 16 MiB" \
  "deep.json:JSON nested 100000 levels deep, more than the 64 amoc accepts"; do
  file=${bad%%:*} why=${bad#*:}
  check "run file $file" 2 "bad_run_file: $file: $why" -- "$amoc" run "$file"
  check "config file $file" 2 "bad_config_file: $file: $why" -- "$amoc" run good.json --config "$file"
  check "dry run with config file $file" 2 "$file: $why" -- \
    "$amoc" run good.json --config "$file" --dry-run
done
check "node config file" 2 "amoc node: bad_config_file: fifo: cannot read: it is a FIFO" -- \
  "$amoc" node --listen 127.0.0.1:0 --insecure --config fifo
check "console config file" 2 "amoc console: bad_config_file: folder: cannot open: Is a directory" -- \
  "$amoc" console --config folder
echo '{"scenario": "dummy", "users": [1, 2], "nodes": ["127.0.0.1:1"],
       "settings": {"node_cert": "folder", "node_key": "fifo", "node_ca": "folder"}}' >certs.json
check "node certificate that is a folder" 2 "folder: cannot open: Is a directory" -- \
  "$amoc" run certs.json
mkdir plugins
mkfifo plugins/stuck.so
check "a FIFO in the plugin folder is skipped, not opened" 0 "skipped .*stuck.so: not a regular file" -- \
  env AMOC_PLUGIN_DIR="$work/plugins" "$amoc" scenarios list

# --- output files, checked before the run starts ---
check "--out into a missing folder" 2 \
  "--out missing/result.json: cannot write: No such file or directory" -- \
  "$amoc" run good.json --out missing/result.json
check "--report that is a folder" 2 "--report folder: cannot write: Is a directory" -- \
  "$amoc" run good.json --report folder
check "--out below a file" 2 "--out good.json/result.json: cannot write: Not a directory" -- \
  "$amoc" run good.json --out good.json/result.json
lacks "a bad --out runs no user" "users started" -- "$amoc" run good.json --out missing/r.json
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"prometheus_port": 70000}}' >noport.json
check "a run that cannot start" 2 "prometheus_port" -- "$amoc" run noport.json --out probe.json \
  --report probe.html
check "the writability probe leaves no file behind" 0 "gone" -- \
  bash -c '[[ ! -e probe.json && ! -e probe.html ]] && echo gone'
check "--out that exists is kept until the run writes it" 0 '"state": "finished"' -- \
  bash -c "echo old >kept.json && '$amoc' run good.json --out kept.json >/dev/null && cat kept.json"

# --- misspelled settings ---
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"dumy_sleep": "1ms"}}' >typo.json
check "misspelled run file setting" 2 \
  'typo.json: "settings" of scenario dummy: unknown setting `dumy_sleep` \(did you mean `dummy_sleep`\?\)' -- \
  "$amoc" run typo.json
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"interarival": 0, "xmpp_host": "a"}}' \
  >typo2.json
check "misspelled built-in and another scenario's setting" 2 \
  'unknown setting `interarival` \(did you mean `interarrival`\?\); unknown setting `xmpp_host`$' -- \
  "$amoc" run typo2.json --dry-run
echo '{"dumy_sleep": "1ms"}' >typo-config.json
check "misspelled config file setting" 2 \
  'bad_config_file: typo-config.json: unknown setting `dumy_sleep` \(did you mean `dummy_sleep`\?\)' -- \
  "$amoc" run good.json --config typo-config.json
check "misspelled setting in a node's config file" 2 'did you mean `dummy_sleep`' -- \
  "$amoc" node --listen 127.0.0.1:0 --insecure --config typo-config.json
echo '{"xmpp_host": "127.0.0.1", "message_interval": "1s", "node_insecure": true, "rest_port": 4001,
       "metrics_interval": "1s", "http_ca_file": "/etc/ssl/certs/ca-certificates.crt"}' >shared.json
check "a config file may hold every scenario's and the node's settings" 0 "normal 2" -- \
  "$amoc" run good.json --config shared.json
check "misspelled AMOC_ variable: a warning" 0 \
  'warning: AMOC_dumy_sleep: no setting has this name \(did you mean `AMOC_dummy_sleep`\?\)' -- \
  env AMOC_dumy_sleep=5ms "$amoc" run good.json
check "misspelled AMOC_ variable in capitals" 0 'AMOC_INTERARIVAL: .*did you mean `AMOC_interarrival`' -- \
  env AMOC_INTERARIVAL=5ms "$amoc" run good.json
lacks "unrelated AMOC_ variables are left alone" "warning" -- \
  env AMOC_UNRELATED_TOOL_SETTING=1 AMOC_interarrival=1ms AMOC_REPEAT_NUM=1 "$amoc" run good.json

# --- thresholds on metrics the run never produced ---
echo '{"scenario": "dummy", "users": [1, 2], "settings": {"repeat_num": 1, "dummy_sleep": "1ms"},
       "thresholds": {"users.endded.normal": ["count == 0"],
                      "users.ended.scenario_error": ["count == 0"]}}' >thr.json
check "threshold on a misspelled metric" 99 \
  "✗ users.endded.normal +count == 0 +users.endded.normal was never recorded in this run \(did you mean users.ended.normal\?\)" -- \
  "$amoc" run thr.json --out thr-result.json
check "the result file says why" 0 "never recorded" -- python3 -c '
import json
r = json.load(open("thr-result.json"))
assert [t["passed"] for t in r["thresholds"]] == [False, True], r["thresholds"]
print(r["thresholds"][0]["note"])'

# --- a trillion user ids: bounded memory, an instant dry run ---
cat >huge.json <<'JSON'
{"scenario": "dummy", "users": [1, 1000000000000], "duration": "4s", "graceful_stop_timeout": "2s",
 "settings": {"interarrival": 0, "repeat_num": 1, "dummy_sleep": "10ms"}}
JSON
dry_run_ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$amoc" run huge.json --dry-run >dry.txt || return 1
  t1=$(date +%s%N)
  echo "dry run $(((t1 - t0) / 1000000)) ms"
  cat dry.txt
}
check "dry run of 10^12 users" 0 "1000000000000 starts" -- dry_run_ms
check "dry run of 10^12 users in well under a second" 0 "dry run [0-9]{1,3} ms" -- dry_run_ms
# Peak RSS, sampled from /proc while the run spawns users for 4 s.
peak_rss() {
  "$amoc" run huge.json >huge.out 2>&1 &
  local pid=$! peak=0 rss kb
  # amoc run is a crash guard and the child that runs the users: both count.
  while kill -0 "$pid" 2>/dev/null; do
    rss=0
    for p in "$pid" $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
      # A zombie's status has no VmRSS line: count it as 0.
      kb=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null)
      rss=$((rss + ${kb:-0}))
    done
    ((rss > peak)) && peak=$rss
    sleep 0.2
  done
  wait "$pid"
  local code=$?
  echo "exit $code, peak RSS ${peak} kB ($((peak / 1024)) MiB), limit ${RSS_LIMIT_KB} kB"
  grep "users started" huge.out
  ((code == 0 && peak < RSS_LIMIT_KB))
}
# Measured: 55 MiB, and 590 MiB in the ASan+UBSan build (its quarantine and
# shadow memory), flat after the first second in both. Before the spawn gate
# it grew by 300 MB a second.
if ldd "$amoc" | grep -q libasan; then limit_mib=1024; else limit_mib=400; fi
RSS_LIMIT_KB=$((limit_mib << 10))
check "users 1..10^12 with interarrival 0 run in bounded memory" 0 "users started: [0-9]{6,}" -- \
  peak_rss

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
