#pragma once

/// The actors of one amoc node and the messages they understand (CAF 0.17).
///
///   controller ──► user_supervisor ──► user, user, user, ...
///
/// The controller owns a run's life cycle (idle → running → terminating →
/// finished, or error). The user supervisor runs the scenario on its node:
/// `init()`, spawning users one `interarrival` apart, add/remove, counting
/// users by state and by end reason, `terminate()`. Each user is one actor
/// running the scenario coroutine.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/fwd.hpp>
#include <caf/expected.hpp>
#include <caf/type_id.hpp>

#include "amoc/error.hpp"
#include "amoc/status.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(amoc, caf::first_custom_type_id)
CAF_ADD_ATOM(amoc, amoc::atom, add, "add")
CAF_ADD_ATOM(amoc, amoc::atom, attach, "attach")
CAF_ADD_ATOM(amoc, amoc::atom, connect, "connect")
CAF_ADD_ATOM(amoc, amoc::atom, finish, "finish")
CAF_ADD_ATOM(amoc, amoc::atom, idle, "idle")
CAF_ADD_ATOM(amoc, amoc::atom, link, "link")
CAF_ADD_ATOM(amoc, amoc::atom, metrics, "metrics")
CAF_ADD_ATOM(amoc, amoc::atom, remove, "remove")
CAF_ADD_ATOM(amoc, amoc::atom, run, "run")
CAF_ADD_ATOM(amoc, amoc::atom, spawn, "spawn")
CAF_ADD_ATOM(amoc, amoc::atom, start, "start")
CAF_ADD_ATOM(amoc, amoc::atom, status, "status")
CAF_ADD_ATOM(amoc, amoc::atom, stop, "stop")
CAF_ADD_ATOM(amoc, amoc::atom, tick, "tick")
CAF_ADD_ATOM(amoc, amoc::atom, update, "update")
CAF_ADD_ATOM(amoc, amoc::atom, upload, "upload")
CAF_ADD_ATOM(amoc, amoc::atom, wait, "wait")
CAF_ADD_ATOM(amoc, amoc::atom, wake, "wake")
// Load shaping (throttles, coordinators): shaping_actor.hpp
CAF_ADD_ATOM(amoc, amoc::atom, throttle, "throttle")
CAF_ADD_ATOM(amoc, amoc::atom, tspec, "tspec")
CAF_ADD_ATOM(amoc, amoc::atom, shaping, "shaping")
CAF_ADD_ATOM(amoc, amoc::atom, nodes, "nodes")
CAF_ADD_ATOM(amoc, amoc::atom, step, "step")
CAF_ADD_ATOM(amoc, amoc::atom, coordinate, "coordinate")
CAF_END_TYPE_ID_BLOCK(amoc)

namespace amoc::config {
class store;
}

namespace amoc::metrics {
class registry;
}

namespace amoc {

namespace links {
class link_service;
}

/// Registers amoc's message types and error categories with an actor system config.
void add_message_types(caf::actor_system_config& cfg);

/// Configures a production node: message types, and amoc's work-sharing
/// scheduler with `threads` workers (0: one per core). Tests use CAF's
/// `testing` policy instead.
void configure_node(caf::actor_system_config& cfg, std::size_t threads);

/// Adds CAF's middleman for node links (its BASP protocol over amoc's own
/// transport, `amoc/link_service.hpp`), with heartbeats so that a hung peer
/// is noticed.
void configure_links(caf::actor_system_config& cfg);

/// Publishes a node agent on host:port over `links`; returns the port.
[[nodiscard]] caf::expected<std::uint16_t> publish_agent(caf::actor_system& sys,
                                                         links::link_service& links,
                                                         const caf::actor& agent,
                                                         const std::string& host,
                                                         std::uint16_t port);

// Message protocol (untyped actors; replies in brackets):
//
// user_supervisor
//   (start, scenario)          -> [ok] or error: validates settings, runs init()
//   (add, first, last)         -> no reply: queues users first..last for spawning
//   (remove, n, force)         -> [uint64 removed]: newest n users (pending first)
//   (status)                   -> [user_counts]
//   (update, settings_json)    -> [ok] or error: a live settings update (amoc/config_update.hpp)
//   (stop)                     -> [user_counts]: runs terminate(); only when no user is left
//   sends (idle) to its listener when no user is alive or pending
//
// controller
//   (run, scenario, first, last) -> [ok] or error
//   (add, n)                     -> [ok] or error
//   (remove, n, force)           -> [uint64 removed] or error
//   (stop, force)                -> [ok] or error: removes every user, then finishes
//   (status)                     -> [amoc::status]
//   (wait)                       -> [amoc::status] once the run is finished or failed
//   (run, scenario, id_range)    -> [ok]: a worker node's share of a distributed run
//   (add, id_range)              -> [ok]
//   (update, settings_json)      -> [ok] or error: relayed to the supervisor
//   (finish)                     -> [ok] or error: a managed node ends its run when told
//
// node agent (published by `amoc node`; the master's requests)
//   (attach, master)             -> [node name] or error when another master owns the node
//   (run, scenario, settings_json, id_range) -> [ok]: applies the master's run-time settings
//   (add, id_range), (remove, n, force), (stop, force), (update, settings_json),
//   (finish) as the controller
//   (status)                     -> [node_status]
//   (metrics)                    -> [snapshot as JSON text]
//   (upload, file_name, bytes)   -> [scenario names]: writes a built plugin to its
//                                   upload folder and loads it (replacing those names)
//   sends (idle) to its master when no user is left
//
// cluster controller (the master; the controller's protocol, plus)
//   (run, scenario, first, last, nodes, comment) -> [ok] or error
//   (add, n, nodes)              -> [ok] or error
//   (update, settings_json, nodes) -> [ok] or error: on the chosen (or all) nodes of the run;
//                                   outside a run only stored for the next one
//   (metrics)                    -> [merged snapshot of all nodes as JSON text]
//   (upload, file_name, bytes)   -> [JSON text {node: "ok" | why}]: ships a plugin to
//                                   every node that is up, and to nodes attaching later

/// Spawns a controller together with its own local user supervisor (linked to
/// it); users record into `registry`, which must outlive the node.
[[nodiscard]] caf::actor spawn_local_node(caf::actor_system& sys, config::store& store,
                                          metrics::registry& registry);

/// Spawns a worker node's agent (with its managed controller and supervisor).
[[nodiscard]] caf::actor spawn_node_agent(caf::actor_system& sys, std::string name,
                                          config::store& store, metrics::registry& registry);

/// Spawns the master of a distributed run over the worker nodes at `addresses`
/// ("host:port"); it connects to each, retrying every second.
[[nodiscard]] caf::actor spawn_cluster(caf::actor_system& sys, config::store& store,
                                       std::shared_ptr<links::link_service> links,
                                       std::vector<std::string> addresses);

}  // namespace amoc
