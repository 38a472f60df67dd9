#pragma once

/// A run the runtime executes: the handle every front door holds. The
/// executor actor writes it; `amoc run`, the console, the REST gateway and
/// harnesses read the same result from it, while the run goes on and after.
///
///   auto run = rt.launch(run_value, opts);   // caf::expected<std::shared_ptr<execution>>
///   (*run)->result();                        // so far: status, metrics, thresholds
///   (*run)->interrupt();                     // graceful stop (then forced, then abandon)
///   auto final = (*run)->wait(1h);

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <caf/expected.hpp>

#include "amoc/config.hpp"
#include "amoc/metrics_series.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"

namespace amoc {

/// One run's record: its value, its result so far, whether it ended.
class execution {
public:
  /// `also_counted`: the caller's own interrupt counter (a signal handler's,
  /// Ctrl-C), read together with `interrupt()`'s; it must outlive the run.
  execution(run_file run, duration series_interval, const std::atomic<int>* also_counted = nullptr);
  execution(const execution&) = delete;
  execution& operator=(const execution&) = delete;

  [[nodiscard]] const run_file& run() const noexcept { return run_; }
  [[nodiscard]] bool done() const;
  /// The result so far (the last status, metrics up to the last sample,
  /// thresholds evaluated on them), or the final result once done.
  [[nodiscard]] run_result result() const;
  /// The thresholds as last evaluated (cheaper than `result()`: no series).
  [[nodiscard]] std::vector<threshold_result> thresholds() const;
  /// Blocks until the run ended; `ec::timeout` after `timeout`.
  [[nodiscard]] caf::expected<run_result> wait(duration timeout) const;
  /// Blocks until the run ended.
  [[nodiscard]] run_result wait() const;
  /// Stops the run: the first call gracefully, the second by force, the
  /// third ends it without users that do not stop (Ctrl-C three times).
  void interrupt() noexcept { ++interrupts_; }
  [[nodiscard]] int interrupts() const noexcept {
    return interrupts_.load() + (also_counted_ ? also_counted_->load() : 0);
  }

  /// The executor's side: every change under the lock, `f(run_result&,
  /// metrics::sampler&)`; `finish` wakes whoever waits.
  template <class F>
  void update(F&& f) {
    std::lock_guard guard{mutex_};
    f(result_, sampler_);
  }
  void finish();

private:
  [[nodiscard]] run_result snapshot() const;  // under the lock

  run_file run_;
  mutable std::mutex mutex_;
  mutable std::condition_variable ended_;
  run_result result_;
  metrics::sampler sampler_;
  bool done_ = false;
  std::atomic<int> interrupts_{0};
  const std::atomic<int>* also_counted_;
};

}  // namespace amoc
