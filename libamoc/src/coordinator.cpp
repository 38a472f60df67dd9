// The public coordinator API (amoc/coordinator.hpp) over the node's shaping service.

#include <stdexcept>

#include "amoc/coordinator.hpp"
#include "amoc/shaping_service.hpp"

namespace amoc::coordinator {

using amoc::detail::shaping_service;

const char* to_string(event_type t) noexcept {
  switch (t) {
  case event_type::coordinate: return "coordinate";
  case event_type::timeout: return "timeout";
  case event_type::reset: return "reset";
  case event_type::stop: return "stop";
  }
  return "?";
}

action on_event(std::function<void(event)> f) { return {std::move(f), {}, {}}; }

action on_group(std::function<void(event, std::vector<member>&)> f) {
  return {{}, std::move(f), {}};
}

action on_pair(std::function<void(event, member&, member*)> f) { return {{}, {}, std::move(f)}; }

item item::of(std::size_t n, std::vector<action> actions) {
  if (n == 0)
    throw std::invalid_argument("a coordinator group needs at least 1 user");
  return {n, n, std::move(actions)};
}

item item::range(std::size_t min, std::size_t max, std::vector<action> actions) {
  if (min == 0)
    throw std::invalid_argument("a coordinator group needs at least 1 user");
  return {min, max, std::move(actions)};
}

item item::all(std::vector<action> actions) { return {0, 0, std::move(actions)}; }

void start(std::string_view name, plan p, duration timeout) {
  if (timeout <= duration::zero())
    throw std::invalid_argument("coordinator " + std::string{name} + ": the timeout must be > 0");
  shaping_service::current().coordinator_start(std::string{name}, std::move(p), timeout);
}

void reset(std::string_view name) {
  shaping_service::current().coordinator_fire(std::string{name}, event_type::reset);
}

void stop(std::string_view name) {
  shaping_service::current().coordinator_fire(std::string{name}, event_type::stop);
}

namespace detail {

joiner::joiner(user& u, std::string_view name, std::any data)
    : user_(u), name_(name), data_(std::move(data)) {}

bool joiner::await_suspend(std::coroutine_handle<> h) {
  auto& service = shaping_service::current();
  slot_ = std::make_shared<slot>();
  slot_->who = member{user_.id(), std::move(data_)};
  slot_->waiting = this;
  node_ = &service;
  // Parked under the node's lock unless the groups already acted on it.
  return service.coordinator_join(name_, slot_, [&] {
    if (done_)
      return false;
    parked_.park(user_, h, duration::max());
    return true;
  });
}

event joiner::await_resume() const noexcept { return event_; }

void joiner::grant(event ev) noexcept {
  event_ = ev;
  done_ = true;
  slot_->waiting = nullptr;
  parked_.wake();
}

joiner::~joiner() {
  if (slot_ && node_)
    static_cast<shaping_service*>(node_)->coordinator_leave(*slot_);
}

}  // namespace detail

}  // namespace amoc::coordinator
