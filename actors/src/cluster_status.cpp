// What the cluster controller knows of its run: the nodes' statuses and
// metrics, gathered from every node that is up and merged with the books of
// nodes that went down.

#include <chrono>
#include <cstdio>

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "amoc/actors.hpp"
#include "cluster_controller.hpp"
#include "cluster_fanout.hpp"
#include "controller.hpp"

namespace amoc::detail {

std::string cluster_state::since_run_start() const {
  const auto s = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_started);
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", s.count());
  return text;
}

user_counts cluster_state::users_of(const node& n) const {
  auto users = n.booked;
  if (!n.in_run)
    return users;
  const auto& u = n.last.users;
  users.pending += u.pending;
  users.running += u.running;
  users.waiting += u.waiting;
  users.stopping += u.stopping;
  users.started += u.started;
  users.ended += u.ended;
  return users;
}

metrics::snapshot cluster_state::merged_metrics() const {
  metrics::snapshot total;
  for (const auto& n : nodes) {
    total.merge(n.booked_metrics);
    if (n.in_run)
      total.merge(n.metrics);
  }
  return total;
}

status cluster_state::snapshot() const {
  auto result = run_status(state, scenario, first_id, next_id, error);
  result.comment = comment;
  for (const auto& n : nodes) {
    const auto u = users_of(n);
    auto shown = n.last;
    if (shown.error.empty())
      shown.error = n.incident;
    // A node outside this run shows its own last run, unless it lost users in this one.
    if (n.in_run || n.booked.started > 0) {
      shown.users = u;
      shown.counters = n.booked_metrics.counters;
      if (n.in_run)
        for (const auto& [name, total] : n.metrics.counters)
          shown.counters[name] += total;
    }
    result.users.pending += u.pending;
    result.users.running += u.running;
    result.users.waiting += u.waiting;
    result.users.stopping += u.stopping;
    result.users.started += u.started;
    result.users.ended += u.ended;
    result.nodes.push_back(std::move(shown));
  }
  return result;
}

void cluster_state::refresh(std::function<void()> then) {
  ask_all<node_status>(
    *this, up_nodes(),
    [this, then = std::move(then)](replies<node_status>& rs) {
      for (auto& [i, r] : rs) {
        if (!r)
          continue;
        auto& last = nodes[i].last;
        r->address = last.address;
        last = std::move(*r);
      }
      then();
    },
    atom::status_v);
}

caf::result<status> cluster_state::current_status() {
  auto rp = self->make_response_promise<status>();
  refresh([this, rp]() mutable { rp.deliver(snapshot()); });
  return rp;
}

caf::result<status> cluster_state::wait_for_end() {
  if (state != run_state::running && state != run_state::terminating)
    return snapshot();
  auto rp = self->make_response_promise<status>();
  waiters.push_back(rp);
  return rp;
}

// Every node's metrics merged: counters summed, histograms merged. A node
// that went down counts with its last snapshot, so nothing it did is lost.
caf::result<metrics::snapshot> cluster_state::nodes_metrics() {
  auto rp = self->make_response_promise<metrics::snapshot>();
  ask_all<metrics::snapshot>(
    *this, up_in_run(),
    [this, rp](replies<metrics::snapshot>& rs) mutable {
      // A node that cannot answer (or sent a snapshot that did not load) keeps its last one.
      for (auto& [i, r] : rs)
        if (r)
          nodes[i].metrics = std::move(*r);
      rp.deliver(merged_metrics());
    },
    atom::metrics_v);
  return rp;
}

}  // namespace amoc::detail
