#pragma once

// The commands' entry points; their arguments and options are declared in
// command_table.cpp, which parses them before calling these.

#include <string_view>

#include "cli_args.hpp"
#include "console/console_options.hpp"

namespace amoc::cli {

/// `amoc run FILE`: a run to completion (or its plan with --dry-run).
int cmd_run(const arguments& args);

/// `amoc check FILE`: every problem of a run file, without running it.
int cmd_check(const arguments& args);

/// `amoc compare BASE.json NEW.json`: two results side by side, regression rules.
int cmd_compare(const arguments& args);

/// `amoc node --listen HOST:PORT`: a worker node.
int cmd_node(const arguments& args);

/// `amoc serve`: the REST gateway and dashboard.
int cmd_serve(const arguments& args);

/// `amoc scenarios build|list|new`.
int cmd_scenarios_build(const arguments& args);
int cmd_scenarios_list(const arguments& args);
int cmd_scenarios_new(const arguments& args);

/// `amoc console`: an interactive node.
int cmd_console(const arguments& args);

/// `amoc start`: a background node.
int cmd_start(const arguments& args);

/// `amoc attach`: the console of the background node.
int cmd_attach(const arguments& args);

/// `amoc status`: the background node's status; fails when none runs.
int cmd_status(const arguments& args);

/// `amoc stop`: stops the background node's runs, then the node.
int cmd_stop(const arguments& args);

/// `amoc help [TOPIC [SUBCOMMAND]] [--man]`.
int cmd_help(const arguments& args);

/// `amoc version`.
int cmd_version(const arguments& args);

/// `amoc completion bash`: the completion script.
int cmd_completion(const arguments& args);

/// The hidden command the completion script asks for names.
inline constexpr std::string_view complete_command = "__complete";
/// `amoc __complete scenarios|settings`: one name a line.
int cmd_complete_names(const arguments& args);

/// The options console, start and serve share (--config, --nodes, the link
/// options, --rest, --foreground) from their parsed arguments.
[[nodiscard]] console::console_options console_options_of(const arguments& args);

/// Loads every plugin of the plugin folder; reports (and skips) those that fail.
void load_plugins_at_start();

}  // namespace amoc::cli
