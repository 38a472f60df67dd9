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
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "amoc/error.hpp"
#include "amoc/id_range.hpp"
#include "amoc/snapshot_wire.hpp"
#include "amoc/status.hpp"
#include "amoc/users_file.hpp"

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
CAF_ADD_ATOM(amoc, amoc::atom, users, "users")
CAF_ADD_ATOM(amoc, amoc::atom, upload, "upload")
CAF_ADD_ATOM(amoc, amoc::atom, wait, "wait")
// Load shaping (throttles, coordinators): shaping_actor.hpp
CAF_ADD_ATOM(amoc, amoc::atom, throttle, "throttle")
CAF_ADD_ATOM(amoc, amoc::atom, tspec, "tspec")
CAF_ADD_ATOM(amoc, amoc::atom, shaping, "shaping")
CAF_ADD_ATOM(amoc, amoc::atom, nodes, "nodes")
CAF_ADD_ATOM(amoc, amoc::atom, step, "step")
CAF_ADD_ATOM(amoc, amoc::atom, coordinate, "coordinate")
CAF_ADD_ATOM(amoc, amoc::atom, ended, "ended")
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

/// Per node name, "ok" or why not (in name order): the answer of an upload.
using node_outcomes = std::vector<std::pair<std::string, std::string>>;

// Message protocol: the typed interfaces below (CAF checks at compile time
// that every handler and every request matches them). Replies follow `->`;
// a request may also be answered by an error (amoc::ec, amoc::exit).

/// The run control every controller answers, the local one and a master's
/// cluster controller alike: what the runtime and the run executor send.
///   (run, scenario, first, last)  -> ok: starts users first..last
///   (add, n)                      -> ok: n more users, the next ids
///   (remove, n, force)            -> uint64 removed: the newest n users
///   (stop, force)                 -> ok: removes every user, then the run finishes
///   (update, settings_json)       -> ok: a live settings update (amoc/config_update.hpp)
///   (status)                      -> amoc::status
///   (wait)                        -> amoc::status once the run is finished or failed
///   (idle)                        no reply: from where its users run, none is left
using control_api = caf::typed_actor<
  caf::replies_to<atom::run, std::string, std::uint64_t, std::uint64_t>::with<caf::ok_atom>,
  caf::replies_to<atom::add, std::uint64_t>::with<caf::ok_atom>,
  caf::replies_to<atom::remove, std::uint64_t, bool>::with<std::uint64_t>,
  caf::replies_to<atom::stop, bool>::with<caf::ok_atom>,
  caf::replies_to<atom::update, std::string>::with<caf::ok_atom>,
  caf::replies_to<atom::status>::with<status>, caf::replies_to<atom::wait>::with<status>,
  caf::reacts_to<atom::idle>>;

/// A node's controller: the run control, plus a worker node's share of a
/// distributed run (from its node agent).
///   (run, scenario, id_range)     -> ok: may be empty (more nodes than users)
///   (add, id_range)               -> ok
///   (finish)                      -> ok: a managed node ends its run when told
using controller_api =
  control_api::extend<caf::replies_to<atom::run, std::string, id_range>::with<caf::ok_atom>,
                      caf::replies_to<atom::add, id_range>::with<caf::ok_atom>,
                      caf::replies_to<atom::finish>::with<caf::ok_atom>>;

/// The master of a distributed run: the run control (on every node that is
/// up), plus the forms that choose nodes (empty: all of them).
///   (run, scenario, first, last, nodes, comment) -> ok
///   (add, n, nodes)               -> ok
///   (remove, n, force, nodes)     -> uint64 removed
///   (update, settings_json, nodes) -> ok: on the chosen (or all) nodes of the run;
///                                    outside a run only stored for the next one
///   (metrics)                     -> metrics::snapshot: all nodes of the run merged
///   (upload, file_name, bytes)    -> node_outcomes (node, "ok" | why): ships a plugin to
///                                    every node that is up, and to nodes attaching later
///   (connect, node), (link, node, fd | why): its own link events
using cluster_api = control_api::extend<
  caf::replies_to<atom::run, std::string, std::uint64_t, std::uint64_t, std::vector<std::string>,
                  std::string>::with<caf::ok_atom>,
  caf::replies_to<atom::add, std::uint64_t, std::vector<std::string>>::with<caf::ok_atom>,
  caf::replies_to<atom::remove, std::uint64_t, bool, std::vector<std::string>>::with<std::uint64_t>,
  caf::replies_to<atom::update, std::string, std::vector<std::string>>::with<caf::ok_atom>,
  caf::replies_to<atom::metrics>::with<metrics::snapshot>,
  caf::replies_to<atom::upload, std::string, std::string>::with<node_outcomes>,
  caf::reacts_to<atom::connect, std::uint64_t>, caf::reacts_to<atom::link, std::uint64_t, int>,
  caf::reacts_to<atom::link, std::uint64_t, std::string>>;

/// A worker node's agent, published by `amoc node`: the master's requests.
///   (attach, master)              -> node name, or an error when another master owns the node
///   (run, scenario, settings_json, id_range) -> ok: applies the master's run-time settings
///   (add, ids), (remove, n, force), (stop, force), (update, settings_json), (finish)
///                                 as the controller
///   (status)                      -> node_status
///   (metrics)                     -> metrics::snapshot of its registry
///   (upload, file_name, bytes)    -> scenario names: writes a built plugin to its
///                                    upload folder and loads it (replacing those names)
///   (shaping, authority, nodes), (tspec, name, spec): from the master's throttle
///                                    authority, for the current run (shaping_node.hpp)
///   (users, next_run, block)      rows of the master's users file for this node: for
///                                    the next `run` (next_run) or the next `add`
///   (idle)                        from its controller; it tells its master
using node_agent_api = caf::typed_actor<
  caf::replies_to<atom::attach, caf::actor>::with<std::string>,
  caf::replies_to<atom::run, std::string, std::string, id_range>::with<caf::ok_atom>,
  caf::replies_to<atom::add, id_range>::with<caf::ok_atom>,
  caf::replies_to<atom::remove, std::uint64_t, bool>::with<std::uint64_t>,
  caf::replies_to<atom::stop, bool>::with<caf::ok_atom>,
  caf::replies_to<atom::update, std::string>::with<caf::ok_atom>,
  caf::replies_to<atom::finish>::with<caf::ok_atom>,
  caf::replies_to<atom::status>::with<node_status>,
  caf::replies_to<atom::metrics>::with<metrics::snapshot>,
  caf::replies_to<atom::upload, std::string, std::string>::with<std::vector<std::string>>,
  caf::reacts_to<atom::shaping, caf::actor, std::uint64_t>,
  caf::reacts_to<atom::tspec, std::string, std::string>,
  caf::reacts_to<atom::users, bool, users::block>, caf::reacts_to<atom::idle>>;

/// A node's user supervisor, driven by its controller; it sends (idle) to
/// that controller when no user is alive or pending.
///   (start, scenario, ids)        -> ok: validates settings and the users file, runs
///                                    init(), queues the users of `ids` for spawning
///   (add, ids)                    -> ok: queues the users of `ids` (refused past the
///                                    users file's last row)
///   (remove, n, force)            -> uint64 removed: newest n users (pending first)
///   (update, settings_json)       -> ok: a live settings update
///   (status)                      -> user_counts
///   (stop)                        -> user_counts: runs terminate(); only when no user is left
///   (remove), (spawn)             its own: the next batch of a removal, users due
using supervisor_api =
  caf::typed_actor<caf::replies_to<atom::start, std::string, id_range>::with<caf::ok_atom>,
                   caf::replies_to<atom::add, id_range>::with<caf::ok_atom>,
                   caf::replies_to<atom::remove, std::uint64_t, bool>::with<std::uint64_t>,
                   caf::replies_to<atom::update, std::string>::with<caf::ok_atom>,
                   caf::replies_to<atom::status>::with<user_counts>,
                   caf::replies_to<atom::stop>::with<user_counts>, caf::reacts_to<atom::remove>,
                   caf::reacts_to<atom::spawn>, caf::reacts_to<atom::ended>>;

/// Publishes a node agent on host:port over `links`; returns the port.
[[nodiscard]] caf::expected<std::uint16_t>
publish_agent(caf::actor_system& sys, links::link_service& links, const node_agent_api& agent,
              const std::string& host, std::uint16_t port);

/// Spawns a controller together with its own local user supervisor (linked to
/// it); users record into `registry`, which must outlive the node.
[[nodiscard]] controller_api spawn_local_node(caf::actor_system& sys, config::store& store,
                                              metrics::registry& registry);

/// Spawns a worker node's agent (with its managed controller and supervisor).
[[nodiscard]] node_agent_api spawn_node_agent(caf::actor_system& sys, std::string name,
                                              config::store& store, metrics::registry& registry);

/// Spawns the master of a distributed run over the worker nodes at `addresses`
/// ("host:port"); it connects to each, retrying every second.
[[nodiscard]] cluster_api spawn_cluster(caf::actor_system& sys, config::store& store,
                                        std::shared_ptr<links::link_service> links,
                                        std::vector<std::string> addresses);

}  // namespace amoc
