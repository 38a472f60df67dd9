#include "cluster_controller.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "amoc/actors.hpp"
#include "amoc/config.hpp"
#include "amoc/config_update.hpp"
#include "amoc/json_input.hpp"
#include "amoc/link_service.hpp"
#include "amoc/log.hpp"
#include "controller.hpp"
#include "links/basp_handoff.hpp"
#include "round_robin.hpp"
#include "shaping_actor.hpp"

namespace amoc::detail {

namespace {

using namespace std::chrono_literals;

constexpr auto retry_interval = 1s;

template <class T>
using replies = std::vector<std::pair<std::size_t, caf::expected<T>>>;

// Sends a request to node i; `on_reply` sees its answer, or `node_lost` if the
// node goes down first (CAF would leave the request waiting forever).
template <class T, class F, class... Ts>
void ask(cluster_actor* self, std::size_t i, F on_reply, Ts... xs) {
  auto& n = self->state.nodes[i];
  const auto token = ++self->state.next_token;
  n.pending.emplace(token, [on_reply](caf::error err) { on_reply(caf::expected<T>{err}); });
  // True once: either the reply or the node's loss completes the request.
  auto take = [self, i, token] { return self->state.nodes[i].pending.erase(token) > 0; };
  self->request(n.agent, caf::infinite, xs...)
    .then(
      [=](T& value) {
        if (take())
          on_reply(caf::expected<T>{std::move(value)});
      },
      [=](caf::error& err) {
        if (take())
          on_reply(caf::expected<T>{std::move(err)});
      });
}

// Gathers the answers of `total` nodes and calls `done` once with all of them;
// `collect(i)` is the reply handler for node i.
template <class T, class F>
auto collector(std::size_t total, F done) {
  struct shared {
    replies<T> answers;
    std::size_t total;
    F done;
  };
  auto acc = std::make_shared<shared>(shared{{}, total, std::move(done)});
  return [acc](std::size_t i) {
    return [acc, i](caf::expected<T> reply) {
      acc->answers.emplace_back(i, std::move(reply));
      if (acc->answers.size() == acc->total)
        acc->done(acc->answers);
    };
  };
}

// Asks every node in `which` the same and calls `done` once with all their answers.
template <class T, class F, class... Ts>
void ask_all(cluster_actor* self, const std::vector<std::size_t>& which, F done, Ts... xs) {
  if (which.empty()) {
    replies<T> none;
    done(none);
    return;
  }
  auto collect = collector<T>(which.size(), std::move(done));
  for (auto i : which)
    ask<T>(self, i, collect(i), xs...);
}

// "node a: why; node b: why" for the failed replies, empty when all succeeded.
template <class T>
std::string failures(const cluster_state& st, const replies<T>& rs) {
  std::string text;
  for (const auto& [i, r] : rs)
    if (!r)
      text +=
        (text.empty() ? "node " : "; node ") + st.nodes[i].last.name + ": " + render(r.error());
  return text;
}

// Asks each node that is up for its share of a removal (node index -> count);
// `rp` gets the total the nodes removed.
void remove_shares(cluster_actor* self, const std::map<std::size_t, std::uint64_t>& shares,
                   bool force, caf::typed_response_promise<std::uint64_t> rp) {
  std::vector<std::pair<std::size_t, std::uint64_t>> targets;
  for (const auto& [i, count] : shares)
    if (count > 0 && self->state.nodes[i].attached)
      targets.emplace_back(i, count);
  if (targets.empty()) {
    rp.deliver(std::uint64_t{0});
    return;
  }
  auto collect = collector<std::uint64_t>(targets.size(), [rp](auto& rs) mutable {
    std::uint64_t removed = 0;
    for (const auto& [i, r] : rs)
      removed += r ? *r : 0;
    rp.deliver(removed);
  });
  for (const auto& [i, count] : targets)
    ask<std::uint64_t>(self, i, collect(i), atom::remove_v, count, force);
}

std::vector<std::size_t> up_in_run(const cluster_state& st) {
  std::vector<std::size_t> result;
  for (std::size_t i = 0; i < st.nodes.size(); ++i)
    if (st.nodes[i].attached && st.nodes[i].in_run)
      result.push_back(i);
  return result;
}

// A node's link went down: its users are gone with it. They are booked as
// ended by node_lost (status and the users.ended.node_lost counter), its
// gauges drop to 0, and what its users recorded stays in the run's metrics.
void book_losses(cluster_state::node& n) {
  auto u = n.last.users;
  // Every user it started and did not see end, also those just spawned that
  // it had not counted as running yet.
  const auto lost = u.started - std::min(u.started, u.ended_total());
  u.ended[static_cast<std::size_t>(exit::node_lost) - 1] += lost;
  u.running = u.waiting = u.stopping = u.pending = 0;
  n.booked.started += u.started;
  for (std::size_t r = 0; r < u.ended.size(); ++r)
    n.booked.ended[r] += u.ended[r];
  for (auto& [name, value] : n.metrics.gauges)
    value = 0;
  n.metrics.counters["users.ended.node_lost"] += lost;
  n.booked_metrics.merge(n.metrics);
  n.last.users = {};
  n.metrics = {};
}

caf::error bad_address(const std::string& address) {
  return make_error(ec::invalid_argument,
                    "node address '" + address + "' is not HOST:PORT with a port from 1 to 65535");
}

}  // namespace

std::string cluster_state::since_run_start() const {
  const auto s = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_started);
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", s.count());
  return text;
}

caf::error cluster_state::require(std::initializer_list<run_state> allowed,
                                  const char* action) const {
  if (std::find(allowed.begin(), allowed.end(), state) != allowed.end())
    return {};
  return make_error(ec::wrong_state,
                    std::string{"cannot "} + action + " while the run is " + to_string(state));
}

caf::expected<std::vector<std::size_t>> cluster_state::choose(const std::vector<std::string>& names,
                                                              bool in_run_only) const {
  std::vector<std::size_t> result;
  if (names.empty()) {
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].attached && (!in_run_only || nodes[i].in_run))
        result.push_back(i);
    if (result.empty()) {
      std::string why;
      for (const auto& n : nodes)
        why += (why.empty() ? " (" : "; ") + n.address + ": "
               + (n.last.error.empty() ? "not connected yet" : n.last.error);
      return make_error(ec::node_unavailable, "no worker node is up" + why + ")");
    }
    return result;
  }
  for (const auto& name : names) {
    auto it = std::find_if(nodes.begin(), nodes.end(),
                           [&](const node& n) { return n.address == name || n.last.name == name; });
    if (it == nodes.end())
      return make_error(ec::unknown_node, "'" + name + "' is not one of the worker nodes");
    if (!it->attached)
      return make_error(ec::node_unavailable, "node " + name + " is down");
    const auto i = static_cast<std::size_t>(it - nodes.begin());
    if (std::find(result.begin(), result.end(), i) == result.end())
      result.push_back(i);
  }
  return result;
}

std::size_t cluster_state::find_agent(const caf::actor_addr& addr) const {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].agent && nodes[i].agent.address() == addr)
      return i;
  return nodes.size();
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
  for (std::size_t r = 0; r < u.ended.size(); ++r)
    users.ended[r] += u.ended[r];
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
    if (n.in_run || n.booked.started > 0)
      shown.users = u;
    result.users.pending += u.pending;
    result.users.running += u.running;
    result.users.waiting += u.waiting;
    result.users.stopping += u.stopping;
    result.users.started += u.started;
    for (std::size_t r = 0; r < u.ended.size(); ++r)
      result.users.ended[r] += u.ended[r];
    result.nodes.push_back(std::move(shown));
  }
  return result;
}

void cluster_state::enter(run_state next) {
  state = next;
  if (!is_final(next))
    return;
  for (auto& rp : waiters)
    rp.deliver(snapshot());
  waiters.clear();
}

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
        n.agent = caf::actor_cast<caf::actor>(ptr);
        self->monitor(n.agent);
        ask<std::string>(
          static_cast<cluster_actor*>(self), i,
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
    static_cast<cluster_actor*>(self), i,
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
    self->demonitor(n.agent);
    n.agent = nullptr;
  }
  self->delayed_send(self, retry_interval, atom::connect_v, static_cast<std::uint64_t>(i));
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
  self->delayed_send(self, retry_interval, atom::connect_v, static_cast<std::uint64_t>(i));
  if (was_attached && std::exchange(n.in_run, false))
    update_shaping(false);
  check_finished();
}

void cluster_state::join_late(std::size_t i) {
  auto* me = static_cast<cluster_actor*>(self);
  ask<caf::ok_atom>(
    me, i,
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

void cluster_state::refresh(std::function<void()> then) {
  std::vector<std::size_t> up;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].attached)
      up.push_back(i);
  ask_all<node_status>(
    static_cast<cluster_actor*>(self), up,
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

void cluster_state::upload(const std::string& file_name, const std::string& bytes,
                           caf::typed_response_promise<std::string> rp) {
  std::erase_if(plugins, [&](const auto& p) { return p.first == file_name; });
  plugins.emplace_back(file_name, bytes);
  std::vector<std::size_t> up;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].attached)
      up.push_back(i);
  ask_all<std::vector<std::string>>(
    static_cast<cluster_actor*>(self), up,
    [this, rp](replies<std::vector<std::string>>& rs) mutable {
      auto result = nlohmann::json::object();
      for (const auto& [i, r] : rs)
        result[nodes[i].last.name] = r ? std::string{"ok"} : render(r.error());
      rp.deliver(result.dump());
    },
    atom::upload_v, file_name, bytes);
}

void cluster_state::ship_plugins(std::size_t i) {
  for (const auto& [file_name, bytes] : plugins)
    ask<std::vector<std::string>>(
      static_cast<cluster_actor*>(self), i,
      [this, i, file = file_name](caf::expected<std::vector<std::string>> r) {
        if (!r)
          log::line(log::level::warning, "node ")
            << nodes[i].last.name << " cannot load " << file << ": " << render(r.error());
      },
      atom::upload_v, file_name, bytes);
}

void cluster_state::update_shaping(bool new_run) {
  std::vector<caf::actor> agents;
  for (auto i : up_in_run(*this))
    agents.push_back(nodes[i].agent);
  self->send(shaping, atom::nodes_v, std::move(agents), new_run);
}

void cluster_state::check_finished() {
  if (finishing || (state != run_state::running && state != run_state::terminating))
    return;
  auto live = up_in_run(*this);
  if (std::any_of(live.begin(), live.end(), [this](auto i) { return !nodes[i].idle; }))
    return;
  finishing = true;
  ask_all<caf::ok_atom>(
    static_cast<cluster_actor*>(self), live,
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

caf::behavior cluster_controller(cluster_actor* self, config::store* store,
                                 std::shared_ptr<links::link_service> links,
                                 std::vector<std::string> addresses) {
  auto& st = self->state;
  st.store = store;
  st.links = std::move(links);
  st.basp = amoc::links::basp_broker(self->system());
  st.shaping = spawn_throttle_authority(self->system());
  self->link_to(st.shaping);
  for (auto& address : addresses) {
    cluster_state::node n;
    n.address = address;
    n.last.name = address;
    n.last.address = address;
    auto colon = address.rfind(':');
    n.host = address.substr(0, colon);
    st.nodes.push_back(std::move(n));
  }
  for (std::size_t i = 0; i < st.nodes.size(); ++i) {
    auto port = parse_port(addresses[i]);
    if (!port) {
      self->quit(bad_address(addresses[i]));
      return {};
    }
    st.nodes[i].port = *port;
    st.connect(i);
  }
  self->set_down_handler([self](caf::down_msg& msg) {
    auto i = self->state.find_agent(msg.source);
    if (i < self->state.nodes.size())
      self->state.on_down(i);
  });
  return {
    [self](atom::connect, std::uint64_t i) { self->state.connect(i); },
    [self](atom::link, std::uint64_t i, int fd) { self->state.on_link(i, fd); },
    [self](atom::link, std::uint64_t i, const std::string& why) {
      self->state.nodes[i].connecting = false;
      self->state.on_unreachable(i, make_error(ec::node_unavailable, why));
    },
    [self](atom::run, const std::string& scenario, std::uint64_t first, std::uint64_t last,
           const std::vector<std::string>& filter,
           const std::string& comment) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (auto err = st.require({run_state::idle, run_state::finished, run_state::error}, "start"))
        return err;
      if (first > last)
        return make_error(ec::invalid_argument, "empty user range: first id "
                                                  + std::to_string(first) + " > last id "
                                                  + std::to_string(last));
      auto chosen = st.choose(filter, false);
      if (!chosen)
        return chosen.error();
      st.scenario = scenario;
      st.comment = comment;
      st.error.clear();
      auto settings = st.store->runtime_values();
      settings["node_count"] = chosen->size();
      st.settings = settings.dump();
      st.first_id = first;
      st.next_id = last + 1;
      st.run_started = std::chrono::steady_clock::now();
      st.all_nodes = filter.empty();
      st.batches = {{first, last - first + 1, *chosen}};
      st.removed_gracefully = st.removed_by_force = 0;
      for (auto& n : st.nodes) {
        n.in_run = false;
        n.idle = true;
        n.metrics = {};
        n.booked = {};
        n.booked_metrics = {};
        n.lost.clear();
        n.incident.clear();
        n.last.users = {};
        n.last.ids.clear();
        n.last.scenario = scenario;
      }
      st.enter(run_state::running);
      log::line(log::level::info, "run ")
        << scenario << " users " << first << ".." << last << " on " << chosen->size() << " node(s)"
        << (comment.empty() ? "" : ": " + comment);
      auto rp = self->make_response_promise<caf::ok_atom>();
      const auto& b = st.batches.back();
      for (std::size_t k = 0; k < chosen->size(); ++k) {
        auto& n = st.nodes[(*chosen)[k]];
        n.in_run = true;
        n.idle = false;
        n.last.ids.push_back(share_of(b.first, b.count, k, b.nodes.size()));
      }
      auto collect = collector<caf::ok_atom>(chosen->size(), [self, rp](auto& rs) mutable {
        auto& st = self->state;
        auto failed = failures(st, rs);
        if (failed.empty()) {
          st.update_shaping(true);
          rp.deliver(caf::ok_atom::value);
          return;
        }
        // All or nothing: the nodes that started stop again.
        for (const auto& [i, r] : rs)
          if (r && st.nodes[i].agent)
            self->send(st.nodes[i].agent, atom::stop_v, true);
        st.error = failed;
        st.enter(run_state::error);
        rp.deliver(make_error(ec::scenario_init_failed, failed));
      });
      for (auto i : *chosen)
        ask<caf::ok_atom>(self, i, collect(i), atom::run_v, scenario, st.settings,
                          st.nodes[i].last.ids.back());
      return rp;
    },
    [self](atom::add, std::uint64_t n,
           const std::vector<std::string>& filter) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (auto err = st.require({run_state::running}, "add users"))
        return err;
      if (n == 0)
        return make_error(ec::invalid_argument, "add needs at least one user");
      auto chosen = st.choose(filter, filter.empty());
      if (!chosen)
        return chosen.error();
      st.batches.push_back({st.next_id, n, *chosen});
      st.next_id += n;
      const auto& b = st.batches.back();
      auto rp = self->make_response_promise<caf::ok_atom>();
      auto collect = collector<caf::ok_atom>(chosen->size(), [self, rp](auto& rs) mutable {
        auto failed = failures(self->state, rs);
        if (failed.empty())
          rp.deliver(caf::ok_atom::value);
        else
          rp.deliver(make_error(ec::node_unavailable, failed));
      });
      for (std::size_t k = 0; k < chosen->size(); ++k) {
        auto i = (*chosen)[k];
        auto ids = share_of(b.first, b.count, k, b.nodes.size());
        auto& node = st.nodes[i];
        node.last.ids.push_back(ids);
        node.idle = node.idle && ids.empty();
        if (!node.in_run) {  // a node named in `add` that was not in the run yet
          node.in_run = true;
          ask<caf::ok_atom>(
            self, i,
            [self](caf::expected<caf::ok_atom> r) {
              if (r)
                self->state.update_shaping(false);
            },
            atom::run_v, st.scenario, st.settings, id_range{ids.first, 0, 1});
        }
        ask<caf::ok_atom>(self, i, collect(i), atom::add_v, ids);
      }
      return rp;
    },
    [self](atom::remove, std::uint64_t n, bool force,
           const std::vector<std::string>& filter) -> caf::result<std::uint64_t> {
      auto& st = self->state;
      if (auto err = st.require({run_state::running, run_state::terminating}, "remove users"))
        return err;
      if (filter.empty()) {
        auto rp = self->make_response_promise<std::uint64_t>();
        // The run's newest users, wherever the round-robin put them.
        auto& offset = force ? st.removed_by_force : st.removed_gracefully;
        const auto shares = newest_shares(st.batches, offset, n);
        offset += n;
        remove_shares(self, shares, force, rp);
        return rp;
      }
      auto chosen = st.choose(filter, true);
      if (!chosen)
        return chosen.error();
      // (The promise after every early return: once made, it owns the reply.)
      auto rp = self->make_response_promise<std::uint64_t>();
      // From the chosen nodes only: split over what each holds right now.
      st.refresh([self, n, force, rp, chosen = *chosen]() mutable {
        std::vector<std::uint64_t> holds;
        for (auto i : chosen) {
          const auto& users = self->state.nodes[i].last.users;
          holds.push_back(users.pending + users.running + users.waiting
                          + (force ? users.stopping : 0));
        }
        const auto shares = spread(n, holds);
        std::map<std::size_t, std::uint64_t> targets;
        for (std::size_t k = 0; k < chosen.size(); ++k)
          targets[chosen[k]] = shares[k];
        remove_shares(self, targets, force, rp);
      });
      return rp;
    },
    [self](atom::stop, bool force) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (auto err = st.require({run_state::running, run_state::terminating}, "stop"))
        return err;
      st.enter(run_state::terminating);
      for (auto i : up_in_run(st))
        ask<caf::ok_atom>(
          self, i, [](caf::expected<caf::ok_atom>) {}, atom::stop_v, force);
      return caf::ok_atom::value;
    },
    [self](atom::update, const std::string& text,
           const std::vector<std::string>& filter) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      auto values = nlohmann::json::parse(text, nullptr, false);
      if (st.state != run_state::running && st.state != run_state::terminating) {
        if (!filter.empty())
          return make_error(ec::wrong_state, "nodes can be chosen only while a run is going");
        if (auto err = config::update(*st.store, values, false))
          return err;
        return caf::ok_atom::value;
      }
      auto chosen = st.choose(filter, true);
      if (!chosen)
        return chosen.error();
      auto rp = self->make_response_promise<caf::ok_atom>();
      ask_all<caf::ok_atom>(
        self, *chosen,
        [self, rp, values, everywhere = filter.empty()](replies<caf::ok_atom>& rs) mutable {
          auto& st = self->state;
          if (auto failed = failures(st, rs); !failed.empty()) {
            auto first = std::find_if(rs.begin(), rs.end(), [](auto& r) { return !r.second; });
            rp.deliver(caf::error{first->second.error().code(), first->second.error().category(),
                                  caf::make_message(std::move(failed))});
            return;
          }
          // Nodes that join the run later get the new values too.
          if (everywhere)
            st.remember_settings(values);
          rp.deliver(caf::ok_atom::value);
        },
        atom::update_v, text);
      return rp;
    },
    [self](atom::idle) {
      auto& st = self->state;
      auto i = st.find_agent(caf::actor_cast<caf::actor_addr>(self->current_sender()));
      if (i == st.nodes.size())
        return;
      st.nodes[i].idle = true;
      st.check_finished();
    },
    [self](atom::status) -> caf::result<status> {
      auto rp = self->make_response_promise<status>();
      self->state.refresh([self, rp]() mutable { rp.deliver(self->state.snapshot()); });
      return rp;
    },
    [self](atom::wait) -> caf::result<status> {
      auto& st = self->state;
      if (st.state != run_state::running && st.state != run_state::terminating)
        return st.snapshot();
      auto rp = self->make_response_promise<status>();
      st.waiters.push_back(rp);
      return rp;
    },
    [self](atom::upload, const std::string& file_name, const std::string& bytes) {
      auto rp = self->make_response_promise<std::string>();
      self->state.upload(file_name, bytes, rp);
      return rp;
    },
    // Every node's metrics merged: counters summed, histograms merged. A node
    // that went down counts with its last snapshot, so nothing it did is lost.
    [self](atom::metrics) -> caf::result<std::string> {
      auto rp = self->make_response_promise<std::string>();
      ask_all<std::string>(
        self, up_in_run(self->state),
        [self, rp](replies<std::string>& rs) mutable {
          auto& st = self->state;
          for (auto& [i, r] : rs) {
            if (!r)
              continue;
            // From another process: parsed within amoc's limits, or the last one stands.
            auto doc = input::parse_json(*r, ec::invalid_argument);
            if (!doc)
              continue;
            if (auto parsed = metrics::snapshot_from_json(*doc))
              st.nodes[i].metrics = std::move(*parsed);
          }
          rp.deliver(to_json(st.merged_metrics()).dump());
        },
        atom::metrics_v);
      return rp;
    },
  };
}

}  // namespace amoc::detail
