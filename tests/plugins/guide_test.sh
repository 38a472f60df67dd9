#!/usr/bin/env bash
# docs/scenarios.md never rots: every code block fenced as ```cpp scenario is
# built as a plugin and run briefly (XMPP scenarios against a closed port:
# their users fail to connect, which is enough to show they load and run).
set -u
guide=$(realpath "$2")
source "$(dirname "$0")/plugin_checks.sh"

# Writes guide/<scenario name>.cpp per block; prints the scenario names.
mkdir guide
names=$(python3 - "$guide" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"^```cpp scenario\n(.*?)^```", text, re.S | re.M)
for block in blocks:
    name = re.search(r'AMOC_REGISTER_SCENARIO\(\s*\w+,\s*"(\w+)"', block).group(1)
    open(f"guide/{name}.cpp", "w").write(block)
    print(name)
PY
)
check "the guide has scenario blocks" test -n "$names"
"$amoc" scenarios build guide >build.out 2>&1
code=$?
check "every block builds and loads" test "$code" -eq 0
((code == 0)) || cat build.out
port=$(free_port)
# Settings of several scenarios go in a config file: a run file's settings may
# only name its own scenario's (and the built-in ones).
cat >closed-port.json <<JSON
{"xmpp_port": $port, "api_url": "http://127.0.0.1:$port", "xmpp_connect_timeout": "200ms"}
JSON
for name in $names; do
  cat >run.json <<JSON
{"scenario": "$name", "users": [1, 2], "duration": "2s", "graceful_stop_timeout": "1s",
 "settings": {"interarrival": 0, "repeat_num": 1}}
JSON
  "$amoc" run run.json --config closed-port.json >"$name.out" 2>&1
  code=$?
  check "block $name runs" grep -q "users ended" "$name.out"
  check "block $name exits 0" test "$code" -eq 0
  ((code == 0)) || cat "$name.out"
done

checks_done
