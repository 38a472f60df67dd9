// The cluster controller's links to its nodes and their membership in a run:
// dialling, attaching, losing a node and booking what it had, joining late.

#include <algorithm>
#include <chrono>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "amoc/actors.hpp"
#include "amoc/link_service.hpp"
#include "amoc/log.hpp"
#include "cluster_controller.hpp"
#include "cluster_fanout.hpp"
#include "links/basp_handoff.hpp"

namespace amoc::detail {

namespace {

using namespace std::chrono_literals;

constexpr auto link_retry_interval = 1s;

// A node's link went down: its users are gone with it. They are booked as
// ended by node_lost (status and the users.ended.node_lost counter), its
// gauges drop to 0, and what its users recorded stays in the run's metrics.
void book_losses(cluster_state::node& n) {
  auto u = n.last.users;
  // Every user it started and did not see end, also those just spawned that
  // it had not counted as running yet.
  const auto lost = u.started - std::min(u.started, u.ended_total());
  u.ended.node_lost += lost;
  u.running = u.waiting = u.stopping = u.pending = 0;
  n.booked.started += u.started;
  n.booked.ended += u.ended;
  for (auto& [name, value] : n.metrics.gauges)
    value = 0;
  n.metrics.counters["users.ended.node_lost"] += lost;
  n.booked_metrics.merge(n.metrics);
  n.last.users = {};
  n.metrics = {};
}

}  // namespace

void cluster_state::connect(std::size_t i) {
  auto& n = nodes[i];
  if (n.agent || n.connecting)
    return;
  n.connecting = true;
  links->dial(n.host, n.port,
              [me = caf::actor_cast<caf::actor>(self),
               i](caf::expected<amoc::links::link_service::connection> c) {
                // On the link thread: the rest happens in the actor.
                const auto index = static_cast<std::uint64_t>(i);
                if (c)
                  caf::anon_send(me, atom::link_v, index, c->fd);
                else
                  caf::anon_send(me, atom::link_v, index, context_of(c.error()));
              });
}

void cluster_state::on_link(std::size_t i, int fd) {
  self
    ->request(basp, caf::infinite, caf::connect_atom_v, amoc::links::scribe_for(self->system(), fd),
              nodes[i].port)
    .then(
      [this, i](const caf::node_id&, caf::strong_actor_ptr& ptr, const std::set<std::string>&) {
        auto& n = nodes[i];
        n.connecting = false;
        if (!ptr)
          return on_unreachable(i, make_error(ec::node_unavailable, "no node agent published"));
        n.agent = caf::actor_cast<node_agent_api>(ptr);
        self->monitor(n.agent);
        ask<std::string>(
          *this, i,
          [this, i](caf::expected<std::string> name) {
            if (name)
              on_attached(i, *name);
            else if (nodes[i].agent)
              on_unreachable(i, name.error());
          },
          atom::attach_v, caf::actor_cast<caf::actor>(self));
      },
      [this, i](caf::error& err) {
        nodes[i].connecting = false;
        on_unreachable(i, err);
      });
}

void cluster_state::on_attached(std::size_t i, const std::string& name) {
  auto& n = nodes[i];
  n.attached = true;
  n.last.name = name;
  n.last.up = true;
  n.last.error.clear();
  n.lost.clear();
  n.unreachable.clear();
  log::line(log::level::info, "node ") << name << " (" << n.address << ") is up";
  // A node its guard restarted says why (until its next run): the crash is
  // the reason its link went down.
  ask<node_status>(
    *this, i,
    [this, i](caf::expected<node_status> st) {
      if (!st || st->error.rfind("restarted after a crash", 0) != 0)
        return;
      nodes[i].incident = st->error;
      log::line(log::level::warning, "node ") << nodes[i].last.name << " " << st->error;
    },
    atom::status_v);
  ship_plugins(i);  // before it may join the run: it may need them
  if (all_nodes && (state == run_state::running))
    join_late(i);
}

void cluster_state::on_unreachable(std::size_t i, const caf::error& why) {
  auto& n = nodes[i];
  auto text = render(why);
  if (n.unreachable != text)
    log::line(log::level::warning, "node ") << n.address << " unreachable: " << text;
  n.unreachable = text;
  n.last.error = n.lost.empty() ? std::move(text) : n.lost + "; reconnecting: " + text;
  if (n.agent) {
    self->demonitor(n.agent.address());
    n.agent = nullptr;
  }
  self->delayed_send(self, link_retry_interval, atom::connect_v, static_cast<std::uint64_t>(i));
}

void cluster_state::on_down(std::size_t i) {
  auto& n = nodes[i];
  const bool was_attached = n.attached;
  n.agent = nullptr;
  n.attached = false;
  n.last.up = false;
  n.lost = "link lost " + since_run_start() + " into the run";
  n.last.error = n.lost;
  if (n.in_run)
    book_losses(n);
  n.idle = true;
  auto pending = std::move(n.pending);
  n.pending.clear();
  for (auto& [token, fail] : pending)
    fail(make_error(exit::node_lost, "node " + n.last.name + " went down"));
  if (was_attached)
    log::line(log::level::warning, "node ") << n.last.name << " (" << n.address << ") is down";
  self->delayed_send(self, link_retry_interval, atom::connect_v, static_cast<std::uint64_t>(i));
  if (was_attached && std::exchange(n.in_run, false))
    update_shaping(false);
  check_finished();
}

void cluster_state::join_late(std::size_t i) {
  ship_usernames(i);
  ask<caf::ok_atom>(
    *this, i,
    [this, i](caf::expected<caf::ok_atom> r) {
      if (r) {
        // A new part of the run on this node: what it said before is in its books.
        nodes[i].in_run = true;
        nodes[i].last.users = {};
        nodes[i].metrics = {};
        update_shaping(false);
        log::line(log::level::info, "node ") << nodes[i].last.name << " joined the run";
      } else {
        nodes[i].last.error = render(r.error());
      }
    },
    atom::run_v, scenario, settings, id_range{next_id, 0, 1});
}

}  // namespace amoc::detail
