#!/usr/bin/env bash
# scripts/ansible end to end on this machine: --syntax-check of both playbooks,
# prepare.yml in check mode, and `make deploy` against localhost (connection:
# local) with a master and two workers, each into its own temporary prefix,
# the systemd units rendered there and not started (no systemd in containers).
# A second deploy must change nothing. The systemd path runs against a stand-in
# systemctl (enable + start, restart on a new binary). When the binary has
# `amoc node`, a worker is started from its unit's ExecStart and must speak
# mutual TLS only.
#   ansible_test.sh AMOC_BINARY
set -u
amoc=${1:?usage: ansible_test.sh AMOC_BINARY}
amoc=$(readlink -f "$amoc")  # ansible resolves relative paths against the role
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/checks.sh"
ans=$root/scripts/ansible
# python3-apt: ansible's apt module needs it in check mode (run normally, it
# would install it itself; a fresh Debian 12 does not have it).
"$root/scripts/need-packages" ansible-core make python3-apt || exit 1
work=$(mktemp -d)
node_pid=
trap '[[ -n $node_pid ]] && kill "$node_pid" 2>/dev/null; rm -rf "$work"' EXIT
# What `make release` ships: the build without debug info (a tenth of the bytes
# to copy and checksum on every deploy).
amoc=$("$root/scripts/stage-release" "$(dirname "$amoc")/.." "$work/release") || exit 1
# Keep ansible's state (tmp, facts, retry files) out of $HOME.
export ANSIBLE_CONFIG=$ans/ansible.cfg ANSIBLE_HOME=$work/ansible-home ANSIBLE_LOCAL_TEMP=$work/ansible-tmp \
  ANSIBLE_REMOTE_TEMP=$work/ansible-tmp ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0

fails() { ! "$@" >/dev/null 2>&1; }
mode_of() { stat -c %a "$1"; }

# --- syntax and the example inventory -----------------------------------------
for p in prepare deploy; do
  check "$p.yml passes --syntax-check" \
    ansible-playbook -i "$ans/hosts" --syntax-check "$ans/$p.yml" >/dev/null
done
check "example inventory has master and workers groups" \
  grep -q '"master"' <(ansible-inventory -i "$ans/hosts" --list 2>/dev/null)
check "example inventory: 3 workers" \
  test "$(ansible-inventory -i "$ans/hosts" --graph workers 2>/dev/null | grep -c -- '--worker')" = 3

# --- a real deploy on localhost -----------------------------------------------
p1=$(free_port) || exit 1
p2=$((p1 + 1))
user=$(id -un) group=$(id -gn)
# Everything is local: no ssh, no sudo (become off), own prefixes, no systemctl.
cat >"$work/hosts" <<EOF
[master]
ctl amoc_prefix=$work/ctl
[workers]
w1 amoc_prefix=$work/w1 amoc_listen_host=127.0.0.1 amoc_listen_port=$p1 amoc_systemd_unit_dir=$work/w1/systemd
w2 amoc_prefix=$work/w2 amoc_listen_host=0.0.0.0 amoc_connect_host=127.0.0.1 amoc_listen_port=$p2 amoc_systemd_unit_dir=$work/w2/systemd
[all:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
ansible_become=false
amoc_binary=$amoc
amoc_certs_dir=$work/certs
amoc_create_user=false
amoc_user=$user
amoc_group=$group
amoc_systemd_manage=false
amoc_settings={"interarrival": "10ms"}
EOF
deploy() { make -s -C "$ans" deploy BUILD=0 INVENTORY="$work/hosts" >"$work/deploy$1.log" 2>&1; }
deploy 1
code=$?
check "make deploy exits 0 (got $code)" test $code -eq 0
if ((code)); then
  tail -40 "$work/deploy1.log"
  checks_done
  exit
fi

check "certs made for every machine (scripts/cluster-certs --verify)" \
  "$root/scripts/cluster-certs" "$work/certs" --verify ctl w1 w2
for h in ctl w1 w2; do
  pre=$work/$h
  check "$h: bin/amoc is the given binary" cmp -s "$amoc" "$pre/bin/amoc"
  check "$h: bin/amoc is executable" test -x "$pre/bin/amoc"
  check "$h: bin/amoc runs on the libraries in lib/" \
    bash -c "ldd '$pre/bin/amoc' | grep -qE 'libamoc_core.so.* => $pre/(bin/\.\./)?lib/' && '$pre/bin/amoc' version >/dev/null"
  check "$h: its certificate, under the cluster CA" \
    openssl verify -CAfile "$pre/certs/ca.pem" "$pre/certs/$h.pem"
  check "$h: its key, mode 640 (got $(mode_of "$pre/certs/$h.key"))" test "$(mode_of "$pre/certs/$h.key")" = 640
  check "$h: certs dir mode 750" test "$(mode_of "$pre/certs")" = 750
  check "$h: the CA key is not deployed" test ! -e "$pre/certs/ca.key"
  check "$h: no other machine's key" test "$(find "$pre/certs" -name '*.key' | wc -l)" = 1
  check "$h: example run files" test -f "$pre/configs/examples/dummy.json"
done
check "master gets no node unit" test ! -e "$work/ctl/systemd"
check "workers get no amoc.json" test ! -e "$work/w1/configs/amoc.json"

# The master's config: JSON with both workers, its own key pair, the settings.
cfg=$work/ctl/configs/amoc.json
json() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$cfg" "$1"; }
check "master amoc.json is JSON" python3 -m json.tool "$cfg" >/dev/null
check "nodes lists both workers (got $(json nodes))" \
  test "$(json nodes)" = "[\"127.0.0.1:$p1\", \"127.0.0.1:$p2\"]"
check "node_cert is the master's" test "$(json node_cert)" = "\"$work/ctl/certs/ctl.pem\""
check "node_key is the master's" test "$(json node_key)" = "\"$work/ctl/certs/ctl.key\""
check "node_ca is the CA" test "$(json node_ca)" = "\"$work/ctl/certs/ca.pem\""
check "amoc_settings override the defaults (interarrival $(json interarrival))" test "$(json interarrival)" = '"10ms"'
check "repository defaults kept (repeat_num $(json repeat_num))" test "$(json repeat_num)" = '"infinity"'

# verify_unit FILE: systemd's own check. It fails on a missing ExecStart binary
# but only warns on bad values, so a warning about our unit fails too.
verify_unit() {
  local out code
  out=$(systemd-analyze verify "$1" 2>&1)
  code=$?
  out=$(grep -F "$(basename "$1")" <<<"$out")
  [[ $code -eq 0 && -z $out ]] || { echo "  $out"; return 1; }
}
# The units: ExecStart as the lead's interface has it; systemd's own check.
for h in w1 w2; do
  unit=$work/$h/systemd/amoc-node.service
  port=$p1 && [[ $h == w2 ]] && port=$p2
  listen=127.0.0.1 && [[ $h == w2 ]] && listen=0.0.0.0
  want="ExecStart=$work/$h/bin/amoc node --listen $listen:$port --cert $work/$h/certs/$h.pem"
  want+=" --key $work/$h/certs/$h.key --ca $work/$h/certs/ca.pem --name $h"
  check "$h: unit ExecStart" grep -qxF -- "$want" "$unit"
  check "$h: unit runs as $user" grep -qx "User=$user" "$unit"
  check "$h: no --insecure" fails grep -q -- --insecure "$unit"
  if command -v systemd-analyze >/dev/null; then
    check "$h: systemd-analyze verify" verify_unit "$unit"
  else
    check "$h: unit has [Service] and [Install]" grep -qx '\[Install\]' "$unit"
  fi
done

# Idempotent: the second deploy changes nothing.
deploy 2
code=$?
check "second deploy exits 0 (got $code)" test $code -eq 0
check "second deploy changes nothing" \
  test "$(grep -cE '^(ctl|w1|w2) +:.* changed=0 ' "$work/deploy2.log")" = 3
grep -E '^(ctl|w1|w2) +:' "$work/deploy2.log" | grep -v ' changed=0 ' | sed 's/^/  /'

# A mistake is reported: a missing binary fails the deploy.
sed -i "s|^amoc_binary=.*|amoc_binary=$work/no-such-amoc|" "$work/hosts"
check "a missing binary fails the deploy" fails deploy 3
check "... naming the file" grep -q "no-such-amoc" "$work/deploy3.log"

# The systemd path (amoc_systemd_manage=true) with a stand-in systemctl that logs
# its calls: a first deploy enables and starts the node, a new binary restarts it.
mkdir -p "$work/fakebin" "$work/systemctl"
ln -s "$root/tests/apps/stand_in_systemctl" "$work/fakebin/systemctl"
cat >"$work/hosts-systemd" <<EOF
[workers]
w3 amoc_prefix=$work/w3 amoc_listen_port=$p1 amoc_systemd_unit_dir=$work/w3/systemd
[all:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
ansible_become=false
amoc_certs_dir=$work/certs
amoc_create_user=false
amoc_user=$user
amoc_group=$group
amoc_systemd_manage=true
EOF
systemd_deploy() {  # systemd_deploy BINARY LOG
  PATH=$work/fakebin:$PATH FAKE_SYSTEMCTL_DIR=$work/systemctl make -s -C "$ans" deploy BUILD=0 \
    INVENTORY="$work/hosts-systemd" ARGS="-e amoc_binary=$1" >"$work/$2" 2>&1 ||
    { tail -30 "$work/$2"; return 1; }
}
calls=$work/systemctl/calls
check "deploy under a (stand-in) systemd" systemd_deploy "$amoc" systemd1.log
check "systemd reloads the units" grep -qx "daemon-reload" "$calls"
check "the node unit is enabled" grep -qx "enable amoc-node" "$calls"
check "the node is started" grep -qx "start amoc-node" "$calls"
mv "$calls" "$calls.1"
printf '#!/bin/sh\n' >"$work/amoc-v2"
check "deploy of a new binary" systemd_deploy "$work/amoc-v2" systemd2.log
check "a new binary restarts the node" grep -qx "restart amoc-node" "$calls"
check "... and does not enable it again" fails grep -qx "enable amoc-node" "$calls"

# prepare.yml in check mode: the packages are known to apt, nothing installed.
check "prepare.yml --check" ansible-playbook -i "$work/hosts" --check "$ans/prepare.yml"

# --- the deployed worker, when the binary has `amoc node` -----------------------
if "$amoc" help 2>&1 | grep -qE '^ +node '; then
  exec_start=$(sed -n 's/^ExecStart=//p' "$work/w1/systemd/amoc-node.service")
  # shellcheck disable=SC2086  # ExecStart is a plain word list
  $exec_start >"$work/node.log" 2>&1 &
  node_pid=$!
  listening() {
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$p1") 2>/dev/null && return 0; sleep 0.1; done
    cat "$work/node.log"
    return 1
  }
  check "the deployed node, started as its unit says, listens on 127.0.0.1:$p1" listening
  # tls CA [CERT KEY]: a TLS 1.2 handshake with the node. 1.2 because in 1.3 the
  # server judges the client's certificate after s_client already reported success.
  tls() {
    local opts=(-CAfile "$1")
    [[ -n ${2:-} ]] && opts+=(-cert "$2" -key "$3")
    timeout 10 openssl s_client -tls1_2 -connect "127.0.0.1:$p1" -verify_return_error -brief \
      "${opts[@]}" </dev/null >>"$work/s_client.log" 2>&1
  }
  c=$work/ctl/certs
  "$root/scripts/cluster-certs" "$work/foreign" rogue >/dev/null
  check "deployed node accepts the master's certificate" tls "$c/ca.pem" "$c/ctl.pem" "$c/ctl.key"
  check "deployed node refuses a foreign certificate" \
    fails tls "$c/ca.pem" "$work/foreign/rogue.pem" "$work/foreign/rogue.key"
  check "deployed node refuses a client without a certificate" fails tls "$c/ca.pem"
  check "a client trusting another CA refuses the node" \
    fails tls "$work/foreign/ca.pem" "$c/ctl.pem" "$c/ctl.key"
  kill "$node_pid"
  node_pid=
else
  echo "note: $amoc has no 'node' command yet; the deployed unit was not started"
fi

checks_done
