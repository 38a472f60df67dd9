#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
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
/// `expire`, driven by a ticker on an event loop (or the actor system's clock
/// in tests, so simulated time sees it too).
///
/// The ticker sleeps until the next slot that holds a timer, not every
/// resolution: a bitmap of occupied slots finds it, so 5,000 users waiting
/// on 60 s timeouts cost one wakeup when the first is due, not 1,000 a second.
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
  /// Returns true when the ticker must look again (`planned_wake`): the wheel
  /// was idle, or this timer is due before the ticker planned to wake.
  [[nodiscard]] bool arm(timer_hook& hook, time_point now, time_point deadline);

  /// Unlinks `hook` if it is armed.
  void disarm(timer_hook& hook);

  /// The wheel's own timer, which wakes no user: the user supervisor's next
  /// spawn, so that a run's arrivals wake the worker loop that ticks and not
  /// also CAF's clock thread. `on_due` is set once, before the first
  /// `arm_own`; the ticker calls it (`ring_own`) after the users of the tick
  /// that expired it, outside the lock.
  void set_own(std::function<void()> on_due) { own_due_ = std::move(on_due); }
  /// `arm` for the own timer.
  [[nodiscard]] bool arm_own(time_point now, time_point deadline) {
    return arm(own_, now, deadline);
  }
  void disarm_own() { disarm(own_); }
  [[nodiscard]] bool is_own(const timer_hook& hook) const noexcept { return &hook == &own_; }
  void ring_own() const {
    if (own_due_)
      own_due_();
  }

  /// Unlinks every hook due at `now` and calls `f(hook)` for it while the
  /// lock is held (so `f` sees objects that cannot be destroyed meanwhile).
  /// Returns when the ticker should wake next (the next occupied slot), or
  /// nothing, marking the wheel idle, when no timer is left.
  template <class F>
  std::optional<time_point> expire(time_point now, F&& f) {
    std::lock_guard guard{mutex_};
    const auto now_tick = tick_of(now, false);
    const auto last = std::min(now_tick, processed_ + static_cast<std::int64_t>(slots_.size()));
    for (auto t = next_occupied(processed_ + 1); t && *t <= last; t = next_occupied(*t + 1))
      expire_slot(slot_of(*t), now_tick, f);
    processed_ = std::max(processed_, now_tick);
    return plan_next_wake();
  }

  /// When the ticker should wake next; nothing while the wheel is idle. Lock-free.
  [[nodiscard]] std::optional<time_point> planned_wake() const;

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
  time_point time_of(std::int64_t tick) const;
  std::size_t index_of(std::int64_t tick) const;
  timer_hook& slot_of(std::int64_t tick) { return slots_[index_of(tick)]; }
  void unlink(timer_hook& h);
  /// The first tick from `from` on (within one turn) whose slot holds a timer.
  std::optional<std::int64_t> next_occupied(std::int64_t from) const;
  std::optional<time_point> plan_next_wake();

  mutable std::mutex mutex_;
  duration resolution_;
  std::vector<timer_hook> slots_;        // list heads (circular, with sentinels)
  std::vector<std::uint64_t> occupied_;  // a bit per slot: its list is not empty
  std::int64_t processed_ = 0;           // every tick up to this one has expired
  std::size_t armed_ = 0;
  static constexpr std::int64_t no_tick = INT64_MAX;
  // When the ticker wakes next (no_tick: idle). Written under mutex_; read
  // without it by `planned_wake`, which a loop calls after every handler.
  std::atomic<std::int64_t> planned_tick_{no_tick};
  timer_hook own_;
  std::function<void()> own_due_;
};

}  // namespace amoc::detail
