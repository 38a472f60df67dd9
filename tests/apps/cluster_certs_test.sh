#!/usr/bin/env bash
# scripts/cluster-certs end to end: CA and node certs, chains, idempotent re-runs,
# --verify, error messages; mutual TLS on loopback with openssl s_server/s_client;
# a certificate from a foreign CA, or none, is refused. That amoc's node links accept
# these certificates is tested with real nodes (tests/dist/secure_links_test.cpp).
#   cluster_certs_test.sh
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/checks.sh"
certs=$root/scripts/cluster-certs
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
c=$work/cluster   # the cluster's CA and nodes
f=$work/foreign   # another CA: what an outsider could make

fails() { ! "$@" >/dev/null 2>&1; }
# fails_with CODE PATTERN COMMAND...: exits CODE and says PATTERN on stderr.
fails_with() {
  local want=$1 pattern=$2 out code
  shift 2
  out=$("$@" 2>&1 >/dev/null)
  code=$?
  if [[ $code -ne $want ]] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "  got exit $code: $out"
    return 1
  fi
}
mode_of() { stat -c %a "$1"; }
digest() { cat "$@" | sha256sum; }

# --- creation -----------------------------------------------------------------
check "creates a CA and three nodes" "$certs" "$c" master node1 node2
for n in ca master node1 node2; do
  check "$n.pem and $n.key exist" test -s "$c/$n.pem" -a -s "$c/$n.key"
  check "$n.key has mode 600 (got $(mode_of "$c/$n.key"))" test "$(mode_of "$c/$n.key")" = 600
done
check "openssl verify: node chains end in ca.pem" \
  openssl verify -CAfile "$c/ca.pem" "$c/master.pem" "$c/node1.pem" "$c/node2.pem"
check "the CA is a CA" grep -q "CA:TRUE" <(openssl x509 -in "$c/ca.pem" -noout -text)
check "a node cert is not a CA" grep -q "CA:FALSE" <(openssl x509 -in "$c/node1.pem" -noout -text)
check "node cert is for server and client auth" \
  grep -q "TLS Web Server Authentication, TLS Web Client Authentication" \
  <(openssl x509 -in "$c/node1.pem" -noout -text)
check "node key is EC P-256" grep -q "P-256" <(openssl pkey -in "$c/node1.key" -noout -text_pub)
check "CN is the node name" grep -q "CN *= *node2" <(openssl x509 -in "$c/node2.pem" -noout -subject)
check "node cert valid for at least a year" openssl x509 -in "$c/node1.pem" -noout -checkend $((365 * 86400))

# --- idempotence ----------------------------------------------------------------
before=$(digest "$c"/{ca,master,node1,node2}.{pem,key})
check "re-run with an old and a new name succeeds" "$certs" "$c" node1 node3
check "re-run keeps the CA and existing nodes byte for byte" \
  test "$(digest "$c"/{ca,master,node1,node2}.{pem,key})" = "$before"
check "the new node is signed by the same CA" openssl verify -CAfile "$c/ca.pem" "$c/node3.pem"

# --- --verify and errors ----------------------------------------------------------
check "--verify accepts good nodes" "$certs" "$c" --verify master node1 node3
check "a foreign CA can be made" "$certs" "$f" rogue
check "openssl verify refuses the foreign cert" fails openssl verify -CAfile "$c/ca.pem" "$f/rogue.pem"
cp "$f/rogue.pem" "$f/rogue.key" "$c/"
check "--verify refuses a cert from a foreign CA" fails_with 1 "not valid" "$certs" "$c" --verify rogue
cp "$c/node1.pem" "$c/mixed.pem"
cp "$c/node2.key" "$c/mixed.key"
check "--verify refuses a key of another cert" fails_with 1 "does not match" "$certs" "$c" --verify mixed
check "--verify names a missing node" fails_with 1 "missing" "$certs" "$c" --verify nobody
check "a bad name is refused" fails_with 2 "bad name" "$certs" "$c" "../evil"
check "'ca' is not a node name" fails_with 2 "reserved" "$certs" "$c" ca
check "too few arguments print usage" fails_with 2 "Usage|cluster-certs DIR" "$certs" "$c"
mkdir "$work/half" && cp "$c/ca.pem" "$work/half/"
check "a CA cert without its key is refused" fails_with 2 "only one of" "$certs" "$work/half" n1
check "... and nothing is created there" test ! -e "$work/half/n1.pem"
cp "$c/node1.pem" "$c/half.pem"
check "a node cert without its key is refused" fails_with 2 "only one of" "$certs" "$c" half

# --- mutual TLS with the openssl CLI ------------------------------------------------
# wait_port PORT: until something listens on 127.0.0.1:PORT (5 s at most).
wait_port() {
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
port=$(free_port) || exit 1
# -Verify 1: a client certificate is required; -rev echoes each line reversed,
# so a round trip proves the link carries data after both sides verified.
openssl s_server -accept "127.0.0.1:$port" -cert "$c/node1.pem" -key "$c/node1.key" \
  -CAfile "$c/ca.pem" -Verify 1 -verify_return_error -rev >"$work/s_server.log" 2>&1 &
pids+=($!)
check "s_server listens" wait_port "$port"
# roundtrip CA [CERT KEY]: a client line comes back reversed through TLS 1.2+.
roundtrip() {
  local opts=(-CAfile "$1" -verify_return_error -brief)
  [[ -n ${2:-} ]] && opts+=(-cert "$2" -key "$3")
  # The sleep keeps stdin open until the reply is in (s_client quits on EOF).
  (printf 'hello\n'; sleep 1) | timeout 10 openssl s_client -connect "127.0.0.1:$port" "${opts[@]}" \
    >"$work/s_client.out" 2>&1 && grep -q '^olleh' "$work/s_client.out"
}
check "mutual TLS between two cluster nodes" roundtrip "$c/ca.pem" "$c/master.pem" "$c/master.key"
check "a client with a foreign-CA cert is refused" fails roundtrip "$c/ca.pem" "$f/rogue.pem" "$f/rogue.key"
check "a client without a cert is refused" fails roundtrip "$c/ca.pem"
check "a client trusting only a foreign CA refuses the node" \
  fails roundtrip "$f/ca.pem" "$c/master.pem" "$c/master.key"
check "the server still serves cluster nodes afterwards" \
  roundtrip "$c/ca.pem" "$c/node2.pem" "$c/node2.key"
check "s_server logged the refusals" grep -q "certificate verify failed" "$work/s_server.log"

checks_done
