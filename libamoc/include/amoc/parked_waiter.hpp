#pragma once

/// `amoc::parked_waiter`: the one way a protocol library or the runtime parks
/// a user's coroutine until an event (I/O done, a throttle place, a
/// coordinator's action) or a timeout resumes it on its user actor; and
/// `amoc::wait_until`, the awaiter for "until this condition holds or this
/// deadline passes" built on it.

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <mutex>
#include <utility>

#include "amoc/user.hpp"

namespace amoc {

/// Who to wake and under which ticket. Not thread-safe by itself: the owner
/// calls every member under the lock that guards the event it waits for, so
/// an event that happens after the check that decided to park always finds
/// the ticket valid.
class parked_waiter {
public:
  /// Parks `h` on `u` until `wake()` or until `timeout` passes (`duration::max()`: never).
  void park(user& u, std::coroutine_handle<> h, duration timeout) {
    ticket_ = u.park(h, timeout);
    user_ = &u;
  }
  /// Resumes the parked coroutine, if any; later calls do nothing.
  void wake() noexcept {
    if (auto* u = std::exchange(user_, nullptr))
      u->wake(ticket_);
  }
  /// Stops waking `u` (it was resumed by its timeout, or stopped).
  void forget(const user& u) noexcept {
    if (user_ == &u)
      user_ = nullptr;
  }
  /// Stops waking whoever is parked.
  void forget() noexcept { user_ = nullptr; }
  [[nodiscard]] bool parked() const noexcept { return user_ != nullptr; }

private:
  user* user_ = nullptr;
  std::uint32_t ticket_ = 0;
};

/// Awaitable: resumes when `ready()` holds or at `deadline`, whichever comes
/// first. `ready` is called under `mutex`; whoever makes it true calls
/// `slot.wake()` under the same lock.
template <class Ready>
class wait_until {
public:
  using clock = std::chrono::steady_clock;

  wait_until(std::mutex& mutex, parked_waiter& slot, user& u, clock::time_point deadline,
             Ready ready)
      : mutex_(mutex), slot_(slot), user_(u), deadline_(deadline), ready_(std::move(ready)) {}

  [[nodiscard]] bool await_ready() const {
    std::lock_guard guard{mutex_};
    return ready_() || clock::now() >= deadline_;
  }
  bool await_suspend(std::coroutine_handle<> h) {
    std::lock_guard guard{mutex_};
    if (ready_())
      return false;
    const auto now = clock::now();
    if (now >= deadline_)
      return false;
    const auto timeout = deadline_ == clock::time_point::max() ? duration::max() : deadline_ - now;
    slot_.park(user_, h, timeout);
    return true;
  }
  void await_resume() noexcept {
    std::lock_guard guard{mutex_};
    slot_.forget(user_);
  }

private:
  std::mutex& mutex_;
  parked_waiter& slot_;
  user& user_;
  clock::time_point deadline_;
  Ready ready_;
};

}  // namespace amoc
