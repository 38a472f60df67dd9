#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
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

/// A worker node's face to the network: the actor `amoc node` publishes. It
/// serves one master at a time, runs that master's share of a distributed run
/// on a local controller, and stops the users when the master goes away.
struct node_agent_state {
  static inline const char* name = "amoc.node_agent";

  explicit node_agent_state(node_agent_api::pointer self) : self(self) {}

  /// Replaces the previous master's run-time settings by `settings_json`.
  caf::error apply_settings(const std::string& settings_json);
  /// The master is gone: if its run is going on, stop it (`stop_orphaned_run`).
  void orphan();
  /// Stops every user now and ends the run once they are.
  void stop_orphaned_run();
  /// The gone master's run has ended (or was not going on): a new master's
  /// run that came meanwhile starts now.
  void cleaned_up();
  /// Logs the users-file rows that arrived since the last time.
  void log_shipped();

  node_agent_api::pointer self;
  std::string node_name;
  config::store* store = nullptr;
  metrics::registry* registry = nullptr;
  controller_api controller;
  std::shared_ptr<shipped_users> shipped;  // the master's users-file rows, for the supervisor
  cluster_api master;
  std::vector<std::string> applied_settings;
  std::vector<id_range> ids;    // given to this node in the current run
  bool orphaned = false;        // finish the run on idle: nobody else will
  // From a master's disappearance until its run has ended. A new master's
  // run that comes meanwhile waits in `after_cleanup`: started at once, the
  // controller would refuse it, the old run still going on.
  bool cleaning = false;
  std::vector<std::function<void()>> after_cleanup;
  std::string restarted_after;  // why the guard started this node again, until its next run
};

using node_agent_actor = node_agent_api::stateful_pointer<node_agent_state>;

node_agent_api::behavior_type node_agent(node_agent_actor self, std::string name,
                                         config::store* store, metrics::registry* registry);

}  // namespace amoc::detail
