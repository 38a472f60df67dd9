#!/usr/bin/env bash
# `amoc scenarios new` writes a template that builds and runs as is.
set -u
source "$(dirname "$0")/plugin_checks.sh"

check "new writes the template" "$amoc" scenarios new fresh mine
check "template is there" test -f mine/fresh.cpp
check "new refuses to overwrite" bash -c "! '$amoc' scenarios new fresh mine 2>/dev/null"
check "new refuses a bad name" bash -c "! '$amoc' scenarios new 'no-good' mine 2>/dev/null"
"$amoc" scenarios build mine >build.out 2>&1
check "template builds and loads" has "^  fresh  \(.*/plugins/fresh.so\)" build.out
"$amoc" scenarios list >list.out 2>&1
check "template listed with its variables" has "fresh_pause +duration +default 100ms" list.out
cat >run.json <<'JSON'
{"scenario": "fresh", "users": [1, 4], "settings": {"interarrival": 0, "repeat_num": 2,
 "repeat_interval": "10ms", "fresh_pause": "5ms"}}
JSON
"$amoc" run run.json --out result.json >run.out 2>&1
check "template runs" has "normal 4" run.out
check "template counts its steps" python3 -c '
import json
r = json.load(open("result.json"))
assert r["metrics"]["counters"]["fresh.steps"]["total"] == 4 * 2 * 3, r["metrics"]["counters"]'

checks_done
