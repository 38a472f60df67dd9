// The cluster controller's behaviour: each handler hands its request to the
// state (cluster_run.cpp, cluster_links.cpp, cluster_status.cpp, ...).

#include "cluster_controller.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "amoc/actors.hpp"
#include "amoc/config.hpp"
#include "links/basp_handoff.hpp"
#include "shaping_actor.hpp"

namespace amoc::detail {

namespace {

caf::error bad_node_address(const std::string& address) {
  return make_error(ec::invalid_argument,
                    "node address '" + address + "' is not HOST:PORT with a port from 1 to 65535");
}

}  // namespace

caf::error cluster_state::init(config::store* config_store,
                               std::shared_ptr<links::link_service> service,
                               std::vector<std::string> addresses) {
  store = config_store;
  links = std::move(service);
  basp = amoc::links::basp_broker(self->system());
  shaping = spawn_throttle_authority(self->system());
  self->link_to(shaping);
  for (auto& address : addresses) {
    node n;
    n.address = address;
    n.last.name = address;
    n.last.address = address;
    auto colon = address.rfind(':');
    n.host = address.substr(0, colon);
    nodes.push_back(std::move(n));
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto port = parse_port(addresses[i]);
    if (!port)
      return bad_node_address(addresses[i]);
    nodes[i].port = *port;
    connect(i);
  }
  return {};
}

cluster_api::behavior_type cluster_controller(cluster_actor self, config::store* store,
                                              std::shared_ptr<links::link_service> links,
                                              std::vector<std::string> addresses) {
  if (auto err = self->state.init(store, std::move(links), std::move(addresses))) {
    self->quit(std::move(err));
    return {cluster_api::behavior_type::unsafe_init{}, caf::behavior{}};
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
           const std::vector<std::string>& filter, const std::string& comment) {
      return self->state.start_run(scenario, first, last, filter, comment);
    },
    [self](atom::add, std::uint64_t n, const std::vector<std::string>& filter) {
      return self->state.add_users(n, filter);
    },
    [self](atom::remove, std::uint64_t n, bool force, const std::vector<std::string>& filter) {
      return self->state.remove_users(n, force, filter);
    },
    // The run control's local forms (control_api): every node.
    [self](atom::run, const std::string& scenario, std::uint64_t first, std::uint64_t last) {
      return self->state.start_run(scenario, first, last, {}, {});
    },
    [self](atom::add, std::uint64_t n) { return self->state.add_users(n, {}); },
    [self](atom::remove, std::uint64_t n, bool force) {
      return self->state.remove_users(n, force, {});
    },
    [self](atom::update, const std::string& text) { return self->state.update_settings(text, {}); },
    [self](atom::stop, bool force) { return self->state.stop_run(force); },
    [self](atom::update, const std::string& text, const std::vector<std::string>& filter) {
      return self->state.update_settings(text, filter);
    },
    [self](atom::idle) {
      self->state.on_idle(caf::actor_cast<caf::actor_addr>(self->current_sender()));
    },
    [self](atom::status) { return self->state.current_status(); },
    [self](atom::wait) { return self->state.wait_for_end(); },
    [self](atom::upload, const std::string& file_name, const std::string& bytes) {
      return self->state.upload(file_name, bytes);
    },
    [self](atom::metrics) { return self->state.nodes_metrics(); },
  };
}

}  // namespace amoc::detail
