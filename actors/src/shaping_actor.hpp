#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "throttle_authority.hpp"

namespace amoc::detail {

class shaping_node;

/// The actor that moves a node's throttles and coordinators in time, and the
/// throttle authority (definitions, gradual changes) of a local run or of a
/// master. Messages:
///
///   (tick)                         release the waiters that are due, arm the next tick
///   (coordinate, name)             a coordinator's timeout may have passed
///   (throttle, name, op_json)      an operation, to the authority
///   (step, name, generation)       the next step of a gradual change
///   (tspec, name, spec_json)       the authority's spec of a throttle, to a node
///   (shaping, authority, nodes)    to a node: who the authority is, how many share the rates
///   (nodes, [targets])             to the authority: where to publish specs
///
/// Time is the actor system's clock, so CAF's test scheduler drives every
/// rate, ramp and timeout in simulated time.
struct shaping_state {
  static inline const char* name = "amoc.shaping";

  explicit shaping_state(caf::event_based_actor* self) : self(self) {}

  void tick();
  void coordinator_timeout(const std::string& name);
  void apply_spec(const std::string& name, const std::string& spec_json);
  /// Publishes what an operation or step changed and arms the next step.
  void carry_out(const throttle_authority::effect& fx);
  void set_targets(std::vector<caf::actor> next);

  caf::event_based_actor* self;
  std::weak_ptr<shaping_node> node;  // empty on a master
  throttle_authority authority;
  std::vector<caf::actor> targets;  // who applies the specs (nodes, or itself)
  std::optional<std::chrono::steady_clock::time_point> armed;  // next tick
};

using shaping_actor = caf::stateful_actor<shaping_state>;

/// A node's actor; with `authority`, also the throttle authority of a local run.
[[nodiscard]] caf::actor spawn_shaping_actor(caf::actor_system& sys,
                                             std::weak_ptr<shaping_node> node, bool authority);

/// A master's throttle authority: publishes to the nodes it is told of with
/// `(nodes, [agents])`, which forward to their run's shaping actor.
[[nodiscard]] caf::actor spawn_throttle_authority(caf::actor_system& sys);

}  // namespace amoc::detail
