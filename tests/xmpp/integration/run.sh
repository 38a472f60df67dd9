#!/usr/bin/env bash
# Runs the XMPP integration tests against one real server:
#   run.sh ejabberd|prosody TEST_BINARY [gtest args...]
# Starts a throwaway server with test accounts, runs the tests, stops the server.
set -euo pipefail
server=$1 binary=$2
shift 2
src=$(cd "$(dirname "$0")/../../.." && pwd)
trap '"$src/scripts/xmpp-server" stop >/dev/null 2>&1 || true' EXIT
"$src/scripts/xmpp-server" stop >/dev/null 2>&1 || true
"$src/scripts/xmpp-server" start "$server"
"$src/scripts/xmpp-server" users 100 "$server"
AMOC_TEST_XMPP_SERVER=$server AMOC_SOURCE_DIR=$src "$binary" "$@"
