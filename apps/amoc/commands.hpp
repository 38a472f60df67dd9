#pragma once

#include <span>
#include <string>
#include <vector>

namespace amoc::cli {

/// `amoc run FILE [--config FILE] [--out FILE] [--report FILE] [--junit FILE] [--csv FILE]
/// [--baseline FILE [--fail-if RULE]...]`.
int cmd_run(std::span<const std::string> args);

/// `amoc compare BASE.json NEW.json [--fail-if RULE]... [--report FILE]`.
int cmd_compare(std::span<const std::string> args);

/// `amoc node --listen HOST:PORT (--cert F --key F --ca F | --insecure)`.
int cmd_node(std::span<const std::string> args);

/// `amoc serve [--port P] [--bind ADDR] [--nodes ...] [--config FILE]`: the REST gateway.
int cmd_serve(std::span<const std::string> args);

/// `amoc scenarios build [DIR] [--out DIR] | list | new NAME [DIR]`.
int cmd_scenarios(std::span<const std::string> args);

/// `amoc console [--config F] [--nodes A,B] [--cert F --key F --ca F | --insecure]`.
int cmd_console(std::span<const std::string> args);

/// `amoc start [same options as console] [--foreground]`: a background node.
int cmd_start(std::span<const std::string> args);

/// `amoc attach`: the console of the background node.
int cmd_attach(std::span<const std::string> args);

/// `amoc status`: the background node's status; fails when none runs.
int cmd_status(std::span<const std::string> args);

/// `amoc stop`: stops the background node's runs, then the node.
int cmd_stop(std::span<const std::string> args);

/// Loads every plugin of the plugin folder; reports (and skips) those that fail.
void load_plugins_at_start();

}  // namespace amoc::cli
