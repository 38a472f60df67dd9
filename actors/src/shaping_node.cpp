#include "shaping_node.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include <caf/actor_registry.hpp>

#include "amoc/actors.hpp"
#include "amoc/config.hpp"
#include "amoc/log.hpp"
#include "shaping_actor.hpp"

namespace amoc::detail {

shaping_node::shaping_node(caf::actor_system& sys, metrics::registry& registry)
    : throttles(&registry), sys_(sys) {}

shaping_node::~shaping_node() = default;

std::shared_ptr<shaping_node> shaping_node::create(caf::actor_system& sys,
                                                   metrics::registry& registry, bool managed) {
  auto node = std::make_shared<shaping_node>(sys, registry);
  node->actor_ = spawn_shaping_actor(sys, node, !managed);
  // A local run is its own authority; a worker node waits for the master's.
  if (!managed)
    node->authority_ = node->actor_;
  return node;
}

shaping_node::time_point shaping_node::now() const { return sys_.clock().now(); }

void shaping_node::send_op(const std::string& name, std::string op) {
  caf::actor to;
  {
    std::lock_guard guard{mutex};
    if (!authority_) {
      held_.emplace_back(name, std::move(op));
      return;
    }
    to = authority_;
  }
  caf::anon_send(to, atom::throttle_v, name, std::move(op));
}

void shaping_node::set_authority(caf::actor authority, std::uint64_t nodes) {
  decltype(held_) held;
  {
    std::lock_guard guard{mutex};
    authority_ = authority;
    throttles.set_nodes(nodes);
    held.swap(held_);
  }
  for (auto& [name, op] : held)
    caf::anon_send(authority, atom::throttle_v, name, std::move(op));
  // The rates are re-split: waiters go at the new pace.
  poke();
}

void shaping_node::poke() { caf::anon_send(actor_, atom::tick_v); }

void shaping_node::arm_timeout(const std::string& name, duration after) {
  caf::delayed_anon_send(actor_, after, atom::coordinate_v, name);
}

void shaping_node::deliver(coordinator_table::firing& fired) {
  for (auto& call : fired.calls) {
    try {
      call();
    } catch (const std::exception& e) {
      log::line(log::level::error, "coordinator action: ") << e.what();
    }
  }
  std::lock_guard guard{mutex};
  for (auto& [s, ev] : fired.grants)
    if (s->waiting)
      s->waiting->grant(ev);
}

void shaping_node::close() {
  coordinator_table::firing fired;
  {
    std::lock_guard guard{mutex};
    throttles.clear();
    fired = coordinators.clear();
  }
  deliver(fired);
  caf::anon_send_exit(actor_, caf::exit_reason::user_shutdown);
}

caf::atom_value agent_registry_key() { return caf::atom("agent"); }

caf::atom_value shaping_registry_key() { return caf::atom("shaping"); }

std::shared_ptr<shaping_node> start_shaping(caf::actor_system& sys, const config::store& store,
                                            metrics::registry& registry) {
  const bool managed = sys.registry().get(agent_registry_key()) != nullptr;
  auto node = shaping_node::create(sys, registry, managed);
  node->throttles.set_nodes(static_cast<std::uint64_t>(
    std::max<std::int64_t>(1, store.get<std::int64_t>("node_count", 1))));
  sys.registry().put(shaping_registry_key(), node->actor());
  return node;
}

void stop_shaping(caf::actor_system& sys, shaping_node& node) {
  if (sys.registry().get(shaping_registry_key())
      == caf::actor_cast<caf::strong_actor_ptr>(node.actor()))
    sys.registry().erase(shaping_registry_key());
  node.close();
}

}  // namespace amoc::detail
