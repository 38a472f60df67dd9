#include "timer_wheel.hpp"

#include <algorithm>
#include <bit>

namespace amoc::detail {

timer_wheel::timer_wheel(duration resolution, std::size_t slots)
    : resolution_(std::max(resolution, duration{1})),
      // Whole words of the bitmap: the slot count is rounded up to 64.
      slots_((std::max<std::size_t>(slots, 1) + 63) / 64 * 64), occupied_(slots_.size() / 64) {
  for (auto& head : slots_)
    head.prev = head.next = &head;
}

std::int64_t timer_wheel::tick_of(time_point t, bool round_up) const {
  const auto ns = t.time_since_epoch().count();
  const auto res = resolution_.count();
  return round_up ? (ns + res - 1) / res : ns / res;
}

timer_wheel::time_point timer_wheel::time_of(std::int64_t tick) const {
  return time_point{duration{tick * resolution_.count()}};
}

std::size_t timer_wheel::index_of(std::int64_t tick) const {
  return static_cast<std::size_t>(tick) % slots_.size();
}

void timer_wheel::unlink(timer_hook& h) {
  h.prev->next = h.next;
  h.next->prev = h.prev;
  if (h.next == h.prev) {  // only the slot's head is left
    const auto index = index_of(h.due_tick);
    occupied_[index / 64] &= ~(std::uint64_t{1} << (index % 64));
  }
  h.prev = h.next = nullptr;
  --armed_;
}

std::optional<std::int64_t> timer_wheel::next_occupied(std::int64_t from) const {
  const auto words = occupied_.size();
  const auto start = index_of(from);
  // The first word without the bits before `start`, then whole words, around once.
  for (std::size_t step = 0; step <= words; ++step) {
    const auto word = (start / 64 + step) % words;
    auto bits = occupied_[word];
    if (step == 0)
      bits &= ~std::uint64_t{0} << (start % 64);
    else if (step == words)
      bits &= (std::uint64_t{1} << (start % 64)) - 1;
    if (bits == 0)
      continue;
    const auto index = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
    const auto distance = (index + slots_.size() - start) % slots_.size();
    return from + static_cast<std::int64_t>(distance);
  }
  return std::nullopt;
}

std::optional<timer_wheel::time_point> timer_wheel::plan_next_wake() {
  const auto next = armed_ > 0 ? next_occupied(processed_ + 1) : std::nullopt;
  planned_tick_.store(next.value_or(no_tick), std::memory_order_relaxed);
  return next ? std::optional{time_of(*next)} : std::nullopt;
}

bool timer_wheel::arm(timer_hook& hook, time_point now, time_point deadline) {
  std::lock_guard guard{mutex_};
  if (hook.linked())
    unlink(hook);
  const auto planned = planned_tick_.load(std::memory_order_relaxed);
  if (armed_ == 0 && planned == no_tick)
    processed_ = tick_of(now, false) - 1;  // an idle wheel restarts its count at now
  // Never into a slot that has already been processed: it would wait a full turn.
  hook.due_tick = std::max(tick_of(deadline, true), processed_ + 1);
  const auto index = index_of(hook.due_tick);
  auto& head = slots_[index];
  hook.prev = head.prev;
  hook.next = &head;
  head.prev->next = &hook;
  head.prev = &hook;
  occupied_[index / 64] |= std::uint64_t{1} << (index % 64);
  ++armed_;
  if (hook.due_tick >= planned)
    return false;
  planned_tick_.store(hook.due_tick, std::memory_order_relaxed);
  return true;
}

void timer_wheel::disarm(timer_hook& hook) {
  std::lock_guard guard{mutex_};
  if (hook.linked())
    unlink(hook);
}

std::optional<timer_wheel::time_point> timer_wheel::planned_wake() const {
  const auto planned = planned_tick_.load(std::memory_order_relaxed);
  return planned == no_tick ? std::nullopt : std::optional{time_of(planned)};
}

std::size_t timer_wheel::armed() const {
  std::lock_guard guard{mutex_};
  return armed_;
}

}  // namespace amoc::detail
