#pragma once

/// A run as one value: what a run file holds (amoc/execute.hpp runs it).
///
///   {
///     "scenario": "dummy",
///     "users": [1, 100],
///     "settings": {"interarrival": "10ms", "repeat_num": 3},
///     "duration": "30s",               // optional: then a graceful stop
///     "graceful_stop_timeout": "10s",  // optional: then a forced stop
///     "thresholds": {"xmpp.ttd": ["p99 < 500ms"]},  // optional: see amoc/thresholds.hpp
///     "nodes": ["127.0.0.1:4100"],     // optional: worker nodes, a distributed run
///     "comment": "baseline",           // optional: annotation of a distributed run
///     "stages": [{"ramp_to": 100, "over": "10s"}, {"hold": "5s"}]  // optional: amoc/load_plan.hpp
///     "batches": 3                     // optional: scenario::next_user_batch adds users
///   }
///
/// With "stages", "users" is optional ([first_id, last_id] bounds the ids the
/// plan may use; ids start at 1 without it).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "amoc/config.hpp"
#include "amoc/defaults.hpp"
#include "amoc/load_plan.hpp"
#include "amoc/metrics_series.hpp"
#include "amoc/metrics_snapshot.hpp"
#include "amoc/status.hpp"
#include "amoc/thresholds.hpp"

namespace amoc {

/// What to run: read from a file by `load_run_file`, or filled in by a harness.
struct run_file {
  std::string scenario;
  std::uint64_t first_id = 1;
  std::uint64_t last_id = 1;
  nlohmann::json settings = nlohmann::json::object();
  std::optional<duration> max_duration;
  duration graceful_stop_timeout = defaults::cli::graceful_stop_timeout;
  /// Pass/fail criteria, parsed and validated with the file.
  std::vector<threshold> thresholds;
  /// Worker nodes ("host:port"): a distributed run when not empty.
  std::vector<std::string> nodes;
  /// Annotation of a distributed run's start.
  std::string comment;
  /// A distributed run's users go to these nodes only (names or addresses;
  /// REST's `nodes`); empty: every node that is up.
  std::vector<std::string> on_nodes;
  /// A ramp plan; empty: every user of `users` starts at once (paced by
  /// `interarrival` or `user_rate`).
  load_plan stages;
  /// Batches of users the scenario's next_user_batch() adds, one every
  /// `add_batch_interval` (0: none).
  std::uint64_t batches = 0;
};

/// Parses and validates a run file; errors (`ec::bad_run_file`) name the file and the problem.
[[nodiscard]] caf::expected<run_file> load_run_file(const std::string& path);
/// Same, from an already parsed JSON document; `origin` names it in errors.
[[nodiscard]] caf::expected<run_file> parse_run_file(const nlohmann::json& doc,
                                                     const std::string& origin);

/// Sets the run file's `settings` in `store` as run-time values.
void apply_settings(config::store& store, const run_file& run);

/// What `amoc run --dry-run` prints: which ids start when, on which node (by
/// the master's round-robin), and when users stop, without running anything.
/// Reads the pace (`interarrival`, `user_rate`) and `nodes` from `store`,
/// where the run file's settings are already applied.
[[nodiscard]] std::string dry_run(const run_file& run, config::store& store);

}  // namespace amoc
