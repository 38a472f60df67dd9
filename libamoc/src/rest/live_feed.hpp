#pragma once

// The dashboard's data: once a second, the run's status and the interval's
// metrics (rates, latency percentiles) as one JSON sample, kept for the last
// few minutes so that a page opened late still draws the run so far.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

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

  struct sample {
    std::uint64_t seq = 0;
    std::string json;  ///< one object: t, time, state, scenario, users, nodes, counters, ...
  };
  /// The first sample after `seq`, waiting at most `timeout` for it.
  [[nodiscard]] std::optional<sample> next(std::uint64_t seq, std::chrono::milliseconds timeout);
  /// Every kept sample, oldest first, as a JSON array, and the newest one's seq.
  [[nodiscard]] std::pair<std::string, std::uint64_t> history();

private:
  void run();
  [[nodiscard]] std::string take_sample();

  runtime& rt_;
  std::chrono::milliseconds interval_;
  std::size_t keep_;
  std::chrono::steady_clock::time_point started_;
  std::optional<metrics::snapshot> previous_;
  std::chrono::steady_clock::time_point previous_at_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<sample> samples_;
  std::uint64_t next_seq_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace amoc::rest
