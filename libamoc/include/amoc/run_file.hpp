#pragma once

/// Batch runs: a run file says what to run, `execute` runs it to completion.
///
///   {
///     "scenario": "dummy",
///     "users": [1, 100],
///     "settings": {"interarrival": "10ms", "repeat_num": 3},
///     "duration": "30s",               // optional: then a graceful stop
///     "graceful_stop_timeout": "10s"   // optional: then a forced stop
///   }

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "amoc/config.hpp"
#include "amoc/status.hpp"

namespace amoc {

class runtime;

struct run_file {
  std::string scenario;
  std::uint64_t first_id = 1;
  std::uint64_t last_id = 1;
  nlohmann::json settings = nlohmann::json::object();
  std::optional<duration> max_duration;
  duration graceful_stop_timeout;
};

/// Parses and validates a run file; errors (`ec::bad_run_file`) name the file and the problem.
[[nodiscard]] caf::expected<run_file> load_run_file(const std::string& path);
/// Same, from an already parsed JSON document; `origin` names it in errors.
[[nodiscard]] caf::expected<run_file> parse_run_file(const nlohmann::json& doc,
                                                     const std::string& origin);

struct run_result {
  amoc::status final_status;
  duration wall_time{};
  bool stopped_by_duration = false;  ///< `duration` was reached
  bool interrupted = false;          ///< stopped by an interrupt (Ctrl-C)
  bool forced = false;  ///< users outlived graceful_stop_timeout, or a second interrupt
};

/// Called about every `interval` with the live status and the time since start.
using progress_callback = std::function<void(const status&, duration elapsed)>;

/// Applies the settings, starts the run and waits until every user ended or
/// `duration` is reached (then stops gracefully, and by force after
/// `graceful_stop_timeout`). When `interrupts` is given, its first increment
/// stops the run gracefully and its second by force (Ctrl-C twice). Errors
/// from start (bad config, unknown scenario, failed init) are returned as they are.
[[nodiscard]] caf::expected<run_result> execute(runtime& rt, const run_file& run,
                                                const progress_callback& progress,
                                                duration interval,
                                                const std::atomic<int>* interrupts = nullptr);

/// The JSON result document written by `amoc run --out`.
[[nodiscard]] nlohmann::json to_json(const run_file& run, const run_result& result);

}  // namespace amoc
