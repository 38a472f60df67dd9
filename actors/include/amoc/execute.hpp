#pragma once

/// Runs a run value (amoc/run_file.hpp) to completion on a runtime.

#include <atomic>
#include <functional>
#include <string_view>

#include <caf/expected.hpp>

#include "amoc/defaults.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"

namespace amoc {

class runtime;

/// Called about every `interval` with the live status and the time since start.
using progress_callback = std::function<void(const status&, duration elapsed)>;

/// What `execute` reports while it runs, and how it may be interrupted.
struct execute_options {
  progress_callback progress;
  duration progress_interval = defaults::cli::progress_interval;
  /// Between two exports (`on_sample`); the run's time series is sampled at
  /// least every `defaults::metrics::series_interval`.
  duration metrics_interval = defaults::metrics::interval;
  /// Called every `metrics_interval` with the interval since the last call,
  /// on the executor's thread (Graphite).
  std::function<void(const metrics::interval&)> on_sample;
  /// Called with "start" once the run started and "stop" once it ended
  /// (annotations). `progress` and `on_event` run on the executor's thread.
  std::function<void(std::string_view event)> on_event;
  /// First increment: stop gracefully; second: by force (Ctrl-C twice).
  const std::atomic<int>* interrupts = nullptr;
};

/// `runtime::launch` and a wait for the end: applies the settings, starts the run and waits until
/// every user ended or `duration` is reached (then stops gracefully, and by force after
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

}  // namespace amoc
