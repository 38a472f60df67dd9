#pragma once

// Options shared by `amoc console`, `amoc start` and `amoc serve` (parsed by
// the command table: apps/amoc/command_table.cpp).

#include <optional>
#include <string>

#include "console/interpreter.hpp"

namespace amoc::console {

struct console_options {
  std::optional<std::string> config_file;
  dist_options dist;
  bool foreground = false;  ///< `amoc start --foreground` (also how `amoc start` runs the node)
  bool rest = false;        ///< --rest: the REST gateway and dashboard too (rest_* settings)
};

}  // namespace amoc::console
