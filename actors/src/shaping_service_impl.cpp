// The node side of the public throttle and coordinator API (the core's
// amoc/shaping_service.hpp) over this node's throttle and coordinator tables.

#include <stdexcept>

#include "shaping_node.hpp"
#include "throttle_authority.hpp"

namespace amoc::detail {

namespace {

// The throttle must exist on this node; call under the node's lock.
void must_exist(const throttle_table& throttles, const std::string& name) {
  if (!throttles.contains(name))
    throw std::invalid_argument("no throttle named " + name + " was started");
}

}  // namespace

void shaping_node::throttle_start(const std::string& name, const throttle::limit& how) {
  {
    std::lock_guard guard{mutex};
    if (!throttles.define(name, how))
      throw std::invalid_argument("throttle " + name + " is already started with "
                                  + throttles.spec(name)->how.describe() + ", not " + how.describe()
                                  + " (use change_rate)");
  }
  send_op(name, throttle_op{throttle_op::kind::start, how, {}, {}}.to_json());
}

namespace {

void send_to(shaping_node& node, const std::string& name, const throttle_op& op) {
  {
    std::lock_guard guard{node.mutex};
    must_exist(node.throttles, name);
  }
  node.send_op(name, op.to_json());
}

}  // namespace

void shaping_node::throttle_change(const std::string& name, const throttle::limit& how) {
  send_to(*this, name, {throttle_op::kind::change, how, {}, {}});
}

void shaping_node::throttle_change_gradually(const std::string& name, const throttle::limit& from,
                                             const throttle::limit& to,
                                             const throttle::gradual& plan) {
  send_to(*this, name, {throttle_op::kind::gradually, from, to, plan});
}

void shaping_node::throttle_pause(const std::string& name) {
  send_to(*this, name, {throttle_op::kind::pause, {}, {}, {}});
}

void shaping_node::throttle_resume(const std::string& name) {
  send_to(*this, name, {throttle_op::kind::resume, {}, {}, {}});
}

void shaping_node::throttle_unlock(const std::string& name) {
  send_to(*this, name, {throttle_op::kind::unlock, {}, {}, {}});
}

void shaping_node::throttle_stop(const std::string& name) {
  send_to(*this, name, {throttle_op::kind::stop, {}, {}, {}});
}

bool shaping_node::throttle_acquire(const std::string& name, throttle::detail::request& r,
                                    const std::function<void()>& park) {
  std::unique_lock lock{mutex};
  must_exist(throttles, name);
  const bool first = throttles.queued(name) == 0;
  if (throttles.acquire(name, r, now()))
    return true;
  park();
  lock.unlock();
  // The actor arms a tick for the head of the queue; later arrivals queue behind it.
  if (first)
    poke();
  return false;
}

void shaping_node::throttle_leave(const std::string& name, throttle::detail::request& r,
                                  const bool& granted) {
  std::lock_guard guard{mutex};
  if (!granted)
    throttles.cancel(name, r);
}

void shaping_node::throttle_finished(const std::string& name) {
  std::lock_guard guard{mutex};
  throttles.finished(name, now());
}

void shaping_node::coordinator_start(const std::string& name, coordinator::plan p,
                                     duration timeout) {
  std::lock_guard guard{mutex};
  coordinators.start(name, std::move(p), timeout);
}

void shaping_node::coordinator_fire(const std::string& name, coordinator::event_type type) {
  coordinator_table::firing fired;
  {
    std::lock_guard guard{mutex};
    fired = coordinators.fire(name, type);
  }
  deliver(fired);
}

bool shaping_node::coordinator_join(const std::string& name,
                                    std::shared_ptr<coordinator::detail::slot> s,
                                    const std::function<bool()>& park) {
  coordinator_table::firing fired;
  std::optional<coordinator_table::time_point> armed_before;
  std::optional<coordinator_table::time_point> deadline;
  const auto at = now();
  {
    std::lock_guard guard{mutex};
    armed_before = coordinators.deadline(name);
    fired = coordinators.add(name, std::move(s), at);
    deadline = coordinators.deadline(name);
  }
  // One timer per quiet period: it re-arms itself if later adds moved the deadline.
  if (!armed_before && deadline)
    arm_timeout(name, *deadline - at);
  deliver(fired);
  std::lock_guard guard{mutex};
  return park();
}

void shaping_node::coordinator_leave(coordinator::detail::slot& s) {
  std::lock_guard guard{mutex};
  s.waiting = nullptr;
}

}  // namespace amoc::detail
