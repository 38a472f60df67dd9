// The public throttle API (amoc/throttle.hpp) over the node's throttle table.

#include <cmath>
#include <stdexcept>

#include "amoc/throttle.hpp"
#include "shaping_node.hpp"
#include "throttle_authority.hpp"

namespace amoc::throttle {

using amoc::detail::shaping_node;
using amoc::detail::throttle_op;

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

// The node, after checking that `name` exists there.
shaping_node& node_with(std::string_view name) {
  auto& n = shaping_node::current();
  std::lock_guard guard{n.mutex};
  if (!n.throttles.contains(std::string{name}))
    throw std::invalid_argument("no throttle named " + std::string{name} + " was started");
  return n;
}

void send(std::string_view name, throttle_op op) {
  node_with(name).send_op(std::string{name}, op.to_json());
}

}  // namespace

void start(std::string_view name, limit how) {
  check(how);
  auto& n = shaping_node::current();
  const std::string key{name};
  {
    std::lock_guard guard{n.mutex};
    if (!n.throttles.define(key, how))
      throw std::invalid_argument("throttle " + key + " is already started with "
                                  + n.throttles.spec(key)->how.describe() + ", not "
                                  + how.describe() + " (use change_rate)");
  }
  n.send_op(key, throttle_op{throttle_op::kind::start, how, {}, {}}.to_json());
}

void change_rate(std::string_view name, limit how) {
  check(how);
  send(name, {throttle_op::kind::change, how, {}, {}});
}

void change_rate_gradually(std::string_view name, limit from, limit to, gradual plan) {
  check(from);
  check(to);
  if (from.type != limit::kind::rate || to.type != limit::kind::rate
      || from.interval != to.interval)
    throw std::invalid_argument("change_rate_gradually needs two rates over the same interval");
  if (plan.count == 0 || plan.each <= duration::zero())
    throw std::invalid_argument("change_rate_gradually needs at least one step, each > 0");
  send(name, {throttle_op::kind::gradually, from, to, plan});
}

void pause(std::string_view name) { send(name, {throttle_op::kind::pause, {}, {}, {}}); }

void resume(std::string_view name) { send(name, {throttle_op::kind::resume, {}, {}, {}}); }

void unlock(std::string_view name) { send(name, {throttle_op::kind::unlock, {}, {}, {}}); }

void stop(std::string_view name) { send(name, {throttle_op::kind::stop, {}, {}, {}}); }

namespace detail {

bool waiter::await_suspend(std::coroutine_handle<> h) {
  auto& n = shaping_node::current();
  std::unique_lock lock{n.mutex};
  if (!n.throttles.contains(name_))
    throw std::invalid_argument("no throttle named " + name_ + " was started");
  node_ = &n;
  const bool first = n.throttles.queued(name_) == 0;
  if (n.throttles.acquire(name_, *this, n.now())) {
    granted_ = true;
    return false;
  }
  ticket_ = user_.park(h, duration::max());
  waiting_ = true;
  lock.unlock();
  // The actor arms a tick for the head of the queue; later arrivals queue behind it.
  if (first)
    n.poke();
  return true;
}

void waiter::grant() noexcept {
  granted_ = true;
  if (waiting_)
    user_.wake(ticket_);
}

waiter::~waiter() {
  if (!node_)
    return;
  auto& n = *static_cast<shaping_node*>(node_);
  std::lock_guard guard{n.mutex};
  if (!granted_)
    n.throttles.cancel(name_, *this);
}

void finished(std::string_view name) {
  auto& n = shaping_node::current();
  std::lock_guard guard{n.mutex};
  n.throttles.finished(std::string{name}, n.now());
}

}  // namespace detail

task<> run(user& u, std::string name, std::function<task<>()> action) {
  co_await detail::waiter{u, name, true};
  // The place is freed however the action ends, also when the user is
  // stopped by force (then its frame dies outside any scenario step).
  struct place {
    shaping_node* node;
    std::string name;
    ~place() {
      std::lock_guard guard{node->mutex};
      node->throttles.finished(name, node->now());
    }
  } held{&shaping_node::current(), name};
  co_await action();
}

}  // namespace amoc::throttle
