#pragma once

/// The one table of `amoc` exit codes (scripts and CI depend on them), and the
/// one place an error becomes one: every command fails through `fail`.

#include <string_view>

#include <caf/error.hpp>

namespace amoc::cli {

enum exit_code : int {
  success = 0,
  run_failed = 1,          ///< the run ended in error (e.g. the scenario's init failed)
  bad_input = 2,           ///< bad usage, run file or config: the message names the problem
  nodes_lost = 3,          ///< worker nodes went down: their users are booked as node_lost
  users_did_not_stop = 4,  ///< users ignored even the forced stop: the run ended without them
  crashed = 5,             ///< scenario code crashed the process: the message names the signal
  thresholds_crossed =
    99,               ///< a threshold, or a regression rule (compare, --baseline), was crossed
  interrupted = 130,  ///< stopped by Ctrl-C (128 + SIGINT, as shells report it)
};

/// Errors in what the user gave (arguments, config, run file, certificates,
/// unknown scenario or node) are `bad_input`; anything else `run_failed`.
[[nodiscard]] exit_code exit_code_for(const caf::error& err);

/// Prints "amoc COMMAND: error" on stderr; returns `exit_code_for(err)`.
exit_code fail(std::string_view command, const caf::error& err);

}  // namespace amoc::cli
