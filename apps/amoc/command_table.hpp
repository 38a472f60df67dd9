#pragma once

// Every `amoc` command with its arguments and options (command_table.cpp), and
// the dispatch of a command line to the command's handler.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli_args.hpp"

namespace amoc::cli {

/// Every command and subcommand, in the order the overview lists them.
[[nodiscard]] const std::vector<command_spec>& command_table();

/// The command called `name` ("run", "scenarios build"), or nullptr.
[[nodiscard]] const command_spec* find_command(std::string_view name);

/// The subcommands of a group ("scenarios" -> its build, list, new).
[[nodiscard]] std::vector<const command_spec*> subcommands_of(std::string_view group);

/// Runs the command line `words` (without the program name): finds the
/// command, parses its arguments, prints its help or what is wrong, calls it.
[[nodiscard]] int dispatch(std::span<const std::string> words);

}  // namespace amoc::cli
