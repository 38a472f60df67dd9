#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "amoc/actors.hpp"
#include "amoc/id_range.hpp"
#include "amoc/status.hpp"
#include "shipped_users.hpp"

namespace amoc::config {
class store;
}

namespace amoc::metrics {
class registry;
}

namespace amoc::detail {

/// A run's status without users: what both controllers start their answers from.
[[nodiscard]] status run_status(run_state state, const std::string& scenario,
                                std::uint64_t first_id, std::uint64_t next_id,
                                const std::string& error);

/// A run's life cycle on top of one user supervisor.
struct controller_state {
  static inline const char* name = "amoc.controller";

  explicit controller_state(controller_api::pointer self) : self(self) {}

  /// Fails unless the controller is in one of the given states.
  [[nodiscard]] caf::error require(std::initializer_list<run_state> allowed,
                                   const char* action) const;
  void enter(run_state next);
  /// Starts the scenario on the supervisor, then queues `ids`.
  caf::result<caf::ok_atom> start_run(const std::string& name, id_range ids);
  /// Ends the run once the supervisor agrees that no user is left.
  void finish_run();
  [[nodiscard]] status snapshot(user_counts users) const;

  controller_api::pointer self;
  supervisor_api supervisor;
  /// A worker node's agent: told when the node is idle, decides when the run finishes.
  node_agent_api manager;
  run_state state = run_state::idle;
  std::string scenario;
  std::string error;
  std::uint64_t first_id = 0;
  std::uint64_t next_id = 0;
  bool finishing = false;
  // The users' counts when the run finished: what `wait` answers.
  user_counts final_users;
  // Promises of `wait` requests, delivered when the run ends.
  std::vector<caf::response_promise> waiters;
};

using controller_actor = controller_api::stateful_pointer<controller_state>;

/// A node's controller; `shipped` holds a worker node's users-file rows from
/// its master (nullptr: the node reads the users file itself).
controller_api::behavior_type controller(controller_actor self, config::store* store,
                                         metrics::registry* registry, node_agent_api manager,
                                         std::shared_ptr<shipped_users> shipped);

}  // namespace amoc::detail
