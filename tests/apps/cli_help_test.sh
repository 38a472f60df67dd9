#!/usr/bin/env bash
# The command line from its one table: `--help` of every command (each option
# with its default), errors naming an unknown option, the man page rendered by
# groff without a warning, and the bash completion script sourced into bash
# with COMPREPLY checked for commands, subcommands, options, files, scenario
# and setting names.
#   cli_help_test.sh AMOC_BINARY [MAN_PAGE]
set -u
amoc=$(realpath "$1")
man_page=${2:+$(realpath "$2")}
source "$(dirname "$0")/checks.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# expect NAME CODE PATTERN -- COMMAND...: exit code and output (stdout and stderr).
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$work/out" 2>&1
  local code=$?
  check "$name" bash -c "[[ $code -eq $want ]] || { echo 'exit $code, want $want'; cat '$work/out'; false; }
    grep -qE -- \"\$1\" '$work/out' || { echo 'lacks: '\"\$1\"; cat '$work/out'; false; }" _ "$pattern"
}

# --- help from the table ---
# Every command of the table, as the binary lists them; these at least.
mapfile -t commands < <("$amoc" __complete commands)
for c in run check node console start attach status stop serve "scenarios build" "scenarios list" \
  "scenarios new" completion help version; do
  check "the table has $c" bash -c "printf '%s\n' \"\$@\" | grep -qx '$c'" _ "${commands[@]}"
done
for c in "${commands[@]}"; do
  # shellcheck disable=SC2086 # "scenarios build" is two words
  expect "amoc $c --help" 0 "^usage: amoc $c" -- "$amoc" $c --help
  # shellcheck disable=SC2086
  expect "amoc $c -h" 0 "^usage: amoc $c" -- "$amoc" $c -h
  # shellcheck disable=SC2086
  expect "amoc help $c" 0 "^usage: amoc $c" -- "$amoc" help $c
done
"$amoc" run --help >run-help.txt
for line in "--config FILE .*\(default: configs/amoc.json if present\)" "--out FILE" "--report FILE" \
  "--dry-run" "-h, --help"; do
  check "run --help lists $line" has "^  $line" run-help.txt
done
"$amoc" serve --help >serve-help.txt
check "serve --help: --port with its default" has "--port PORT .*default: the rest_port setting, 4000" \
  serve-help.txt
"$amoc" node --help >node-help.txt
check "node --help: --listen is required" has "--listen HOST:PORT .*\(required\)" node-help.txt
"$amoc" console --help >console-help.txt
check "console --help lists --rest" has "^  --rest " console-help.txt
expect "scenarios --help lists the subcommands" 0 "^  build \[DIR\]" -- "$amoc" scenarios --help
expect "amoc help: the overview" 0 "^Commands:" -- "$amoc" help
"$amoc" help >overview.txt
check "the overview explains --rest" has "^The --rest option:" overview.txt
check "the overview names the rest settings" has "rest_token" overview.txt
check "the overview lists check" has "^  check FILE +validate a run file" overview.txt
check "the overview lists metrics settings from their declarations" has "^  prometheus_port " \
  overview.txt
check "no command line is wider than 100 columns" bash -c "! grep -E '^.{101}' overview.txt run-help.txt"
expect "no arguments: the overview, exit 2" 2 "^Commands:" -- "$amoc"
expect "help settings lists every setting" 0 "^  interarrival +duration; default 50ms" -- \
  "$amoc" help settings
expect "help settings NAME" 0 "^  dummy_sleep " -- "$amoc" help settings dummy_sleep
expect "help settings with a typo" 2 "no setting is called dumy_sleep \(did you mean dummy_sleep\?\)" -- \
  "$amoc" help settings dumy_sleep
expect "help of an unknown command" 2 "no command is called frob" -- "$amoc" help frob

# --- errors name the problem and point to --help ---
expect "unknown option of run" 2 "amoc run: unknown option --bogus; see 'amoc run --help'" -- \
  "$amoc" run x.json --bogus
expect "misspelled option" 2 "unknown option --reprot \(did you mean --report\?\)" -- \
  "$amoc" run x.json --reprot r.html
expect "option without its value" 2 "amoc run: --out needs a value \(FILE\)" -- "$amoc" run x.json --out
expect "flag with a value" 2 "--dry-run takes no value" -- "$amoc" run x.json --dry-run=yes
expect "missing argument" 2 "amoc check: missing FILE" -- "$amoc" check
expect "extra argument" 2 "unexpected argument 'y.json'" -- "$amoc" check x.json y.json
expect "required option" 2 "amoc node: --listen HOST:PORT is required" -- "$amoc" node --insecure
expect "unknown subcommand" 2 "unknown subcommand bild \(did you mean build\?\)" -- \
  "$amoc" scenarios bild
expect "missing subcommand" 2 "amoc scenarios: missing subcommand" -- "$amoc" scenarios
expect "unknown command" 2 "unknown command 'chek' \(did you mean check\?\)" -- "$amoc" chek
expect "status takes nothing" 2 "unexpected argument 'now'" -- "$amoc" status now
expect "completion of another shell" 2 "SHELL must be one of: bash; got .zsh." -- "$amoc" completion zsh
expect "scenarios list SCENARIO" 0 "^dummy " -- env AMOC_PLUGIN_DIR="$work/none" "$amoc" scenarios list dummy
expect "scenarios list with a typo" 2 "no scenario is called dumy \(did you mean dummy\?\)" -- \
  env AMOC_PLUGIN_DIR="$work/none" "$amoc" scenarios list dumy
expect "version" 0 "^amoc [0-9]+\.[0-9]+" -- "$amoc" --version

# --- the man page ---
if [[ -z $man_page ]]; then
  "$amoc" help --man >amoc.1
  man_page=$work/amoc.1
fi
check "man page has every command" has '^\.SS "amoc scenarios build' "$man_page"
check "man page has the --rest section" has '^\.SH "THE \\-\\-REST OPTION"' "$man_page"
check "man page is what help --man prints" cmp "$man_page" <("$amoc" help --man)
groff -man -Tutf8 -ww -z "$man_page" >groff.log 2>&1
check "groff renders the man page without warnings" bash -c "[[ $? -eq 0 && ! -s groff.log ]] || { cat groff.log; false; }"
MANWIDTH=100 man -l "$man_page" 2>man.err >man.txt
check "man -l renders it" has "amoc run FILE \[OPTIONS\]" man.txt
check "man -l prints no warning" bash -c "[[ ! -s man.err ]] || { cat man.err; false; }"

# --- bash completion ---
"$amoc" completion bash >amoc-completion.bash
check "completion script is valid bash" bash -n amoc-completion.bash
touch plan-a.json plan-b.json
mkdir -p somedir
# complete WORD...: COMPREPLY for the command line WORDS, the last being completed.
complete_words() {
  AMOC_PLUGIN_DIR="$work/none" bash -c '
    source amoc-completion.bash
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _amoc
    printf "%s\n" "${COMPREPLY[@]}"' _ "$amoc" "$@"
}
completes() {  # completes NAME "EXPECTED WORDS" WORD...: COMPREPLY sorted equals EXPECTED
  local name=$1 want=$2
  shift 2
  local got
  got=$(complete_words "$@" | sort | xargs)
  check "$name" bash -c "[[ '$got' == '$want' ]] || { echo 'got: $got'; echo 'want: $want'; false; }"
}
completes "commands" "check compare completion console" c
completes "every command" "attach check compare completion console help node run scenarios serve start status stop version" ""
completes "subcommands" "build list new" scenarios ""
completes "options of run" "--dry-run" run x.json --d
completes "options of serve" "--ca --cert --config" serve --c
completes "options of scenarios build" "--out" "scenarios" build --o
completes "run FILE: files" "plan-a.json plan-b.json" run plan-
completes "--config FILE: files" "plan-a.json plan-b.json" run x.json --config plan-
completes "--out=FILE after =" "plan-a.json plan-b.json" run x.json --out = plan-
completes "scenarios build DIR: folders" "somedir" scenarios build so
completes "--listen takes text: nothing" "" node --listen ""
completes "scenario names" "dummy" scenarios list dum
completes "completion SHELL" "bash" completion ""
completes "help topics" "scenarios serve settings start status stop" help s
completes "help scenarios SUB" "build list new" help scenarios ""
completes "setting names" "interarrival" help settings interarr
completes "setting names of scenarios" "dummy_fail_init dummy_sleep" help settings dummy_
completes "after an option's value, the positional" "plan-a.json plan-b.json" run --config x.json plan-

checks_done
