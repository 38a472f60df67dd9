# Sourced by the end-to-end tests: counted checks, and free loopback ports.
failures=0
passed=0

# check NAME CONDITION-COMMAND...: runs the command, counts it as passed or failed.
check() {
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL $name"; failures=$((failures + 1)); fi
}

# has PATTERN FILE: FILE contains PATTERN (an extended regex), else show FILE.
has() { grep -qE -- "$1" "$2" || { echo "--- $2 lacks: $1"; cat "$2"; false; }; }

# ok LOG COMMAND...: runs the command with its output in LOG, shown (the end) on failure.
ok() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { echo "--- $* failed:"; tail -50 "$log"; false; }
}

# Prints the tally; succeeds when nothing failed (the test's exit status).
checks_done() {
  echo "$passed passed, $failures failed"
  [[ $failures -eq 0 ]]
}

# Prints a TCP port nobody listens on (nor on the two after it).
free_port() {
  local port
  for _ in $(seq 50); do
    # Below Linux's ephemeral range (32768-60999): an outgoing connection's
    # local port there is invisible to this probe but makes bind() fail.
    port=$((15000 + RANDOM % 17000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null &&
      ! (exec 3<>"/dev/tcp/127.0.0.1/$((port + 1))") 2>/dev/null &&
      ! (exec 3<>"/dev/tcp/127.0.0.1/$((port + 2))") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "free_port: no free port found" >&2
  return 1
}
