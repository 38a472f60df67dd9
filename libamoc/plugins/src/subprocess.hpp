#pragma once

// Runs a program and collects what it prints: the plugin build runs CMake.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace amoc::detail {

struct command_result {
  int status = -1;     ///< exit status, or -1 if it could not run or was killed
  std::string output;  ///< stdout and stderr, interleaved as printed
  bool timed_out = false;
  int signal = 0;  ///< the signal that ended it, if one did
};

/// Most output a command's result keeps: past it the middle is left out (the
/// start and the end say the most).
inline constexpr std::size_t max_command_output = 4 << 20;

/// Runs `argv` (looked up in PATH), waits for it, and returns its output.
/// With a `timeout` above zero, the command and every process it started
/// (its process group) are killed once it has run that long.
[[nodiscard]] command_result run_command(const std::vector<std::string>& argv,
                                         std::chrono::milliseconds timeout = {});

}  // namespace amoc::detail
