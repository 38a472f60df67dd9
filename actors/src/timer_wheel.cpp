#include "timer_wheel.hpp"

#include <algorithm>

namespace amoc::detail {

timer_wheel::timer_wheel(duration resolution, std::size_t slots)
    : resolution_(std::max(resolution, duration{1})), slots_(std::max<std::size_t>(slots, 1)) {
  for (auto& head : slots_)
    head.prev = head.next = &head;
}

std::int64_t timer_wheel::tick_of(time_point t, bool round_up) const {
  const auto ns = t.time_since_epoch().count();
  const auto res = resolution_.count();
  return round_up ? (ns + res - 1) / res : ns / res;
}

timer_hook& timer_wheel::slot_of(std::int64_t tick) {
  return slots_[static_cast<std::size_t>(tick) % slots_.size()];
}

void timer_wheel::unlink(timer_hook& h) {
  h.prev->next = h.next;
  h.next->prev = h.prev;
  h.prev = h.next = nullptr;
  --armed_;
}

bool timer_wheel::arm(timer_hook& hook, time_point now, time_point deadline) {
  std::lock_guard guard{mutex_};
  if (hook.linked())
    unlink(hook);
  if (armed_ == 0 && !ticking_)
    processed_ = tick_of(now, false) - 1;  // an idle wheel restarts its count at now
  // Never into a slot that has already been processed: it would wait a full turn.
  hook.due_tick = std::max(tick_of(deadline, true), processed_ + 1);
  auto& head = slot_of(hook.due_tick);
  hook.prev = head.prev;
  hook.next = &head;
  head.prev->next = &hook;
  head.prev = &hook;
  ++armed_;
  const bool start_ticker = !ticking_;
  ticking_ = true;
  return start_ticker;
}

void timer_wheel::disarm(timer_hook& hook) {
  std::lock_guard guard{mutex_};
  if (hook.linked())
    unlink(hook);
}

std::size_t timer_wheel::armed() const {
  std::lock_guard guard{mutex_};
  return armed_;
}

}  // namespace amoc::detail
