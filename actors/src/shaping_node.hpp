#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include "amoc/shaping_service.hpp"
#include "coordinator_table.hpp"
#include "throttle_table.hpp"

namespace amoc::metrics {
class registry;
}

namespace amoc::config {
class store;
}

namespace amoc::detail {

/// The load-shaping state one run has on one node: its throttles and
/// coordinators, shared by the node's users under one lock, and the actor that
/// moves them in time (`shaping_actor`: ticks, timeouts, gradual changes).
///
/// Scenario code reaches it as the core's shaping service (`scope`, which the
/// supervisor sets around `init()`/`terminate()` and each user around its
/// coroutine's steps): the public API (`amoc::throttle`, `amoc::coordinator`)
/// is free functions in the core, as in the original.
class shaping_node final : public shaping_service,
                           public std::enable_shared_from_this<shaping_node> {
public:
  using time_point = throttle_table::time_point;

  /// `managed`: a worker node of a distributed run, whose throttles the
  /// master defines; local runs define them here.
  [[nodiscard]] static std::shared_ptr<shaping_node>
  create(caf::actor_system& sys, metrics::registry& registry, bool managed);
  shaping_node(caf::actor_system& sys, metrics::registry& registry);
  ~shaping_node();

  // The shaping service (amoc/shaping_service.hpp): shaping_service_impl.cpp.
  void throttle_start(const std::string& name, const throttle::limit& how) override;
  void throttle_change(const std::string& name, const throttle::limit& how) override;
  void throttle_change_gradually(const std::string& name, const throttle::limit& from,
                                 const throttle::limit& to, const throttle::gradual& plan) override;
  void throttle_pause(const std::string& name) override;
  void throttle_resume(const std::string& name) override;
  void throttle_unlock(const std::string& name) override;
  void throttle_stop(const std::string& name) override;
  bool throttle_acquire(const std::string& name, throttle::detail::request& r,
                        const std::function<void()>& park) override;
  void throttle_leave(const std::string& name, throttle::detail::request& r,
                      const bool& granted) override;
  void throttle_finished(const std::string& name) override;
  void coordinator_start(const std::string& name, coordinator::plan p, duration timeout) override;
  void coordinator_fire(const std::string& name, coordinator::event_type type) override;
  bool coordinator_join(const std::string& name, std::shared_ptr<coordinator::detail::slot> s,
                        const std::function<bool()>& park) override;
  void coordinator_leave(coordinator::detail::slot& s) override;

  [[nodiscard]] time_point now() const;
  /// Sends a throttle operation (JSON) to the authority: the master in a
  /// distributed run, this node's actor otherwise; held until it is known.
  void send_op(const std::string& name, std::string op);
  /// The authority is known (and how many nodes share the rates): sends the
  /// operations held until now.
  void set_authority(caf::actor authority, std::uint64_t nodes);
  /// Asks the actor to release waiters now (a queue was empty, a place freed).
  void poke();
  /// Runs what a coordinator step set off: its actions (without the lock),
  /// then resumes its users.
  void deliver(coordinator_table::firing& fired);
  /// Arms the timeout of coordinator `name` (its first waiting user arrived).
  void arm_timeout(const std::string& name, duration after);
  /// The run ended: stops the actor and lets every waiter go.
  void close();

  [[nodiscard]] const caf::actor& actor() const noexcept { return actor_; }

  std::mutex mutex;
  throttle_table throttles;        // guarded by mutex
  coordinator_table coordinators;  // guarded by mutex

private:
  caf::actor_system& sys_;
  caf::actor actor_;
  caf::actor authority_;                                   // guarded by mutex
  std::vector<std::pair<std::string, std::string>> held_;  // guarded by mutex
};

/// Names in the actor system's registry: a worker node's agent registers
/// itself (so a run knows the master defines its throttles), a run its
/// shaping actor (so the agent can forward the master's specs to it).
caf::atom_value agent_registry_key();
caf::atom_value shaping_registry_key();

/// Creates a run's shaping node: managed on a worker node, with the rates
/// split over the settings' `node_count`; registers its actor.
[[nodiscard]] std::shared_ptr<shaping_node>
start_shaping(caf::actor_system& sys, const config::store& store, metrics::registry& registry);
/// The run ended: unregisters and closes the node (waiters go).
void stop_shaping(caf::actor_system& sys, shaping_node& node);

}  // namespace amoc::detail
