# Sourced by the end-to-end tests: counted checks, and free loopback ports.
#
# Each check's output (a compiler's, apt's, ansible's) goes to a log, shown
# only when the check fails. The last lines a test prints name every failed
# check with the end of its log: ctest shows the end of the output, and
# "66 passed, 1 failed" alone does not say what to look at.
failures=0
passed=0
failed_checks=()  # "NAME" newline "end of its log", one entry per failed check
checks_log=$(mktemp "${TMPDIR:-/tmp}/amoc-check.XXXXXX")

# Lines of a failed check's log shown right away, and again in the summary.
check_tail_lines=${CHECK_TAIL_LINES:-25}

# failed NAME [LOG]: books a failed check, prints its name and the end of LOG.
failed() {
  local name=$1 tail_text=
  [[ -n ${2:-} && -s $2 ]] && tail_text=$(tail -n "$check_tail_lines" "$2" | sed 's/^/  | /')
  failures=$((failures + 1))
  failed_checks+=("$name"$'\n'"$tail_text")
  echo "FAIL $name"
  [[ -n $tail_text ]] && echo "$tail_text"
  return 0
}

# check NAME CONDITION-COMMAND...: runs the command (in this shell, its output
# in the log), counts it as passed or failed.
check() {
  local name=$1
  shift
  if "$@" >"$checks_log" 2>&1; then passed=$((passed + 1)); else failed "$name" "$checks_log"; fi
}

# has PATTERN FILE: FILE contains PATTERN (an extended regex), else show FILE.
has() { grep -qE -- "$1" "$2" || { echo "--- $2 lacks: $1"; tail -n 40 "$2"; false; }; }

# ok LOG COMMAND...: runs the command with its output in LOG, shown (the end) on failure.
ok() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { echo "--- $* failed:"; tail -50 "$log"; false; }
}

# Prints the tally, then each failed check's name and the end of its log;
# succeeds when nothing failed (the test's exit status).
checks_done() {
  rm -f "$checks_log"
  local entry names=()
  if ((failures > 0)); then
    echo
    echo "== failed checks"
    for entry in "${failed_checks[@]}"; do
      echo "FAIL $entry"
      names+=("${entry%%$'\n'*}")
    done
  fi
  echo "$passed passed, $failures failed$( ((failures)) && (IFS=';' && echo ": ${names[*]}"))"
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
