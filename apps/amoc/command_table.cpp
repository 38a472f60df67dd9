// The table of `amoc` commands: what `--help`, the man page, the bash
// completion and the argument parser all read.
//
// Adding a command: write `int cmd_NAME(const arguments&)` (declared in
// commands.hpp), then add one entry below in the order the overview should
// list it:
//
//   {"compare", "compare two result files; exit 99 when a rule is crossed",
//    {{"BASE", "result file of the baseline run (amoc run --out)", false, value_kind::file},
//     {"NEW", "result file of the new run", false, value_kind::file}},
//    {{"--fail-if", "RULE", "a regression rule such as 'xmpp.ttd p99 > +10%'", "",
//      value_kind::text, false, /*repeatable=*/true},
//     {"--report", "FILE", "write both runs' charts as HTML", "", value_kind::file}},
//    "", cmd_compare},
//
// Adding an option to a command: one more `option_spec` in its list; the
// handler reads it with `args.value("--name")`, `args.has("--flag")` or
// `args.values("--repeated")`, and positionals with `args.positional("NAME")`
// (a handler that walked its own words drops that loop for these calls). A
// subcommand is an entry named "GROUP SUB"; the group's own entry has no
// handler. tests/apps/cli_help_test.sh checks every command's --help.

#include "command_table.hpp"

#include <algorithm>
#include <cstdio>

#include "amoc/defaults.hpp"
#include "amoc/did_you_mean.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "usage_text.hpp"

namespace amoc::cli {

namespace {

option_spec config_option() {
  return {"--config", "FILE", "a JSON object of settings",
          std::string{defaults::cli::config_file} + " if present", value_kind::file};
}

option_spec nodes_option(std::string description) {
  return {"--nodes", "HOST:PORT,...", std::move(description), "the nodes setting"};
}

// Mutual TLS between a master and its worker nodes (scripts/cluster-certs).
// A master falls back on the node_* settings when none of these is given; a
// worker node reads only these.
std::vector<option_spec> link_options(bool settings_fallback) {
  const auto from = [&](const char* setting) {
    return settings_fallback ? std::string{"the "} + setting + " setting" : std::string{};
  };
  return {
    {"--cert", "FILE", "this node's certificate (PEM) for mutual TLS", from("node_cert"),
     value_kind::file},
    {"--key", "FILE", "its private key (PEM)", from("node_key"), value_kind::file},
    {"--ca", "FILE", "the cluster CA that signed every node's certificate", from("node_ca"),
     value_kind::file},
    {"--insecure", "", "plain TCP instead of mutual TLS: only for local experiments"},
  };
}

const option_spec rest_option{
  "--rest", "",
  "also serve the REST API and dashboard beside the console (see 'amoc help': The --rest option)"};

std::vector<option_spec> console_options(bool foreground) {
  std::vector<option_spec> opts{config_option(),
                                nodes_option("worker nodes for the `dist` commands")};
  const auto links = link_options(true);
  opts.insert(opts.end(), links.begin(), links.end());
  opts.push_back(rest_option);
  if (foreground)
    opts.push_back(
      {"--foreground", "", "run the node in this terminal (under systemd, or to watch its log)"});
  return opts;
}

std::vector<option_spec> node_options() {
  std::vector<option_spec> opts{
    {"--listen", "HOST:PORT", "where the master connects (127.0.0.1 unless you need more)", "",
     value_kind::text, /*required=*/true},
    {"--name", "NAME", "the name the master shows", "HOST:PORT"},
    config_option(),
  };
  const auto links = link_options(false);
  opts.insert(opts.end(), links.begin(), links.end());
  return opts;
}

std::vector<option_spec> serve_options() {
  std::vector<option_spec> opts{
    {"--port", "PORT", "REST port (0 picks a free one)", "the rest_port setting, 4000"},
    {"--bind", "ADDRESS", "listen address", "the rest_bind setting, 127.0.0.1"},
    config_option(),
    nodes_option("be the master of these worker nodes (else a local node)"),
  };
  const auto links = link_options(true);
  opts.insert(opts.end(), links.begin(), links.end());
  return opts;
}

const positional_spec run_file_arg{
  "FILE", "the run file (JSON): scenario, users, settings, thresholds", false, value_kind::file};

std::vector<command_spec> make_table() {
  const std::string links_note =
    " Any of --cert, --key, --ca or --insecure replaces the node_cert, node_key, node_ca and "
    "node_insecure settings as a whole.";
  const std::string plugin_dir =
    "$AMOC_PLUGIN_DIR, else $XDG_DATA_HOME/amoc/plugins, else ~/.local/share/amoc/plugins";
  return {
    {"run",
     "run the scenario of a run file to completion (over worker nodes if it lists nodes)",
     {run_file_arg},
     {config_option(),
      {"--out", "FILE", "write the result as JSON (outcome, thresholds, metrics, time series)", "",
       value_kind::file},
      {"--report", "FILE", "write a self-contained HTML report with charts", "", value_kind::file},
      {"--junit", "FILE", "write the thresholds as JUnit XML test cases (for CI servers)", "",
       value_kind::file},
      {"--csv", "FILE", "write the time series as CSV: a row per interval and metric", "",
       value_kind::file},
      {"--baseline", "FILE",
       "compare with an earlier run's --out file when done: print the table and judge the "
       "--fail-if rules (none given: only the table)",
       "", value_kind::file},
      {"--fail-if", "RULE", "with --baseline: exit 99 when RULE holds (see 'amoc compare')", "",
       value_kind::text, false, /*repeatable=*/true},
      {"--dry-run", "",
       "check the run as 'amoc check' does, print which user ids start when and on which node, "
       "and run nothing"}},
     "Settings come from the environment (AMOC_<name>), then the run file's \"settings\", then "
     "the config file, then their defaults. Every plugin of the plugin folder is loaded first.",
     cmd_run,
     true},
    {"check",
     "validate a run file as a run would, without running it",
     {run_file_arg},
     {config_option()},
     "Reports every problem, each naming its field: the file's syntax and fields, the scenario "
     "(after loading the plugins), each setting's name and value by its rule, the threshold "
     "expressions, and metric names: users.* names exactly, for a built-in scenario the names it "
     "records (docs/metrics.md), for a plugin's the syntax only. Exit 0 when valid, 2 when not.",
     cmd_check,
     true},
    {"compare",
     "compare two result files; exit 99 when a rule is crossed",
     {{"BASE", "result file of the baseline run (amoc run --out)", false, value_kind::file},
      {"NEW", "result file of the new run", false, value_kind::file}},
     {{"--fail-if", "RULE",
       "exit 99 when RULE holds: METRIC STATISTIC OP VALUE, e.g. 'xmpp.ttd p99 > +10%', "
       "'xmpp.ttd p99 > +20ms', 'xmpp.ttd p99 > 500ms', 'xmpp.failures.connect count > 0'",
       "", value_kind::text, false, /*repeatable=*/true},
      {"--report", "FILE", "write an HTML report with both runs on the same charts", "",
       value_kind::file}},
     "A side-by-side table of every counter's rate and every latency percentile, with absolute "
     "and relative change. A VALUE without sign compares NEW's value, one with a sign (+20ms) "
     "the change, one with % the relative change (docs/ci.md). Exit 0, 2 for bad input, 99 "
     "when a rule is crossed.",
     cmd_compare,
     true},
    {"node",
     "run a worker node for distributed runs",
     {},
     node_options(),
     "The node restarts itself after a crash, at most 5 times a minute.",
     cmd_node,
     true},
    {"console",
     "an interactive node: local and distributed runs from a REPL",
     {},
     console_options(false),
     "Type 'help' at the prompt for its commands." + links_note,
     cmd_console,
     true},
    {"start",
     "start a node in the background (then attach, status, stop)",
     {},
     console_options(true),
     "The background node keeps amoc.pid, amoc.log and console.sock in $AMOC_RUN_DIR, else "
     "$XDG_RUNTIME_DIR/amoc, else ~/.local/state/amoc/run."
       + links_note,
     cmd_start},
    {"attach", "open the background node's console (Ctrl+D detaches)", {}, {}, "", cmd_attach},
    {"status", "print the background node's status (exit 1: none runs)", {}, {}, "", cmd_status},
    {"stop", "stop the background node's runs, then the node", {}, {}, "", cmd_stop},
    {"serve",
     "control runs over HTTP: REST API (amoc-arsenal compatible), live dashboard at /, API docs "
     "at /api-docs/ui",
     {},
     serve_options(),
     "Mutating requests need 'Authorization: Bearer TOKEN': the rest_token setting, or one "
     "generated at start and printed once."
       + links_note,
     cmd_serve,
     true},
    {"scenarios", "build scenario plugins, list scenarios, write a new one"},
    {"scenarios build",
     "compile each DIR/*.cpp into a plugin and load it",
     {{"DIR", "folder of scenario sources", true, value_kind::dir}},
     {{"--out", "PLUGIN_DIR", "where the plugins go", plugin_dir, value_kind::dir},
      {"--scenarios", "DIR", "the same as DIR", defaults::plugins::scenarios_dir, value_kind::dir}},
     "DIR defaults to ./scenarios. See docs/scenarios.md.",
     cmd_scenarios_build},
    {"scenarios list",
     "the scenarios, built in and from plugins, with their settings",
     {{"SCENARIO", "only this scenario", true, value_kind::scenario}},
     {},
     "Loads every plugin of the plugin folder (" + plugin_dir + ") first.",
     cmd_scenarios_list},
    {"scenarios new",
     "write DIR/NAME.cpp from a scenario template",
     {{"NAME", "the scenario's name (a C++ identifier)"},
      {"DIR", "the folder to write it into", true, value_kind::dir}},
     {},
     "DIR defaults to ./scenarios; build it with 'amoc scenarios build DIR'.",
     cmd_scenarios_new},
    {"completion",
     "print a shell completion script",
     {{"SHELL", "the shell: bash (the only one so far)", false, value_kind::choice, {"bash"}}},
     {},
     "Load it for this shell with: source <(amoc completion bash)\n"
     "or for every shell: amoc completion bash > ~/.local/share/bash-completion/completions/amoc",
     cmd_completion},
    {"help",
     "this overview, a command's options, or every setting",
     {{"TOPIC", "a command, or 'settings'", true, value_kind::choice},
      {"SUBCOMMAND", "a subcommand of TOPIC, or a setting's name", true, value_kind::choice}},
     {{"--man", "", "print the manual page (roff) instead"}},
     "'amoc help settings' lists every setting with its type, default and rule.",
     cmd_help},
    {"version", "print the version and the plugin ABI", {}, {}, "", cmd_version},
    // For the completion script: scenario and setting names, one a line.
    {std::string{complete_command},
     "names for the shell completion",
     {{"WHAT",
       "scenarios, settings, or commands (with subcommands)",
       false,
       value_kind::choice,
       {"scenarios", "settings", "commands"}}},
     {},
     "",
     cmd_complete_names,
     true,
     true},
  };
}

// "GROUP SUB" from the first two words when the table has it, else the first.
const command_spec* command_of(std::span<const std::string> words, std::size_t& used) {
  if (words.size() >= 2)
    if (const auto* sub = find_command(words[0] + " " + words[1])) {
      used = 2;
      return sub;
    }
  used = 1;
  return find_command(words[0]);
}

std::vector<std::string> visible_names(std::string_view group) {
  std::vector<std::string> names;
  for (const auto& c : command_table())
    if (!c.hidden
        && (group.empty() ? c.name.find(' ') == std::string::npos
                          : c.name.starts_with(std::string{group} + " ")))
      names.push_back(group.empty() ? c.name : c.name.substr(group.size() + 1));
  return names;
}

int group_without_subcommand(const command_spec& group, std::span<const std::string> rest) {
  const bool help = !rest.empty() && (rest[0] == "--help" || rest[0] == "-h");
  if (help) {
    std::fputs(command_help(group).c_str(), stdout);
    return success;
  }
  if (rest.empty()) {
    std::fprintf(stderr, "amoc %s: missing subcommand\n%s", group.name.c_str(),
                 command_help(group).c_str());
    return bad_input;
  }
  const auto close = closest_name(rest[0], visible_names(group.name));
  std::fprintf(stderr, "amoc %s: unknown subcommand %s%s; see 'amoc %s --help'\n",
               group.name.c_str(), rest[0].c_str(),
               close ? (" (did you mean " + *close + "?)").c_str() : "", group.name.c_str());
  return bad_input;
}

}  // namespace

const std::vector<command_spec>& command_table() {
  static const std::vector<command_spec> table = make_table();
  return table;
}

const command_spec* find_command(std::string_view name) {
  const auto& table = command_table();
  const auto it =
    std::find_if(table.begin(), table.end(), [&](const auto& c) { return c.name == name; });
  return it == table.end() ? nullptr : &*it;
}

std::vector<const command_spec*> subcommands_of(std::string_view group) {
  std::vector<const command_spec*> subs;
  for (const auto& c : command_table())
    if (c.name.starts_with(std::string{group} + " "))
      subs.push_back(&c);
  return subs;
}

int dispatch(std::span<const std::string> words) {
  std::size_t used = 0;
  const auto* spec = command_of(words, used);
  if (!spec) {
    const auto close = closest_name(words[0], visible_names(""));
    std::fprintf(stderr, "amoc: unknown command '%s'%s (try 'amoc help')\n", words[0].c_str(),
                 close ? (" (did you mean " + *close + "?)").c_str() : "");
    return bad_input;
  }
  const auto rest = words.subspan(used);
  if (!spec->run)
    return group_without_subcommand(*spec, rest);
  auto parsed = parse(*spec, rest);
  if (parsed.help) {
    std::fputs(command_help(*spec).c_str(), stdout);
    return success;
  }
  if (!parsed.args) {
    std::fprintf(stderr, "amoc %s: %s\n", spec->name.c_str(), parsed.error.c_str());
    return bad_input;
  }
  // A master and its worker nodes know the same scenarios: both load the plugins.
  if (spec->loads_plugins)
    load_plugins_at_start();
  return spec->run(*parsed.args);
}

}  // namespace amoc::cli
