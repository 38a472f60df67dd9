#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace amoc::detail {

/// Backpressure between a node's user supervisor and its users: the
/// supervisor spawns the next batch only once most users of the last one
/// have run for the first time.
///
/// Why: spawning a user costs the supervisor far less than running it, so
/// with interarrival 0 a supervisor that never waits fills the workers'
/// queues with users that have not run yet (measured before the gate: users
/// 1..10^12 sleeping 10 ms each reached 5.5 GB in 20 s, and the event loop
/// that runs the timer wheel was never free to wake a sleeper). With the
/// gate, what a node holds is its live users plus at most about one batch.
class spawn_gate {
public:
  /// `low_water`: the gate opens again when this many users or fewer have
  /// not run yet (keeps the workers busy while the next batch is spawned).
  explicit spawn_gate(std::int64_t low_water) : low_water_(low_water) {}

  /// Called (on a user's thread) when the gate opens after `try_open` said no.
  std::function<void()> on_open;

  /// The supervisor spawned a user.
  void spawned() noexcept { waiting_to_run_.fetch_add(1); }

  /// A user runs for the first time; tells `on_open` when that opens the gate
  /// the supervisor is waiting at.
  void ran() {
    if (waiting_to_run_.fetch_sub(1) == low_water_ + 1 && blocked_.exchange(false) && on_open)
      on_open();
  }

  /// True when the supervisor may spawn now; otherwise `on_open` is called
  /// exactly once, when it may.
  [[nodiscard]] bool try_open() noexcept {
    if (waiting_to_run_.load() <= low_water_)
      return true;
    blocked_.store(true);
    // A user may have run between the load and the store: whoever clears
    // the flag first goes on, so the wake-up is neither lost nor doubled.
    return waiting_to_run_.load() <= low_water_ && blocked_.exchange(false);
  }

  /// Users spawned that have not run yet.
  [[nodiscard]] std::int64_t waiting_to_run() const noexcept { return waiting_to_run_.load(); }

private:
  const std::int64_t low_water_;
  std::atomic<std::int64_t> waiting_to_run_{0};
  std::atomic<bool> blocked_{false};
};

}  // namespace amoc::detail
