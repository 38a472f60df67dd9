#pragma once

// The command line as data: each command declares its arguments and options
// once (command_table.cpp), and the same declaration parses the words, prints
// `--help`, writes the man page and the bash completion, so none of them can
// disagree with another.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace amoc::cli {

/// What a value is, for the shell completion.
enum class value_kind { text, file, dir, scenario, setting, choice };

/// One `--name [VALUE]` option of a command.
struct option_spec {
  std::string name;        ///< "--config"
  std::string value_name;  ///< "FILE"; empty for a flag
  std::string description;
  std::string default_text = {};  ///< shown as "(default: ...)"; empty: none
  value_kind kind = value_kind::text;
  bool required = false;
  bool repeatable = false;  ///< given more than once, every value is kept in order

  [[nodiscard]] bool is_flag() const { return value_name.empty(); }
};

/// One positional argument.
struct positional_spec {
  std::string name;  ///< "FILE"
  std::string description;
  bool optional = false;
  value_kind kind = value_kind::text;
  std::vector<std::string> choices = {};  ///< the only values allowed, when not empty
};

class arguments;

/// A command's code: gets its parsed arguments, returns the exit code.
using command_handler = int (*)(const arguments&);

/// A command or subcommand ("scenarios build"); a group ("scenarios") has no handler.
struct command_spec {
  std::string name;
  std::string summary;  ///< one line, for the overview
  std::vector<positional_spec> positionals = {};
  std::vector<option_spec> options = {};
  std::string details = {};  ///< paragraphs after the options in `--help`
  command_handler run = nullptr;
  bool loads_plugins = false;  ///< its scenarios must be known before it runs
  bool hidden = false;         ///< left out of the overview, the man page and the completion

  [[nodiscard]] const option_spec* option(std::string_view name) const;
  /// "amoc run FILE [OPTIONS]".
  [[nodiscard]] std::string synopsis() const;
};

/// The parsed words of one command line.
class arguments {
public:
  arguments(const command_spec& spec, std::span<const std::string> words)
      : spec_(&spec), words_(words) {}

  /// Whether the flag (or valued option) was given.
  [[nodiscard]] bool has(std::string_view option) const {
    return values_.count(std::string{option});
  }
  /// The option's last value.
  [[nodiscard]] std::optional<std::string> value(std::string_view option) const;
  /// Every value of a repeatable option, in order.
  [[nodiscard]] std::vector<std::string> values(std::string_view option) const;
  /// The positional argument called `name`, when given.
  [[nodiscard]] std::optional<std::string> positional(std::string_view name) const;
  /// The words after the command name, as typed (to pass them on to a child).
  [[nodiscard]] std::span<const std::string> words() const { return words_; }
  [[nodiscard]] const command_spec& command() const { return *spec_; }

private:
  friend struct parser;
  const command_spec* spec_;
  std::span<const std::string> words_;
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, std::string> positionals_;
};

/// What parsing found: the arguments, a request for help, or a message naming
/// what is wrong (an unknown option, a missing value or argument).
struct parse_outcome {
  std::optional<arguments> args;
  bool help = false;
  std::string error;
};

/// Parses `words` (after the command name) by `spec`: `--opt VALUE`,
/// `--opt=VALUE`, flags, `--` before positionals that start with `-`, and
/// `-h`/`--help` anywhere.
[[nodiscard]] parse_outcome parse(const command_spec& spec, std::span<const std::string> words);

}  // namespace amoc::cli
