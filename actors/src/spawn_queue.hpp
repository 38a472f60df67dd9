#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

#include "amoc/config.hpp"
#include "amoc/id_range.hpp"

namespace amoc::detail {

/// The user ids waiting to be spawned on one node, paced one `interarrival`
/// apart. Pure bookkeeping over a caller-supplied clock, so the pacing can be
/// tested without actors. A late tick catches up, so the average rate holds.
class spawn_queue {
public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit spawn_queue(duration interarrival = duration::zero()) : interarrival_(interarrival) {}

  /// Queues the ids of `ids`; the first is due now if nothing is queued.
  void push(id_range ids, time_point now);

  /// Calls `spawn(id)` for up to `max` ids due at `now`, oldest first; returns how many.
  template <class F>
  std::uint64_t pop_due(time_point now, std::uint64_t max, F&& spawn) {
    std::uint64_t n = 0;
    while (n < max && !ranges_.empty() && next_due_ <= now) {
      spawn(pop_front());
      ++n;
      next_due_ += interarrival_;
    }
    return n;
  }

  /// Changes the pace; the next id is due no later than one new interval from `now`.
  void set_interarrival(duration interarrival, time_point now);

  /// Drops up to `n` of the newest queued ids; returns how many were dropped.
  std::uint64_t drop_newest(std::uint64_t n);

  /// When the next id is due, or nullopt if nothing is queued.
  [[nodiscard]] std::optional<time_point> next_due() const;

  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

private:
  std::uint64_t pop_front();

  duration interarrival_;
  std::deque<id_range> ranges_;
  std::uint64_t size_ = 0;
  time_point next_due_{};
};

}  // namespace amoc::detail
