// A distributed run's life cycle on the cluster controller: the control
// requests (run, add, remove, stop, update) spread over the nodes, and the
// run's end once every node of it is idle.

#include <algorithm>
#include <chrono>

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "amoc/actors.hpp"
#include "amoc/config.hpp"
#include "amoc/config_update.hpp"
#include "amoc/log.hpp"
#include "cluster_controller.hpp"
#include "cluster_fanout.hpp"
#include "round_robin.hpp"

namespace amoc::detail {

caf::error cluster_state::require(std::initializer_list<run_state> allowed,
                                  const char* action) const {
  if (std::find(allowed.begin(), allowed.end(), state) != allowed.end())
    return {};
  return make_error(ec::wrong_state,
                    std::string{"cannot "} + action + " while the run is " + to_string(state));
}

void cluster_state::enter(run_state next) {
  state = next;
  if (!is_final(next))
    return;
  for (auto& rp : waiters)
    rp.deliver(snapshot());
  waiters.clear();
}

caf::result<caf::ok_atom> cluster_state::start_run(const std::string& name, std::uint64_t first,
                                                   std::uint64_t last,
                                                   const std::vector<std::string>& filter,
                                                   const std::string& note) {
  if (auto err = require({run_state::idle, run_state::finished, run_state::error}, "start"))
    return err;
  if (first > last)
    return make_error(ec::invalid_argument, "empty user range: first id " + std::to_string(first)
                                              + " > last id " + std::to_string(last));
  auto chosen = choose(filter, false);
  if (!chosen)
    return chosen.error();
  // Before any node hears of the run: a bad users file changes nothing.
  if (auto err = load_users(first, last))
    return err;
  scenario = name;
  comment = note;
  error.clear();
  auto values = store->runtime_values();
  values["node_count"] = chosen->size();
  settings = values.dump();
  first_id = first;
  next_id = last + 1;
  run_started = std::chrono::steady_clock::now();
  all_nodes = filter.empty();
  batches = {{first, last - first + 1, *chosen}};
  removed_gracefully = removed_by_force = 0;
  for (auto& n : nodes) {
    n.in_run = false;
    n.idle = true;
    n.metrics = {};
    n.booked = {};
    n.booked_metrics = {};
    n.lost.clear();
    n.incident.clear();
    n.last.users = {};
    n.last.ids.clear();
    n.last.scenario = name;
  }
  enter(run_state::running);
  log::line(log::level::info, "run ")
    << name << " users " << first << ".." << last << " on " << chosen->size() << " node(s)"
    << (note.empty() ? "" : ": " + note);
  auto rp = self->make_response_promise<caf::ok_atom>();
  const auto& b = batches.back();
  for (std::size_t k = 0; k < chosen->size(); ++k) {
    auto& n = nodes[(*chosen)[k]];
    n.in_run = true;
    n.idle = false;
    n.last.ids.push_back(share_of(b.first, b.count, k, b.nodes.size()));
  }
  auto collect = collector<caf::ok_atom>(chosen->size(), [this, rp](auto& rs) mutable {
    auto failed = failures(*this, rs);
    if (failed.empty()) {
      update_shaping(true);
      rp.deliver(caf::ok_atom::value);
      return;
    }
    // All or nothing: the nodes that started stop again.
    for (const auto& [i, r] : rs)
      if (r && nodes[i].agent)
        caf::anon_send(nodes[i].agent, atom::stop_v, true);
    error = failed;
    enter(run_state::error);
    rp.deliver(make_error(ec::scenario_init_failed, failed));
  });
  for (auto i : *chosen) {
    // The rows go ahead of the run on the same link, so they arrive first.
    ship_usernames(i);
    ship_rows(i, nodes[i].last.ids.back(), true);
    ask<caf::ok_atom>(*this, i, collect(i), atom::run_v, name, settings, nodes[i].last.ids.back());
  }
  return rp;
}

caf::result<caf::ok_atom> cluster_state::add_users(std::uint64_t n,
                                                   const std::vector<std::string>& filter) {
  if (auto err = require({run_state::running}, "add users"))
    return err;
  if (n == 0)
    return make_error(ec::invalid_argument, "add needs at least one user");
  auto chosen = choose(filter, filter.empty());
  if (!chosen)
    return chosen.error();
  if (auto err = check_users(first_id, next_id + n - 1))
    return err;
  batches.push_back({next_id, n, *chosen});
  next_id += n;
  const auto& b = batches.back();
  auto rp = self->make_response_promise<caf::ok_atom>();
  auto collect = collector<caf::ok_atom>(chosen->size(), [this, rp](auto& rs) mutable {
    auto failed = failures(*this, rs);
    if (failed.empty())
      rp.deliver(caf::ok_atom::value);
    else
      rp.deliver(make_error(ec::node_unavailable, failed));
  });
  for (std::size_t k = 0; k < chosen->size(); ++k) {
    auto i = (*chosen)[k];
    auto ids = share_of(b.first, b.count, k, b.nodes.size());
    auto& node = nodes[i];
    node.last.ids.push_back(ids);
    node.idle = node.idle && ids.empty();
    if (!node.in_run) {  // a node named in `add` that was not in the run yet
      node.in_run = true;
      ship_usernames(i);
      ask<caf::ok_atom>(
        *this, i,
        [this](caf::expected<caf::ok_atom> r) {
          if (r)
            update_shaping(false);
        },
        atom::run_v, scenario, settings, id_range{ids.first, 0, 1});
    }
    ship_rows(i, ids, false);
    ask<caf::ok_atom>(*this, i, collect(i), atom::add_v, ids);
  }
  return rp;
}

caf::result<std::uint64_t> cluster_state::remove_users(std::uint64_t n, bool force,
                                                       const std::vector<std::string>& filter) {
  if (auto err = require({run_state::running, run_state::terminating}, "remove users"))
    return err;
  if (filter.empty()) {
    auto rp = self->make_response_promise<std::uint64_t>();
    // The run's newest users, wherever the round-robin put them.
    auto& offset = force ? removed_by_force : removed_gracefully;
    const auto shares = newest_shares(batches, offset, n);
    offset += n;
    remove_shares(shares, force, rp);
    return rp;
  }
  auto chosen = choose(filter, true);
  if (!chosen)
    return chosen.error();
  // (The promise after every early return: once made, it owns the reply.)
  auto rp = self->make_response_promise<std::uint64_t>();
  // From the chosen nodes only: split over what each holds right now.
  refresh([this, n, force, rp, chosen = *chosen]() mutable {
    std::vector<std::uint64_t> holds;
    for (auto i : chosen) {
      const auto& users = nodes[i].last.users;
      holds.push_back(users.pending + users.running + users.waiting + (force ? users.stopping : 0));
    }
    const auto shares = spread(n, holds);
    std::map<std::size_t, std::uint64_t> targets;
    for (std::size_t k = 0; k < chosen.size(); ++k)
      targets[chosen[k]] = shares[k];
    remove_shares(targets, force, rp);
  });
  return rp;
}

caf::result<caf::ok_atom> cluster_state::stop_run(bool force) {
  if (auto err = require({run_state::running, run_state::terminating}, "stop"))
    return err;
  enter(run_state::terminating);
  for (auto i : up_in_run())
    ask<caf::ok_atom>(
      *this, i, [](caf::expected<caf::ok_atom>) {}, atom::stop_v, force);
  return caf::ok_atom::value;
}

caf::result<caf::ok_atom> cluster_state::update_settings(const std::string& text,
                                                         const std::vector<std::string>& filter) {
  auto values = nlohmann::json::parse(text, nullptr, false);
  if (state != run_state::running && state != run_state::terminating) {
    if (!filter.empty())
      return make_error(ec::wrong_state, "nodes can be chosen only while a run is going");
    if (auto err = config::update(*store, values, false))
      return err;
    return caf::ok_atom::value;
  }
  auto chosen = choose(filter, true);
  if (!chosen)
    return chosen.error();
  auto rp = self->make_response_promise<caf::ok_atom>();
  ask_all<caf::ok_atom>(
    *this, *chosen,
    [this, rp, values, everywhere = filter.empty()](replies<caf::ok_atom>& rs) mutable {
      if (auto failed = failures(*this, rs); !failed.empty()) {
        auto first = std::find_if(rs.begin(), rs.end(), [](auto& r) { return !r.second; });
        rp.deliver(caf::error{first->second.error().code(), first->second.error().category(),
                              caf::make_message(std::move(failed))});
        return;
      }
      // Nodes that join the run later get the new values too.
      if (everywhere)
        remember_settings(values);
      rp.deliver(caf::ok_atom::value);
    },
    atom::update_v, text);
  return rp;
}

void cluster_state::remember_settings(const nlohmann::json& values) {
  auto merged = nlohmann::json::parse(settings, nullptr, false);
  if (!merged.is_object())
    merged = nlohmann::json::object();
  for (const auto& [key, value] : values.items()) {
    merged[key] = value;
    store->set(key, value);
  }
  settings = merged.dump();
}

void cluster_state::on_idle(const caf::actor_addr& agent) {
  auto i = find_agent(agent);
  if (i == nodes.size())
    return;
  nodes[i].idle = true;
  check_finished();
}

void cluster_state::check_finished() {
  if (finishing || (state != run_state::running && state != run_state::terminating))
    return;
  auto live = up_in_run();
  if (std::any_of(live.begin(), live.end(), [this](auto i) { return !nodes[i].idle; }))
    return;
  finishing = true;
  ask_all<caf::ok_atom>(
    *this, live,
    [this](replies<caf::ok_atom>& rs) {
      finishing = false;
      // A node that got users meanwhile refuses; it reports idle again later.
      for (const auto& [i, r] : rs)
        if (!r && r.error() != make_error(exit::node_lost))
          return;
      // The final counts, then the run is over.
      refresh([this] { enter(run_state::finished); });
    },
    atom::finish_v);
}

}  // namespace amoc::detail
