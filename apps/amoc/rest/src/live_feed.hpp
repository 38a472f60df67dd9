#pragma once

// The dashboard's data: once a second, the run's status and the interval's
// metrics (rates, latency percentiles) as one JSON sample, kept for the last
// few minutes so that a page opened late still draws the run so far. Each
// sample says when its run started, and its time since then: the charts'
// time axis starts at the run's start.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "amoc/metrics_snapshot.hpp"
#include "amoc/status.hpp"

namespace amoc {
class execution;
class runtime;
}  // namespace amoc

namespace amoc::rest {

class live_feed {
public:
  explicit live_feed(runtime& rt, std::chrono::milliseconds interval = std::chrono::seconds{1},
                     std::size_t keep = 600);
  /// Stops sampling.
  ~live_feed();
  live_feed(const live_feed&) = delete;
  live_feed& operator=(const live_feed&) = delete;

  /// Begins sampling on its own thread.
  void start();

  /// Gets the samples as JSON texts: first every kept one as one array
  /// (`history` true), then each new one as it is taken. Returns false to
  /// stop getting them. Called with the feed's lock held: it must not block.
  using subscriber = std::function<bool(const std::string& json, bool history)>;

  /// Adds a subscriber and hands it the history at once.
  void subscribe(subscriber s);

private:
  void run();
  [[nodiscard]] std::string take_sample();
  /// Follows the run's start (see live_feed.cpp) with what a sample saw.
  void follow_run_start(const amoc::status* st, const std::shared_ptr<execution>& record,
                        std::chrono::system_clock::time_point now);

  runtime& rt_;
  std::chrono::milliseconds interval_;
  std::size_t keep_;
  std::chrono::steady_clock::time_point started_;
  std::optional<metrics::snapshot> previous_;
  std::chrono::steady_clock::time_point previous_at_;
  /// When the run the samples belong to started; none before the first run.
  std::optional<std::chrono::system_clock::time_point> run_start_;
  std::shared_ptr<execution> record_;  ///< the launched run `run_start_` was taken from
  bool was_active_ = false;            ///< the last sample saw a run going on

  /// The samples as one JSON array (under `mutex_`).
  [[nodiscard]] std::string history() const;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> samples_;
  std::vector<subscriber> subscribers_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace amoc::rest
