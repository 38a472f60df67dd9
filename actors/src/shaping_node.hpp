#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

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
/// Scenario code reaches it through `current()`, which the supervisor sets
/// around `init()`/`terminate()` and each user around its coroutine's steps:
/// the public API (`amoc::throttle`, `amoc::coordinator`) is free functions,
/// as in the original.
class shaping_node : public std::enable_shared_from_this<shaping_node> {
public:
  using time_point = throttle_table::time_point;

  /// `managed`: a worker node of a distributed run, whose throttles the
  /// master defines; local runs define them here.
  [[nodiscard]] static std::shared_ptr<shaping_node>
  create(caf::actor_system& sys, metrics::registry& registry, bool managed);
  shaping_node(caf::actor_system& sys, metrics::registry& registry);
  ~shaping_node();

  /// The node of the scenario code running on this thread (throws std::logic_error).
  [[nodiscard]] static shaping_node& current();
  /// Sets `current()` for the lifetime of the scope.
  class scope {
  public:
    explicit scope(shaping_node* node) noexcept;
    ~scope();
    scope(const scope&) = delete;
    scope& operator=(const scope&) = delete;

  private:
    shaping_node* previous_;
  };

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
