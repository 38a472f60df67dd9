// The public throttle API (amoc/throttle.hpp) over the node's shaping service.

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "amoc/shaping_service.hpp"
#include "amoc/throttle.hpp"

namespace amoc::throttle {

using amoc::detail::shaping_service;

limit limit::rate(double n, duration interval) { return {kind::rate, n, interval}; }

limit limit::interarrival(duration gap) { return {kind::rate, 1, gap}; }

limit limit::parallel(std::uint64_t n) {
  return {kind::parallel, static_cast<double>(n), duration::zero()};
}

limit limit::unlimited() { return {kind::unlimited, 0, duration::zero()}; }

std::string limit::problem() const {
  switch (type) {
  case kind::rate:
    if (!std::isfinite(n) || n < 0)
      return "a rate must be a number of actions >= 0";
    if (interval <= duration::zero())
      return "a rate needs an interval > 0";
    return {};
  case kind::parallel:
    return n >= 1 ? std::string{} : "a parallel limit must allow at least 1 action";
  case kind::unlimited: return {};
  }
  return "unknown kind of limit";
}

std::string limit::describe() const {
  switch (type) {
  case kind::rate: {
    auto count = std::to_string(n);
    count.erase(count.find_last_not_of('0') + 1);
    if (count.back() == '.')
      count.pop_back();
    return count + " per " + to_string(interval);
  }
  case kind::parallel:
    return "at most " + std::to_string(static_cast<std::uint64_t>(n)) + " in parallel";
  case kind::unlimited: return "unlimited";
  }
  return "?";
}

gradual gradual::steps(std::uint64_t steps, duration each) { return {steps, each}; }

gradual gradual::over(duration span) {
  using namespace std::chrono_literals;
  const auto count = std::clamp<std::int64_t>(span / 100ms, 1, 100);
  return {static_cast<std::uint64_t>(count), span / count};
}

namespace {

void check(const limit& how) {
  if (auto why = how.problem(); !why.empty())
    throw std::invalid_argument(why + " (" + how.describe() + ")");
}

}  // namespace

void start(std::string_view name, limit how) {
  check(how);
  shaping_service::current().throttle_start(std::string{name}, how);
}

void change_rate(std::string_view name, limit how) {
  check(how);
  shaping_service::current().throttle_change(std::string{name}, how);
}

void change_rate_gradually(std::string_view name, limit from, limit to, gradual plan) {
  check(from);
  check(to);
  if (from.type != limit::kind::rate || to.type != limit::kind::rate
      || from.interval != to.interval)
    throw std::invalid_argument("change_rate_gradually needs two rates over the same interval");
  if (plan.count == 0 || plan.each <= duration::zero())
    throw std::invalid_argument("change_rate_gradually needs at least one step, each > 0");
  shaping_service::current().throttle_change_gradually(std::string{name}, from, to, plan);
}

void pause(std::string_view name) { shaping_service::current().throttle_pause(std::string{name}); }

void resume(std::string_view name) {
  shaping_service::current().throttle_resume(std::string{name});
}

void unlock(std::string_view name) {
  shaping_service::current().throttle_unlock(std::string{name});
}

void stop(std::string_view name) { shaping_service::current().throttle_stop(std::string{name}); }

namespace detail {

bool waiter::await_suspend(std::coroutine_handle<> h) {
  auto& service = shaping_service::current();
  node_ = &service;
  // Parked under the node's lock: a grant cannot come before the ticket
  // exists. Once parked, the user may resume (and this awaiter go) at once.
  const bool at_once =
    service.throttle_acquire(name_, *this, [&] { parked_.park(user_, h, duration::max()); });
  if (at_once)
    granted_ = true;
  return !at_once;
}

void waiter::grant() noexcept {
  granted_ = true;
  parked_.wake();
}

waiter::~waiter() {
  if (node_)
    static_cast<shaping_service*>(node_)->throttle_leave(name_, *this, granted_);
}

void finished(std::string_view name) {
  shaping_service::current().throttle_finished(std::string{name});
}

}  // namespace detail

task<> run(user& u, std::string name, std::function<task<>()> action) {
  co_await detail::waiter{u, name, true};
  // The place is freed however the action ends, also when the user is
  // stopped by force (then its frame dies outside any scenario step).
  struct place {
    shaping_service* service;
    std::string name;
    ~place() { service->throttle_finished(name); }
  } held{&shaping_service::current(), name};
  co_await action();
}

}  // namespace amoc::throttle
