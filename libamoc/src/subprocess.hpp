#pragma once

// Runs a program and collects what it prints: the plugin build runs CMake.

#include <string>
#include <vector>

namespace amoc::detail {

struct command_result {
  int status = -1;     ///< exit status, or -1 if it could not run or was killed
  std::string output;  ///< stdout and stderr, interleaved as printed
};

/// Runs `argv` (looked up in PATH), waits for it, and returns its output.
[[nodiscard]] command_result run_command(const std::vector<std::string>& argv);

}  // namespace amoc::detail
