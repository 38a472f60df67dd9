#!/usr/bin/env bash
# Runs xmpp_floor_test.py with a throwaway lean ejabberd holding users 1..20:
#   xmpp_floor_test.sh FLOOR_BINARY [AMOC_BINARY]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
trap '"$src/scripts/xmpp-server" stop >/dev/null 2>&1 || true' EXIT
"$src/scripts/xmpp-server" stop >/dev/null 2>&1 || true
"$src/scripts/xmpp-server" start --lean ejabberd
"$src/scripts/xmpp-server" users 20 ejabberd
AMOC_FLOOR_TEST_SERVER=1 python3 "$src/tests/bench/xmpp_floor_test.py" "$@"
