#include "node_agent.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "amoc/actors.hpp"
#include "amoc/config.hpp"
#include "amoc/crash_guard.hpp"
#include "amoc/json_input.hpp"
#include "amoc/log.hpp"
#include "amoc/metrics.hpp"
#include "amoc/metrics_snapshot.hpp"
#include "amoc/plugins.hpp"
#include "controller.hpp"
#include "shaping_node.hpp"

namespace amoc::detail {

namespace {

// Forwards a request to the local controller; `rp` gets its reply.
template <class T, class... Ts>
void forward_to_controller(node_agent_actor self, caf::typed_response_promise<T> rp, Ts... xs) {
  self->request(self->state.controller, caf::infinite, xs...)
    .then([=](T& reply) mutable { rp.deliver(std::move(reply)); },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

// Forwards a request to the local controller and answers with its reply.
template <class T, class... Ts>
caf::typed_response_promise<T> relay_to_controller(node_agent_actor self, Ts... xs) {
  auto rp = self->make_response_promise<T>();
  forward_to_controller(self, rp, xs...);
  return rp;
}

// A master's run on this node: its settings, then the controller's start.
void start_run(node_agent_actor self, const std::string& scenario, const std::string& settings,
               id_range ids, caf::typed_response_promise<caf::ok_atom> rp) {
  auto& st = self->state;
  if (auto err = st.apply_settings(settings)) {
    rp.deliver(std::move(err));
    return;
  }
  st.ids.assign(1, ids);
  st.orphaned = false;
  st.restarted_after.clear();
  // The rows shipped before this message are the run's.
  st.shipped->begin_run();
  st.log_shipped();
  forward_to_controller(self, std::move(rp), atom::run_v, scenario, ids);
}

}  // namespace

caf::error node_agent_state::apply_settings(const std::string& settings_json) {
  auto doc = input::parse_json(settings_json, ec::invalid_argument);
  if (!doc)
    return make_error(ec::invalid_argument,
                      "the master sent settings that are not JSON: " + context_of(doc.error()));
  if (!doc->is_object())
    return make_error(ec::invalid_argument, "the master sent settings that are not a JSON object");
  for (const auto& key : applied_settings)
    store->unset(key);
  applied_settings.clear();
  for (const auto& [key, value] : doc->items()) {
    store->set(key, value);
    applied_settings.push_back(key);
  }
  return {};
}

void node_agent_state::log_shipped() {
  if (auto news = shipped->take_news(); !news.empty())
    log::line(log::level::info, "node ") << node_name << ": users_file " << news;
}

void node_agent_state::orphan() {
  master = cluster_api{};
  cleaning = true;
  // A master leaving after its run ended cleanly is no news: only a run
  // still going on is orphaned.
  self->request(controller, caf::infinite, atom::status_v)
    .then(
      [this](const status& run) {
        if (run.state == run_state::running || run.state == run_state::terminating) {
          stop_orphaned_run();
          return;
        }
        log::line(log::level::info, "node ") << node_name << ": master disconnected";
        cleaned_up();
      },
      [this](caf::error&) { stop_orphaned_run(); });
}

void node_agent_state::stop_orphaned_run() {
  orphaned = true;
  log::line(log::level::warning, "node ") << node_name << ": master gone, stopping its users";
  self->request(controller, caf::infinite, atom::stop_v, true)
    .then([](caf::ok_atom) {},
          [this](caf::error&) {
            orphaned = false;
            cleaned_up();
          });
}

void node_agent_state::cleaned_up() {
  cleaning = false;
  auto waiting = std::move(after_cleanup);
  after_cleanup.clear();
  for (auto& go : waiting)
    go();
}

node_agent_api::behavior_type node_agent(node_agent_actor self, std::string name,
                                         config::store* store, metrics::registry* registry) {
  auto& st = self->state;
  st.node_name = std::move(name);
  if (const auto crash = crash::previous_crash(); crash.signal != 0)
    st.restarted_after = "restarted after a crash: " + crash.describe();
  st.store = store;
  st.registry = registry;
  st.shipped = std::make_shared<shipped_users>();
  st.controller = self->spawn<caf::linked>(controller, store, registry,
                                           caf::actor_cast<node_agent_api>(self), st.shipped);
  self->set_down_handler([self](caf::down_msg& msg) {
    if (msg.source == self->state.master.address())
      self->state.orphan();
  });
  // Whatever a peer sends that is not the protocol is dropped quietly: CAF's
  // default prints every such message, a flood of lines for a hostile peer.
  self->set_default_handler(caf::drop);
  // Runs on this node learn from it that the master defines their throttles.
  self->system().registry().put(agent_registry_key(), self);
  // The master's throttle authority speaks to the current run's shaping actor.
  auto to_run = [self](auto... xs) {
    if (auto run = self->system().registry().get<caf::actor>(shaping_registry_key()))
      caf::anon_send(run, xs...);
  };
  return {
    [self](atom::attach, const caf::actor& master) -> caf::result<std::string> {
      auto& st = self->state;
      // Only the master itself may attach: a handle to some other actor (on
      // a node that is not even connected) would own this node forever.
      if (master.address() != caf::actor_cast<caf::actor_addr>(self->current_sender()))
        return make_error(ec::invalid_argument, "attach must come from the master itself");
      if (st.master && st.master.address() != master.address())
        return make_error(ec::wrong_state,
                          "node " + st.node_name + " is already controlled by another master");
      if (!st.master) {
        st.master = caf::actor_cast<cluster_api>(master);
        self->monitor(st.master);
        log::line(log::level::info, "node ") << st.node_name << ": master attached";
      }
      return st.node_name;
    },
    [self](atom::run, const std::string& scenario, const std::string& settings,
           id_range ids) -> caf::result<caf::ok_atom> {
      auto rp = self->make_response_promise<caf::ok_atom>();
      if (self->state.cleaning)
        self->state.after_cleanup.push_back(
          [=] { start_run(self, scenario, settings, ids, rp); });
      else
        start_run(self, scenario, settings, ids, rp);
      return rp;
    },
    [self](atom::add, id_range ids) -> caf::result<caf::ok_atom> {
      self->state.ids.push_back(ids);
      self->state.log_shipped();
      return relay_to_controller<caf::ok_atom>(self, atom::add_v, ids);
    },
    // Rows of the master's users file, ahead of the run or add that needs them.
    [self](atom::users, bool next_run, users::block& rows) {
      self->state.shipped->receive(next_run, std::move(rows));
    },
    [self](atom::remove, std::uint64_t n, bool force) {
      return relay_to_controller<std::uint64_t>(self, atom::remove_v, n, force);
    },
    [self](atom::stop, bool force) {
      return relay_to_controller<caf::ok_atom>(self, atom::stop_v, force);
    },
    [self](atom::update, const std::string& settings) -> caf::result<caf::ok_atom> {
      auto rp = self->make_response_promise<caf::ok_atom>();
      self->request(self->state.controller, caf::infinite, atom::update_v, settings)
        .then(
          [=](caf::ok_atom ok) mutable {
            // The master's values: replaced by its settings at the next run.
            const auto values = nlohmann::json::parse(settings);
            for (const auto& [key, value] : values.items())
              self->state.applied_settings.push_back(key);
            rp.deliver(ok);
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      return rp;
    },
    [self](atom::finish) { return relay_to_controller<caf::ok_atom>(self, atom::finish_v); },
    [self](atom::status) -> caf::result<node_status> {
      auto rp = self->make_response_promise<node_status>();
      // Until its next run, a node restarted by its guard says why (as it
      // was when asked: a run may start before the controller answers).
      self->request(self->state.controller, caf::infinite, atom::status_v)
        .then(
          [=, restarted_after = self->state.restarted_after](status& run) mutable {
            auto& st = self->state;
            auto why = run.error.empty() ? restarted_after : run.error;
            rp.deliver(node_status{st.node_name,
                                   {},
                                   true,
                                   run.state,
                                   run.scenario,
                                   std::move(why),
                                   run.users,
                                   st.ids,
                                   {}});
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      return rp;
    },
    [self](atom::metrics) { return self->state.registry->snapshot(); },
    // A scenario uploaded to the master, built there for this same amoc.
    [self](atom::upload, const std::string& file_name,
           const std::string& bytes) -> caf::result<std::vector<std::string>> {
      auto loaded = plugins::install(file_name, bytes, plugins::upload_dir());
      if (!loaded)
        return loaded.error();
      log::line(log::level::info, "node ") << self->state.node_name << ": loaded " << file_name;
      return loaded->scenarios;
    },
    [to_run](atom::shaping, const caf::actor& authority, std::uint64_t nodes) {
      to_run(atom::shaping_v, authority, nodes);
    },
    [to_run](atom::tspec, const std::string& name, const std::string& spec) {
      to_run(atom::tspec_v, name, spec);
    },
    // From the local controller: every user of this node has ended.
    [self](atom::idle) {
      auto& st = self->state;
      // The lost master's run first: a new master may have attached meanwhile.
      if (st.orphaned)
        self->request(st.controller, caf::infinite, atom::finish_v)
          .then([self](caf::ok_atom) { self->state.cleaned_up(); },
                [self](caf::error&) { self->state.cleaned_up(); });
      else if (st.master)
        self->send(st.master, atom::idle_v);
    },
  };
}

}  // namespace amoc::detail
