// amoc: the command-line entry point. One subcommand per file (cmd_*.cpp).

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/plugins.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace {

constexpr const char* usage =
  R"(amoc - A Murder of Crows: massively parallel XMPP and HTTP load tests

Usage: amoc COMMAND [OPTIONS]

Commands:
  run FILE      run the scenario described by a run file to completion
                (distributed over worker nodes when it lists "nodes")
  node          run a worker node for distributed runs (--listen HOST:PORT)
  console       an interactive node: local and distributed runs from a REPL
  start         start a node in the background; then:
    attach                                     open its console (Ctrl+D detaches)
    status                                     print its status (exit 1: none runs)
    stop                                       stop its run and the node
  serve         control runs over HTTP: REST API (amoc-arsenal compatible),
                live dashboard at /, API docs at /api-docs/ui (port 4000)
  scenarios     build scenario plugins, list scenarios, write a new one:
    scenarios build [DIR] [--out PLUGIN_DIR]   compile each DIR/*.cpp into a plugin
    scenarios list                             scenarios with their variables
    scenarios new NAME [DIR]                   write DIR/NAME.cpp from a template
  compare BASE.json NEW.json   two runs' results side by side; regression rules
  help          show this help
  version       print the version

Options of run:
  --config FILE  config file (JSON object; default configs/amoc.json if present)
  --out FILE     write the result as JSON (outcome, thresholds, metrics and their time series)
  --report FILE  write a self-contained HTML report with charts
  --junit FILE   write the thresholds as JUnit XML test cases (for CI servers)
  --csv FILE     write the time series as CSV: a row per interval and metric
  --baseline FILE  compare with an earlier run's --out file when done: print the table
                 and judge the --fail-if rules (none given: only the table)
  --fail-if RULE   with --baseline: exit 99 when RULE holds (repeatable)
  --dry-run      print which user ids start when, on which node, and run nothing

Options of compare:
  --fail-if RULE   exit 99 when RULE holds (repeatable): METRIC STATISTIC OP VALUE,
                   e.g. 'xmpp.ttd p99 > +10%', 'xmpp.ttd p99 > +20ms', 'xmpp.ttd p99 > 500ms',
                   'xmpp.failures.connect count > 0' (docs/ci.md)
  --report FILE    write an HTML report with both runs on the same charts

Options of console and start:
  --config FILE                config file (default configs/amoc.json if present)
  --nodes HOST:PORT,...        worker nodes for `dist` commands (else the `nodes` setting)
  --cert F --key F --ca F      mutual TLS to the worker nodes, or --insecure
  --foreground                 (start) run the node in this terminal, e.g. under systemd
  The background node keeps amoc.pid, amoc.log and console.sock in $AMOC_RUN_DIR,
  else $XDG_RUNTIME_DIR/amoc, else ~/.local/state/amoc/run.

Options of serve:
  --port PORT                  REST port (rest_port, default 4000; 0 picks one)
  --bind ADDRESS               listen address (rest_bind, default 127.0.0.1)
  --nodes HOST:PORT,...        be the master of these worker nodes (else a local node)
  --cert F --key F --ca F | --insecure   links to the worker nodes, as for node
  --config FILE                config file
  Mutating requests need 'Authorization: Bearer TOKEN': rest_token, or one
  generated at start and printed once.

Options of node:
  --listen HOST:PORT           where the master connects (use 127.0.0.1 unless you need more)
  --cert F --key F --ca F      mutual TLS with the cluster CA (scripts/cluster-certs)
  --insecure                   plain TCP: only for local experiments
  --name NAME                  shown by the master (default HOST:PORT)

Environment:
  AMOC_<name>       overrides any setting, e.g. AMOC_interarrival=10ms
  AMOC_PLUGIN_DIR   plugins to load at start and build into (default: plugins/ next to bin/)

Metrics settings (run file "settings", config file or AMOC_<name>):
  metrics_interval   sampling and Graphite interval (10s)
  graphite_host, graphite_port (2003), graphite_prefix (amoc), graphite_events_url
  prometheus_port    serve /metrics on 127.0.0.1:PORT during the run

Exit codes: 0 success, 1 run failed, 2 bad input, 99 thresholds or regression rules
crossed, 130 interrupted

Scenarios: DIR defaults to ./scenarios; `run` and `scenarios list` load every plugin
of the plugin folder first (see docs/scenarios.md).

Examples:
  amoc run configs/examples/dummy.json
  amoc scenarios new my_test my_scenarios && amoc scenarios build my_scenarios
  AMOC_repeat_num=3 amoc run configs/examples/dummy.json --out result.json
  amoc run configs/examples/dummy.json --report report.html
  amoc run configs/examples/dummy.json --out new.json --junit junit.xml --csv series.csv
  amoc compare base.json new.json --fail-if 'xmpp.ttd p99 > +10%' --report compare.html
  amoc node --listen 127.0.0.1:4100 --insecure
  amoc console --nodes 127.0.0.1:4100 --insecure
  amoc start && amoc attach
  amoc serve --port 4000      # then open http://127.0.0.1:4000/
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::fputs(usage, args.empty() ? stderr : stdout);
    return args.empty() ? amoc::cli::bad_input : amoc::cli::success;
  }
  const std::string_view command = args[0];
  const std::span<const std::string> rest{args.begin() + 1, args.end()};
  // A master and its worker nodes know the same scenarios: both load the plugins.
  if (command == "run" || command == "node" || command == "serve") {
    amoc::cli::load_plugins_at_start();
    if (command == "serve")
      return amoc::cli::cmd_serve(rest);
    return command == "run" ? amoc::cli::cmd_run(rest) : amoc::cli::cmd_node(rest);
  }
  if (command == "console") {
    amoc::cli::load_plugins_at_start();
    return amoc::cli::cmd_console(rest);
  }
  // The background node loads the plugins itself (after forking).
  if (command == "start")
    return amoc::cli::cmd_start(rest);
  if (command == "attach")
    return amoc::cli::cmd_attach(rest);
  if (command == "status")
    return amoc::cli::cmd_status(rest);
  if (command == "stop")
    return amoc::cli::cmd_stop(rest);
  if (command == "scenarios")
    return amoc::cli::cmd_scenarios(rest);
  // Reads result files only: no plugins needed.
  if (command == "compare")
    return amoc::cli::cmd_compare(rest);
  // Not in the help: the REST gateway's first load of an uploaded plugin.
  if (command == amoc::plugins::trial_command && rest.size() == 1)
    amoc::plugins::trial_load_main(rest[0]);
  if (command == "version" || command == "--version") {
    std::printf("amoc %s (plugin ABI: %s)\n", AMOC_VERSION, amoc::plugins::abi_tag());
    return amoc::cli::success;
  }
  std::fprintf(stderr, "amoc: unknown command '%s' (try 'amoc help')\n", args[0].c_str());
  return amoc::cli::bad_input;
}
