#pragma once

/// Batch runs: a run file says what to run, `execute` runs it to completion.
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

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
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

class runtime;

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

/// How a run went: final status, metrics totals and series, thresholds.
struct run_result {
  amoc::status final_status;
  std::chrono::system_clock::time_point started_at;  ///< when the users started
  duration wall_time{};
  bool stopped_by_duration = false;  ///< `duration` (or the end of the stages) was reached
  bool stopped_by_scenario = false;  ///< its should_continue() said no (or a hook failed)
  bool interrupted = false;          ///< stopped by an interrupt (Ctrl-C)
  bool forced = false;  ///< users outlived graceful_stop_timeout, or a second interrupt
  /// Users that did not end even by force (scenario code that never yields):
  /// the run ended without them; they are booked as forced_stop, as the
  /// process ending kills them.
  std::uint64_t users_did_not_stop = 0;

  metrics::snapshot metrics;    ///< every metric's total at the end of the run
  metrics::time_series series;  ///< one point per `metrics_interval`
  duration metrics_interval{};
  std::vector<threshold_result> thresholds;  ///< the run file's thresholds, evaluated

  /// True when a threshold failed (`amoc run` then exits 99).
  [[nodiscard]] bool thresholds_crossed() const;
  /// Users that ended because their node went down (`amoc run` then exits 3).
  [[nodiscard]] std::uint64_t users_lost() const;
  /// Books the users still alive at the end as `users_did_not_stop`.
  void book_users_that_did_not_stop();
};

/// Called about every `interval` with the live status and the time since start.
using progress_callback = std::function<void(const status&, duration elapsed)>;

/// What `execute` reports while it runs, and how it may be interrupted.
struct execute_options {
  progress_callback progress;
  duration progress_interval = defaults::cli::progress_interval;
  /// Between two samples of the run's metrics time series.
  duration metrics_interval = defaults::metrics::interval;
  /// Called after each metrics sample, on the thread running `execute` (Graphite).
  std::function<void(const metrics::interval&)> on_sample;
  /// Called with "start" once the run started and "stop" once it ended (annotations).
  std::function<void(std::string_view event)> on_event;
  /// First increment: stop gracefully; second: by force (Ctrl-C twice).
  const std::atomic<int>* interrupts = nullptr;
};

/// Applies the settings, starts the run and waits until every user ended or
/// `duration` is reached (then stops gracefully, and by force after
/// `graceful_stop_timeout`). When `interrupts` is given, its first increment
/// stops the run gracefully and its second by force (Ctrl-C twice). Errors
/// from start (bad config, unknown scenario, failed init) are returned as they are.
/// Samples the node's metrics every `metrics_interval` into the result's
/// time series and evaluates the run file's thresholds at the end.
[[nodiscard]] caf::expected<run_result> execute(runtime& rt, const run_file& run,
                                                const execute_options& options);
/// The same with default metrics options.
[[nodiscard]] caf::expected<run_result> execute(runtime& rt, const run_file& run,
                                                const progress_callback& progress,
                                                duration interval,
                                                const std::atomic<int>* interrupts = nullptr);

/// The JSON result document written by `amoc run --out`: the run's outcome,
/// its thresholds, every metric's totals and time series (amoc/metrics_json.hpp).
[[nodiscard]] nlohmann::json to_json(const run_file& run, const run_result& result);

}  // namespace amoc
