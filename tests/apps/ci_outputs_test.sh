#!/usr/bin/env bash
# amoc in a CI pipeline, end to end: two real runs of http_get against a local
# nginx (scripts/http-server), the second slower (its URL answers in ~2 s),
# writing --out, --junit and --csv; the JUnit files validated by xmllint
# against the required structure (junit.xsd), the CSV against the result;
# then `amoc compare` with rules that hold (exit 0) and rules that do not
# (exit 99), its --report with both runs; bad input (exit 2); and
# `amoc run --baseline` exiting 99 on a crossed rule.
set -u
amoc=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/checks.sh"
"$root/scripts/need-packages" libxml2-utils nginx-light >/dev/null || exit 1
work=$(mktemp -d)
export AMOC_HTTP_DIR=$work/nginx AMOC_HTTP_PORT
AMOC_HTTP_PORT=$(free_port) || exit 1
export AMOC_HTTPS_PORT=$((AMOC_HTTP_PORT + 1))
trap '"$root/scripts/http-server" stop >/dev/null 2>&1; rm -rf "$work"' EXIT
check "nginx started on 127.0.0.1:$AMOC_HTTP_PORT" ok "$work/nginx.log" \
  "$root/scripts/http-server" start --quiet

# run_file NAME PATH REQUESTS THRESHOLDS: 4 users, each REQUESTS GETs of PATH.
run_file() {
  cat >"$work/$1.json" <<JSON
{"scenario": "http_get", "users": [1, 4],
 "settings": {"interarrival": "5ms", "http_url": "http://127.0.0.1:$AMOC_HTTP_PORT$2",
              "http_requests": $3, "http_interval": "20ms", "repeat_num": 1,
              "metrics_interval": "200ms"},
 "thresholds": {$4}}
JSON
}
limits='"http.get.latency": ["p99 < 1s"], "http.failures.connect": ["count == 0"]'
run_file fast /static.txt 10 "$limits"
run_file slow /slow 1 "$limits"
run_file slow_plain /slow 1 ""

# amoc run ... EXPECTED: the exit code, with stdout and stderr kept in $work/out, $work/err.
runs() {
  local expected=$1
  shift
  timeout 60 "$amoc" "$@" >"$work/out" 2>"$work/err"
  local code=$?
  [[ $code -eq $expected ]] || { echo "exit $code, not $expected"; cat "$work/out" "$work/err"; false; }
}
py() { python3 - "$@"; }

check "fast run exits 0" runs 0 run "$work/fast.json" --out "$work/base.json" \
  --junit "$work/base.xml" --csv "$work/base.csv"
check "slow run crosses its latency threshold: exit 99" runs 99 run "$work/slow.json" \
  --out "$work/new.json" --junit "$work/new.xml" --csv "$work/new.csv"

# JUnit: the structure CI servers require, one test case per threshold.
for f in base new; do
  check "$f.xml is valid against junit.xsd" ok "$work/xmllint.log" \
    xmllint --noout --schema "$here/junit.xsd" "$work/$f.xml"
done
check "base.xml: 2 tests, 0 failures" has '<testsuite name="amoc.http_get" tests="2" failures="0" errors="0"' "$work/base.xml"
check "new.xml: 2 tests, 1 failure" has '<testsuite name="amoc.http_get" tests="2" failures="1" errors="0"' "$work/new.xml"
check "new.xml: the failure gives the measured p99 and the limit" \
  has '<failure message="p99 = [0-9.,]+ms, limit p99 &lt; 1s" type="threshold">' "$work/new.xml"
check "new.xml: suite time is the run's wall time" py "$work/new.xml" "$work/new.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
wall = json.load(open(sys.argv[2]))["wall_time_s"]
assert abs(float(suite.get("time")) - wall) < 0.001, (suite.get("time"), wall)
assert wall > 1.5, wall  # /slow takes ~2 s
PY
check "a schema check that can fail: a JUnit file without hostname is refused" bash -c '
  sed "s/ hostname=\"[^\"]*\"//" "$1" >"$2" && ! xmllint --noout --schema "$3" "$2"' _ \
  "$work/new.xml" "$work/broken.xml" "$here/junit.xsd"

# CSV: a row per interval and metric; the histogram rows add up to the totals.
check "CSV rows match the result's series and totals" py "$work/new.csv" "$work/new.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
doc = json.load(open(sys.argv[2]))
header = "t_s,interval_s,metric,kind,count,rate,value,min_ms,mean_ms,p50_ms,p90_ms,p95_ms,p99_ms,p999_ms,max_ms"
assert rows[0] == header.split(","), rows[0]
s = doc["series"]
metrics = len(s["counters"]) + len(s["gauges"]) + len(s["histograms"])
assert len(rows) - 1 == len(s["t_s"]) * metrics, (len(rows), len(s["t_s"]), metrics)
assert all(len(r) == 15 for r in rows)
lat = [r for r in rows[1:] if r[2] == "http.get.latency"]
assert all(r[3] == "histogram" for r in lat)
assert sum(int(r[4]) for r in lat) == doc["metrics"]["histograms"]["http.get.latency"]["count"] == 4
assert max(float(r[12]) for r in lat if r[12]) >= 1500, "p99 of /slow is ~2 s"
sent = [r for r in rows[1:] if r[2] == "http.requests"]
assert sum(int(r[4]) for r in sent) == doc["metrics"]["counters"]["http.requests"]["total"]
PY

# amoc compare: rules that hold, rules that do not.
compare() { runs "$1" compare "$work/base.json" "$work/new.json" "${@:2}"; }
check "compare without rules prints the table: exit 0" compare 0
check "the table has the latency p99 with its change" \
  has '^  http\.get\.latency +p99 +[0-9.,]+ms +[0-9.,]+ms +\+[0-9.,]+ms +\+[0-9.,]+%' "$work/out"
check "the table has every counter's rate" has '^  http\.requests +rate ' "$work/out"
check "rules that hold: exit 0" compare 0 --fail-if 'http.get.latency p99 > +1000s' \
  --fail-if 'http.failures.connect count > 0' --fail-if 'users.started count != 4'
check "p99 grew by more than 10 %: exit 99" compare 99 --fail-if 'http.get.latency p99 > +10%' \
  --fail-if 'http.get.latency p99 > 1h' --report "$work/compare.html"
check "the crossed rule is named with both values" \
  has '^  http\.get\.latency p99 > \+10%: [0-9.,]+ms -> [0-9.,]+ms \(\+' "$work/err"
check "only the crossed rule is named" bash -c '! grep -q "> 1h" "$1"' _ "$work/err"
check "1 of 2 rules crossed" has '1 of 2 regression rules crossed' "$work/err"
check "the report draws both runs on the same charts" py "$work/compare.html" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
for part in ["REGRESSION", "users running (base)", "users running (new)", "p99 (base)", "p99 (new)",
             "Latency: http.get.latency", "http.get.latency p99 &gt; +10%"]:
    assert part in html, part
lines = re.findall(r"<polyline[^>]*>", html)
dashed = [l for l in lines if "stroke-dasharray" in l]
assert len(dashed) >= 3 and len(lines) == 2 * len(dashed), (len(lines), len(dashed))
assert "<script" not in html
PY
check "the other way round, p99 fell by more than half: exit 99" \
  runs 99 compare "$work/new.json" "$work/base.json" --fail-if 'http.get.latency p99 < -50%'

# Bad input: exit 2, the problem named.
echo '{"scenario": "http_get", "state": "error", "error": "scenario_init_failed: boom"}' >"$work/failed.json"
echo '{"scenario": ' >"$work/garbage.json"
py "$work/base.json" "$work/other.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1])); doc["scenario"] = "dummy"; json.dump(doc, open(sys.argv[2], "w"))
PY
bad() {  # bad MESSAGE-PATTERN ARGS...
  runs 2 "${@:2}" && has "$1" "$work/err"
}
check "a missing file" bad 'missing\.json.*No such file' compare "$work/missing.json" "$work/new.json"
check "a file that is not JSON" bad 'garbage\.json: .*line' compare "$work/base.json" "$work/garbage.json"
check "a failed run's result" bad 'failed\.json: the run ended in error \(scenario_init_failed: boom\)' \
  compare "$work/failed.json" "$work/new.json"
check "runs of different scenarios" bad 'ran scenario "dummy", .*new\.json ran "http_get"' \
  compare "$work/other.json" "$work/new.json"
check "one file" bad 'amoc compare: missing NEW' compare "$work/base.json"
check "a bad statistic" bad 'rule "http.get.latency p97 > 1ms": .*p999' \
  compare "$work/base.json" "$work/new.json" --fail-if 'http.get.latency p97 > 1ms'
check "a misspelled metric" bad 'http.get.latncy was recorded in neither run \(did you mean http.get.latency\?\)' \
  compare "$work/base.json" "$work/new.json" --fail-if 'http.get.latncy p99 > +10%'
check "a long run's result of 20 MiB is compared" py "$work/base.json" "$work/big.json" "$amoc" <<'PY'
import subprocess, sys
text = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(text[:-2] + " " * (20 << 20) + text[-2:])
r = subprocess.run([sys.argv[3], "compare", sys.argv[2], sys.argv[1]], capture_output=True, text=True)
assert r.returncode == 0, r.stderr
PY
py "$work/base.json" "$work/huge.json" <<'PY'
import sys
text = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(text[:-2] + " " * (65 << 20) + text[-2:])
PY
check "one of 65 MiB is refused" bad 'huge\.json: cannot read: [0-9]+ bytes, more than the 64 MiB' \
  compare "$work/huge.json" "$work/new.json"
rm -f "$work/big.json" "$work/huge.json"
check "an unwritable report" bad '--report .*: cannot write' \
  compare "$work/base.json" "$work/new.json" --report "$work/no/such/dir/r.html"

# amoc run --baseline: the same rules at the end of a run.
check "--baseline with a crossed rule: exit 99" runs 99 run "$work/slow_plain.json" \
  --baseline "$work/base.json" --fail-if 'http.get.latency p99 > +10%' --junit "$work/rules.xml"
check "the run's output ends with the comparison" has '✗ http\.get\.latency p99 > \+10%: ' "$work/out"
check "the crossed rule on stderr" has 'amoc run: 1 of 1 regression rules crossed' "$work/err"
check "rules.xml is valid against junit.xsd" ok "$work/xmllint.log" \
  xmllint --noout --schema "$here/junit.xsd" "$work/rules.xml"
check "rules.xml has the rule as a failed test case" \
  has '<testcase classname="amoc.http_get" name="http.get.latency p99 &gt; \+10%" time="0.000">' "$work/rules.xml"
check "--baseline with rules that hold: exit 0" runs 0 run "$work/slow_plain.json" \
  --baseline "$work/base.json" --fail-if 'http.get.latency p99 > +1000s'
check "--baseline without rules prints the table: exit 0" runs 0 run "$work/slow_plain.json" \
  --baseline "$work/base.json"
check "... the table" has '^  http\.get\.latency +p99 ' "$work/out"
check "--fail-if without --baseline" bad 'add --baseline' run "$work/slow_plain.json" \
  --fail-if 'http.get.latency p99 > +10%'
check "--baseline of another scenario, refused before the run" \
  bad '--baseline .*other\.json ran scenario "dummy", .*runs "http_get"' \
  run "$work/slow_plain.json" --baseline "$work/other.json"
check "a misspelled metric, refused before the run" \
  bad 'http.get.latncy was recorded in neither run \(did you mean http.get.latency\?\)' \
  run "$work/slow_plain.json" --baseline "$work/base.json" --fail-if 'http.get.latncy p99 > +10%'
check "... so nothing ran" bash -c '! grep -q "users" "$1"' _ "$work/out"

checks_done
