#pragma once

/// Errors as values: `amoc::ec` for failures of API calls, `amoc::exit` for the
/// reason a simulated user ended. Both are registered CAF error categories, so
/// they render readably and survive the network in down messages.

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace caf {
class actor_system_config;
}

namespace amoc {

/// Failure codes of amoc's API (category atom `amoc`).
enum class ec : std::uint8_t {
  unspecified = 1,
  missing_config,    ///< a config key without value or default
  invalid_config,    ///< a config value that fails its type or rule
  bad_config_file,   ///< a config file that cannot be read or parsed
  bad_run_file,      ///< a run file that cannot be read, parsed or validated
  unknown_scenario,  ///< no scenario registered under that name
  invalid_argument,  ///< an argument out of range (empty id range, n = 0, ...)
  wrong_state,       ///< the controller is not in a state that allows the call
  scenario_init_failed,
  timeout,
  unknown_node,      ///< a node name or address that is not one of the run's worker nodes
  node_unavailable,  ///< no worker node is up, or a chosen one is down
  insecure_link,     ///< node links without certificates and without `insecure`
  plugin_build_failed,  ///< a scenario did not compile: the context holds the compiler's messages
  plugin_load_failed,   ///< a plugin was skipped: the context names the file and the reason
  read_only_setting,    ///< a live update of a setting that may not change during a run
};

/// Why a simulated user ended (category atom `amoc_exit`): CAF exit reasons.
enum class exit : std::uint8_t {
  normal = 1,      ///< `repeat_num` iterations done
  graceful_stop,   ///< removed: finished its current iteration, not started again
  forced_stop,     ///< removed with force: stopped at once, coroutine destroyed
  scenario_error,  ///< the scenario threw or failed
  node_lost,       ///< the node running the user went away
};

/// The error category of `ec` codes (as CAF renders and sends them).
inline constexpr caf::atom_value ec_category = caf::atom("amoc");
/// The error category of `exit` reasons.
inline constexpr caf::atom_value exit_category = caf::atom("amoc_exit");

/// An amoc error: `code` with `context` saying what failed (a file, a setting).
[[nodiscard]] caf::error make_error(ec code, std::string context = {});
/// A user's exit reason as an error, for down and exit messages.
[[nodiscard]] caf::error make_error(exit reason, std::string context = {});

/// Names as used in status output and result files ("graceful_stop").
[[nodiscard]] const char* to_string(ec code);
[[nodiscard]] const char* to_string(exit reason);

/// All exit reasons, in enum order (for tables and counters).
inline constexpr exit all_exit_reasons[] = {exit::normal, exit::graceful_stop, exit::forced_stop,
                                            exit::scenario_error, exit::node_lost};

/// The exit reason carried by a CAF error, if it is one of ours. A CAF `kill`
/// or any other foreign error maps to `forced_stop` / `scenario_error`.
[[nodiscard]] exit exit_reason_of(const caf::error& err);

/// The context text attached to an amoc error ("" if none).
[[nodiscard]] std::string context_of(const caf::error& err);

/// One line for humans: "invalid_config: interarrival: ..." or CAF's rendering.
[[nodiscard]] std::string render(const caf::error& err);

/// Registers both categories' renderers.
void add_error_categories(caf::actor_system_config& cfg);

}  // namespace amoc
