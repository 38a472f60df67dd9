#pragma once

/// What a run produced: its final status, every metric's totals and time
/// series, its thresholds evaluated. Every front door gets the same value.

#include <chrono>
#include <cstdint>
#include <vector>

#include "amoc/config.hpp"
#include "amoc/error.hpp"
#include "amoc/metrics_series.hpp"
#include "amoc/metrics_snapshot.hpp"
#include "amoc/status.hpp"
#include "amoc/thresholds.hpp"

namespace amoc {

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

}  // namespace amoc
