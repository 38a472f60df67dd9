#pragma once

// The inside of `amoc::runtime`, shared by its files (runtime.cpp: control
// requests; launch.cpp: runs handed to an executor).

#include <memory>
#include <mutex>
#include <stdexcept>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include "amoc/actors.hpp"
#include "amoc/execution.hpp"
#include "amoc/link_service.hpp"
#include "amoc/runtime.hpp"

namespace amoc {

namespace detail {

struct node_config : caf::actor_system_config {
  explicit node_config(const runtime::options& opts) {
    configure_node(*this, opts.threads);
    if (!opts.nodes.empty())
      configure_links(*this);
  }
};

// Node links for a master, started before its actor system: certificates
// that cannot be used fail the constructor, naming the file.
inline std::shared_ptr<links::link_service> start_links(const runtime::options& opts) {
  if (opts.nodes.empty())
    return nullptr;
  auto started = links::link_service::start({opts.security});
  if (!started)
    throw std::invalid_argument(render(started.error()));
  return std::move(*started);
}

}  // namespace detail

struct runtime::impl {
  explicit impl(const options& opts)
      : store(opts.store ? *opts.store : config::global()), links(detail::start_links(opts)),
        cfg(opts), sys(cfg), distributed(!opts.nodes.empty()),
        cluster(distributed ? spawn_cluster(sys, store, links, opts.nodes) : cluster_api{}),
        controller(distributed ? control_api{cluster}
                               : control_api{spawn_local_node(sys, store, metrics)}) {}

  ~impl() {
    // A run's executor ends first: its waiters are told, its requests stop.
    if (executor)
      caf::anon_send_exit(executor, caf::exit_reason::user_shutdown);
    // The supervisor, linked to the controller, force-stops its users as it
    // goes, so the actor system's shutdown does not wait for them.
    caf::anon_send_exit(controller, caf::exit_reason::user_shutdown);
    // The link thread hands connections to the actor system: it ends first.
    if (links)
      links->stop();
  }

  config::store& store;
  metrics::registry metrics;
  std::shared_ptr<links::link_service> links;
  detail::node_config cfg;
  caf::actor_system sys;
  bool distributed;
  /// A master's cluster controller, for the requests that choose nodes; none on a local node.
  cluster_api cluster;
  /// The run control (control_api): the local controller, or the cluster controller.
  control_api controller;
  /// One launch at a time (a start may wait long for the scenario's init()).
  std::mutex launch_mutex;
  /// The run launched last and its executor (amoc/execution.hpp), read by
  /// front doors while a launch waits.
  mutable std::mutex record_mutex;
  std::shared_ptr<execution> last_execution;
  caf::actor executor;
};

}  // namespace amoc
