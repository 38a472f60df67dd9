#pragma once

#include <memory>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "amoc/actors.hpp"
#include "amoc/execute.hpp"
#include "amoc/execution.hpp"
#include "amoc/metrics.hpp"
#include "run_follower.hpp"

namespace amoc {

/// What an executor needs: the node it drives and the record it writes.
struct executor_setup {
  control_api controller;  ///< a local node's controller or a master's cluster controller
  cluster_api cluster;     ///< a master's cluster controller (requests choosing nodes)
  bool distributed = false;
  const metrics::registry* registry =
    nullptr;  ///< a local node's metrics (a master asks its nodes)
  std::shared_ptr<execution> record;
  execute_options options;
  std::shared_ptr<run_follower> follower;
};

/// Spawns the executor of one run, on a thread of its own: a scenario that
/// holds every scheduler thread (a user that never yields) cannot stop it
/// from ending the run. It polls the controller, samples the metrics into
/// the run's time series (the one aggregator every output reads), follows
/// the run's plan and evaluates its thresholds, and writes it all to `record`.
[[nodiscard]] caf::actor spawn_executor(caf::actor_system& sys, executor_setup setup);

}  // namespace amoc
