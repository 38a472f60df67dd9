#include "shaping_actor.hpp"

#include <caf/actor_system.hpp>

#include "amoc/actors.hpp"
#include "amoc/log.hpp"
#include "shaping_node.hpp"

namespace amoc::detail {

void shaping_state::tick() {
  auto n = node.lock();
  if (!n)
    return;
  const auto now = self->clock().now();
  std::optional<std::chrono::steady_clock::time_point> next;
  {
    std::lock_guard guard{n->mutex};
    next = n->throttles.release_due(now);
  }
  if (armed && *armed <= now)
    armed.reset();
  // One pending tick at a time, at the earliest slot; a later one would only
  // re-arm. An earlier need arrives as a poke.
  if (next && (!armed || *next < *armed)) {
    armed = next;
    self->delayed_send(self, *next - now, atom::tick_v);
  }
}

void shaping_state::coordinator_timeout(const std::string& name) {
  auto n = node.lock();
  if (!n)
    return;
  const auto now = self->clock().now();
  coordinator_table::firing fired;
  {
    std::lock_guard guard{n->mutex};
    auto due = n->coordinators.deadline(name);
    if (!due)
      return;
    if (*due > now) {  // an add moved it: check again then
      self->delayed_send(self, *due - now, atom::coordinate_v, name);
      return;
    }
    fired = n->coordinators.fire(name, coordinator::event_type::timeout);
  }
  n->deliver(fired);
}

void shaping_state::apply_spec(const std::string& name, const std::string& spec_json) {
  auto n = node.lock();
  if (!n)
    return;
  {
    std::lock_guard guard{n->mutex};
    n->throttles.apply(name, spec_from_json(spec_json), self->clock().now());
  }
  tick();
}

void shaping_state::carry_out(const throttle_authority::effect& fx) {
  for (const auto& [name, spec] : fx.publish) {
    auto text = spec_to_json(spec);
    for (const auto& t : targets)
      if (t == self)
        apply_spec(name, text);
      else
        self->send(t, atom::tspec_v, name, text);
  }
  if (fx.step_after && !fx.publish.empty())
    self->delayed_send(self, fx.step_after->first, atom::step_v, fx.publish.front().first,
                       fx.step_after->second);
}

void shaping_state::set_targets(std::vector<caf::actor> next) {
  targets = std::move(next);
  const auto count = static_cast<std::uint64_t>(targets.size());
  auto me = caf::actor_cast<caf::actor>(self);
  for (const auto& t : targets) {
    if (t == self)
      continue;
    self->send(t, atom::shaping_v, me, count);
    for (const auto& [name, spec] : authority.specs())
      self->send(t, atom::tspec_v, name, spec_to_json(spec));
  }
}

namespace {

caf::behavior shaping_behavior(shaping_actor* self, std::weak_ptr<shaping_node> node,
                               bool authority) {
  self->state.node = std::move(node);
  if (authority)
    self->state.targets.push_back(caf::actor_cast<caf::actor>(self));
  return {
    [self](atom::tick) { self->state.tick(); },
    [self](atom::coordinate, const std::string& name) { self->state.coordinator_timeout(name); },
    [self](atom::throttle, const std::string& name, const std::string& op) {
      try {
        self->state.carry_out(self->state.authority.apply(name, throttle_op::from_json(op)));
      } catch (const std::exception& e) {
        log::line(log::level::error, "throttle ") << name << ": " << e.what();
      }
    },
    [self](atom::step, const std::string& name, std::uint64_t generation) {
      self->state.carry_out(self->state.authority.step(name, generation));
    },
    [self](atom::tspec, const std::string& name, const std::string& spec) {
      self->state.apply_spec(name, spec);
    },
    [self](atom::shaping, const caf::actor& authority, std::uint64_t nodes) {
      if (auto n = self->state.node.lock())
        n->set_authority(authority, nodes);
    },
    // A master's run started, or its nodes changed: a new run forgets the
    // previous run's throttles.
    [self](atom::nodes, std::vector<caf::actor> targets, bool new_run) {
      if (new_run)
        self->state.authority.clear();
      self->state.set_targets(std::move(targets));
    },
  };
}

}  // namespace

caf::actor spawn_shaping_actor(caf::actor_system& sys, std::weak_ptr<shaping_node> node,
                               bool authority) {
  return sys.spawn(shaping_behavior, std::move(node), authority);
}

caf::actor spawn_throttle_authority(caf::actor_system& sys) {
  return sys.spawn(shaping_behavior, std::weak_ptr<shaping_node>{}, false);
}

}  // namespace amoc::detail
