#!/usr/bin/env bash
# A distributed run across network namespaces: two worker nodes, each in its own
# namespace with its own address on a veth pair, the master in the root
# namespace, links with mutual TLS. Nothing here may depend on 127.0.0.1.
# Needs root (ip netns); exits 77 (skipped) otherwise.
#   dist_netns_test.sh AMOC_BINARY
set -euo pipefail
amoc=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/checks.sh"

if [[ $(id -u) != 0 ]] || ! command -v ip >/dev/null; then
  echo "skipped: needs root and iproute2 for network namespaces"
  exit 77
fi

tag=amoc$$
work=$(mktemp -d)
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  for i in 1 2; do
    ip netns del "$tag-$i" 2>/dev/null || true
    ip link del "$tag-a$i" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# 10.231.i.1 (root namespace) <-> 10.231.i.2 (namespace i)
for i in 1 2; do
  if ! ip netns add "$tag-$i" 2>/dev/null; then
    echo "skipped: cannot create network namespaces here"
    exit 77
  fi
  ip link add "$tag-a$i" type veth peer name "$tag-b$i"
  ip link set "$tag-b$i" netns "$tag-$i"
  ip addr add "10.231.$i.1/24" dev "$tag-a$i"
  ip link set "$tag-a$i" up
  ip netns exec "$tag-$i" ip addr add "10.231.$i.2/24" dev "$tag-b$i"
  ip netns exec "$tag-$i" ip link set "$tag-b$i" up
  ip netns exec "$tag-$i" ip link set lo up
done

"$root/scripts/cluster-certs" "$work/certs" w1 w2 master >/dev/null
for i in 1 2; do
  ip netns exec "$tag-$i" "$amoc" node --listen "10.231.$i.2:4100" --name "w$i" \
    --cert "$work/certs/w$i.pem" --key "$work/certs/w$i.key" --ca "$work/certs/ca.pem" \
    2>"$work/w$i.log" &
  pids+=($!)
done
for i in 1 2; do
  for _ in $(seq 100); do grep -q listening "$work/w$i.log" && break; sleep 0.05; done
done

cat >"$work/run.json" <<JSON
{"scenario": "dummy", "users": [1, 10], "comment": "across namespaces",
 "nodes": ["10.231.1.2:4100", "10.231.2.2:4100"],
 "settings": {"interarrival": 0, "dummy_sleep": "10ms", "repeat_num": 1,
              "node_cert": "$work/certs/master.pem", "node_key": "$work/certs/master.key",
              "node_ca": "$work/certs/ca.pem"}}
JSON
check "the distributed run succeeds" "$amoc" run "$work/run.json" --out "$work/result.json"
node_field() {  # node_field NAME KEY: the node's KEY in the result file, as JSON
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
n = [x for x in d["nodes"] if x["name"] == sys.argv[2]][0]
print(json.dumps(n[sys.argv[3]], sort_keys=True))' "$work/result.json" "$1" "$2"
}
check "w1 ran 5 users" test "$(node_field w1 started)" = 5
check "w2 ran 5 users" test "$(node_field w2 started)" = 5
check "w1 ran the odd ids" test "$(node_field w1 ids)" = '[{"count": 5, "first": 1, "stride": 2}]'
check "w2 ran the even ids" test "$(node_field w2 ids)" = '[{"count": 5, "first": 2, "stride": 2}]'
check "the comment is in the result" grep -q '"comment": "across namespaces"' "$work/result.json"
checks_done || { cat "$work"/w*.log; exit 1; }
