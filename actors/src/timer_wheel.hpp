#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

#include "amoc/config.hpp"

namespace amoc::detail {

/// An intrusive timer: embedded in the object it wakes, so arming a timer
/// allocates nothing and an object that dies simply unlinks itself.
struct timer_hook {
  timer_hook* prev = nullptr;
  timer_hook* next = nullptr;
  std::int64_t due_tick = 0;

  [[nodiscard]] bool linked() const noexcept { return prev != nullptr; }
};

/// A hashed timing wheel shared by the users of one node: O(1) arm and
/// disarm, one mutex held for a few pointer moves. Time advances only through
/// `expire`, driven by a ticker actor on the actor system's clock, so tests
/// in simulated time see it too.
///
/// Why not CAF's delayed_send: each pending delayed message costs a mailbox
/// element, a message and a node in the clock's multimap (~200 bytes, and a
/// log n insert under the clock's lock); with a million sleeping users that
/// is the biggest cost after the actor itself.
class timer_wheel {
public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit timer_wheel(duration resolution, std::size_t slots);
  timer_wheel(const timer_wheel&) = delete;
  timer_wheel& operator=(const timer_wheel&) = delete;

  /// Arms (or re-arms) `hook` to expire at `deadline` (rounded up to the resolution).
  /// Returns true when the wheel was idle: the caller must then start the ticker.
  [[nodiscard]] bool arm(timer_hook& hook, time_point now, time_point deadline);

  /// Unlinks `hook` if it is armed.
  void disarm(timer_hook& hook);

  /// Unlinks every hook due at `now` and calls `f(hook)` for it while the
  /// lock is held (so `f` sees objects that cannot be destroyed meanwhile).
  /// Returns false, and marks the wheel idle, when no timer is left.
  template <class F>
  bool expire(time_point now, F&& f) {
    std::lock_guard guard{mutex_};
    const auto now_tick = tick_of(now, false);
    const auto last = std::min(now_tick, processed_ + static_cast<std::int64_t>(slots_.size()));
    for (auto t = processed_ + 1; t <= last; ++t)
      expire_slot(slot_of(t), now_tick, f);
    processed_ = std::max(processed_, now_tick);
    ticking_ = armed_ > 0;
    return ticking_;
  }

  [[nodiscard]] std::size_t armed() const;
  [[nodiscard]] duration resolution() const noexcept { return resolution_; }

private:
  template <class F>
  void expire_slot(timer_hook& head, std::int64_t now_tick, F& f) {
    for (auto* h = head.next; h != &head;) {
      auto* next = h->next;
      if (h->due_tick <= now_tick) {
        unlink(*h);
        f(*h);
      }
      h = next;
    }
  }

  std::int64_t tick_of(time_point t, bool round_up) const;
  timer_hook& slot_of(std::int64_t tick);
  void unlink(timer_hook& h);

  mutable std::mutex mutex_;
  duration resolution_;
  std::vector<timer_hook> slots_;  // list heads (circular, with sentinels)
  std::int64_t processed_ = 0;     // every tick up to this one has expired
  std::size_t armed_ = 0;
  bool ticking_ = false;
};

}  // namespace amoc::detail
