#pragma once

// Options shared by `amoc console` and `amoc start`.

#include <optional>
#include <span>
#include <string>

#include "console/interpreter.hpp"

namespace amoc::console {

struct console_options {
  std::optional<std::string> config_file;
  dist_options dist;
  bool foreground = false;  ///< `amoc start --foreground` (also how `amoc start` runs the node)
};

/// Parses `[--config F] [--nodes A,B] [--cert F --key F --ca F | --insecure]`
/// (and --foreground when `allow_foreground`); prints what is wrong and the usage.
[[nodiscard]] std::optional<console_options>
parse_console_options(std::string_view command, std::span<const std::string> args,
                      bool allow_foreground);

}  // namespace amoc::console
