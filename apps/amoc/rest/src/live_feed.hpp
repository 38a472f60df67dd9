#pragma once

// The dashboard's data: once a second, the run's status and the interval's
// metrics (rates, latency percentiles) as one JSON sample, kept for the last
// few minutes so that a page opened late still draws the run so far.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "amoc/metrics_snapshot.hpp"

namespace amoc {
class runtime;
}

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

  runtime& rt_;
  std::chrono::milliseconds interval_;
  std::size_t keep_;
  std::chrono::steady_clock::time_point started_;
  std::optional<metrics::snapshot> previous_;
  std::chrono::steady_clock::time_point previous_at_;

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
