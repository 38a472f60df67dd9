#pragma once

/// The built-in run settings: `interarrival` (or `user_rate`), `repeat_interval`, `repeat_num`.

#include <cstddef>
#include <vector>

#include "amoc/config.hpp"

namespace amoc {

/// The built-in settings of a run, read from its config.
struct run_settings {
  duration interarrival;     ///< per node, between two consecutive user spawns
  duration repeat_interval;  ///< between two iterations of one user
  count repeat_num;          ///< iterations per user in all

  /// Reads the three settings from `store` (throws config::error on a bad value).
  [[nodiscard]] static run_settings from(const config::store& store);
};

/// The delay between two user spawns on one node: `interarrival`, or with a
/// `user_rate` (users per minute, cluster-wide) 1 min x node_count / user_rate.
[[nodiscard]] duration node_interarrival(const config::store& store);

/// `node_threads`: a node's worker threads, 0 for one per core (throws
/// config::error on a bad value).
[[nodiscard]] std::size_t node_threads(const config::store& store);

/// Declarations of the built-in settings, with defaults and rules.
[[nodiscard]] const std::vector<config::variable>& builtin_variables();

}  // namespace amoc
