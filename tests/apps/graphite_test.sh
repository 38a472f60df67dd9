#!/usr/bin/env bash
# amoc run reporting to a real carbon-cache (Debian's graphite-carbon) on
# loopback: the whisper files appear with the values the run produced; run
# start and stop reach a real graphite-web's events API as annotations.
set -u
amoc=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/checks.sh"
work=$(mktemp -d)
trap '"$root/scripts/carbon" stop "$work/carbon"; "$root/scripts/graphite-web" stop "$work/web"
      rm -rf "$work"' EXIT

port=$(free_port) || exit 1
"$root/scripts/carbon" start "$work/carbon" "$port" || exit 1
web_port=$(free_port) || exit 1
"$root/scripts/graphite-web" start "$work/web" "$web_port" || exit 1

# 10 users, three 700 ms iterations each: several 1 s intervals.
cat >"$work/run.json" <<JSON
{"scenario": "dummy", "users": [1, 10],
 "settings": {"interarrival": 0, "repeat_num": 3, "repeat_interval": 0, "dummy_sleep": "700ms",
              "metrics_interval": "1s", "graphite_host": "127.0.0.1", "graphite_port": $port,
              "graphite_prefix": "amoctest", "graphite_events_url": "http://127.0.0.1:$web_port"}}
JSON
"$amoc" run "$work/run.json" >"$work/out.txt" 2>&1
code=$?
check "amoc run exits 0 (got $code)" test $code -eq 0
grep -q "graphite" "$work/out.txt" && failed "amoc run has no complaint about graphite" "$work/out.txt"

wsp=$work/carbon/whisper/amoctest
# Carbon writes asynchronously: wait for the last metrics of the run.
for _ in $(seq 100); do
  [[ -f $wsp/annotations/run_stopped.wsp && -f $wsp/users/ended/normal/total.wsp ]] && break
  sleep 0.1
done
sleep 1  # let carbon flush the last points to the files

# values FILE: the non-empty points of a whisper file, one per line.
values() {
  whisper-fetch --from=$(($(date +%s) - 600)) "$wsp/$1.wsp" 2>/dev/null | awk '$2 != "None" { print $2 }'
}
max_of() { values "$1" | sort -g | tail -1; }
last_of() { values "$1" | tail -1; }
float_eq() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 == b + 0) }'; }
float_between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v + 0 >= lo && v + 0 <= hi) }'; }

for f in users/started/total users/started/rate users/running/value users/ended/normal/total \
  users/ended/normal/rate annotations/run_started annotations/run_stopped; do
  check "whisper file $f.wsp exists" test -f "$wsp/$f.wsp"
done
check "users.started.total reaches 10 (got $(max_of users/started/total))" \
  float_eq "$(max_of users/started/total)" 10
check "users.ended.normal.total ends at 10 (got $(last_of users/ended/normal/total))" \
  float_eq "$(last_of users/ended/normal/total)" 10
check "users.running.value peaks at 10 (got $(max_of users/running/value))" \
  float_eq "$(max_of users/running/value)" 10
check "users.started.rate: all 10 started in the first 1 s interval (got $(max_of users/started/rate))" \
  float_between "$(max_of users/started/rate)" 8 10.01
check "users.running.value has several points ($(values users/running/value | wc -l))" \
  test "$(values users/running/value | wc -l)" -ge 2
check "run_started annotation is 1" float_eq "$(max_of annotations/run_started)" 1
check "run_stopped annotation is 1" float_eq "$(max_of annotations/run_stopped)" 1

# The events API holds the run's start and stop, tagged amoc.
events=$(curl -sf "http://127.0.0.1:$web_port/events/get_data?tags=amoc")
check "graphite-web has the start event ($events)" grep -q '"what": "amoc run_started"' <<<"$events"
check "graphite-web has the stop event" grep -q '"what": "amoc run_stopped"' <<<"$events"
check "events say which scenario ran" grep -q 'amoc run start: scenario dummy' <<<"$events"

# A dead carbon never fails the run: one clear complaint, exit 0.
"$root/scripts/carbon" stop "$work/carbon"
"$amoc" run "$work/run.json" >"$work/dead.txt" 2>&1
code=$?
check "run with carbon down exits 0 (got $code)" test $code -eq 0
check "run with carbon down says so" grep -q "is carbon listening" "$work/dead.txt"

checks_done
