#pragma once

/// Console commands as values: the table of commands with their usage, and the
/// parser that turns a typed line (console syntax or the original amoc's
/// Erlang calls) into a `command`.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

namespace amoc::console {

enum class verb {
  local_do,
  local_add,
  local_remove,
  dist_do,
  dist_add,
  dist_remove,
  run_file,
  result,
  status,
  nodes,
  scenarios,
  config_get,
  config_set,
  log_level,
  progress,
  help,
  quit,
};

/// One parsed command line; only the fields its verb uses are set.
struct command {
  verb what = verb::help;
  std::string scenario;
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t count = 0;  ///< users to add or remove
  bool force = false;
  std::vector<std::string> nodes;
  std::string comment;
  std::string name;   ///< setting name, log level, help topic
  std::string value;  ///< setting value (as text, parsed like an environment value)
  bool on = false;    ///< progress on|off
  std::string duration;               ///< do --duration (then a graceful stop)
  std::string graceful_stop_timeout;  ///< do --graceful-stop-timeout (then a forced stop)
  std::string path;                   ///< run FILE
};

/// What `help` prints about a command.
struct command_spec {
  verb what;
  std::string_view name;     ///< "local do"
  std::string_view usage;    ///< "local do SCENARIO FIRST LAST"
  std::string_view summary;  ///< one line
  std::string_view erlang;   ///< the original's form, if any
};

/// Every command, in the order `help` lists them.
[[nodiscard]] std::span<const command_spec> command_table();

/// The spec of a verb.
[[nodiscard]] const command_spec& spec_of(verb v);

/// Parses one line. Errors (`ec::invalid_argument`) carry a message for the
/// user: the unknown command with the closest one, or the command's usage.
[[nodiscard]] caf::expected<command> parse_command(std::string_view line);

/// The second words of a two-word group ("local" -> do, add, remove); empty otherwise.
[[nodiscard]] std::vector<std::string> second_words_of(std::string_view group);

/// `help` (every command, and how local and dist runs coexist) or `help COMMAND`.
[[nodiscard]] caf::expected<std::string> help_text(std::string_view topic);

/// The command name closest to `typed` ("" when nothing is close).
[[nodiscard]] std::string closest_command(std::string_view typed);

/// Words that complete `word` at the end of `before` (the line up to the word):
/// command names, then scenario names, log levels, on/off, help topics.
[[nodiscard]] std::vector<std::string> completions(std::string_view before, std::string_view word,
                                                   const std::vector<std::string>& scenarios);

}  // namespace amoc::console
