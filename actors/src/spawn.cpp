#include <algorithm>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>

#include "amoc/actors.hpp"
#include "amoc/link_service.hpp"
#include "cluster_controller.hpp"
#include "controller.hpp"
#include "links/basp_handoff.hpp"
#include "node_agent.hpp"
#include "node_scheduler.hpp"
#include "user_supervisor.hpp"

namespace amoc {

// GCC 12 reports false -Warray-bounds/-Wstringop-overflow inside the std::string concatenation
// that CAF's add_message_type inlines here (GCC bug 105329).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<user_counts>("amoc::user_counts");
  cfg.add_message_type<status>("amoc::status");
  cfg.add_message_type<id_range>("amoc::id_range");
  cfg.add_message_type<node_status>("amoc::node_status");
  cfg.add_message_type<metrics::snapshot>("amoc::metrics::snapshot");
  cfg.add_message_type<node_outcomes>("amoc::node_outcomes");
  cfg.add_message_type<users::block>("amoc::users::block");
  add_error_categories(cfg);
}
#pragma GCC diagnostic pop

void configure_node(caf::actor_system_config& cfg, std::size_t threads) {
  add_message_types(cfg);
  // Work sharing: the default work-stealing policy spins on idle cores (DESIGN-NOTES).
  cfg.set("scheduler.policy", caf::atom("sharing"));
  cfg.set("scheduler.max-threads",
          threads ? threads : std::max(1u, std::thread::hardware_concurrency()));
  cfg.set("logger.verbosity", caf::atom("quiet"));
  detail::install_node_scheduler(cfg);
}

void configure_links(caf::actor_system_config& cfg) {
  using namespace std::chrono_literals;
  cfg.load<caf::io::middleman>();
  // Both sides send heartbeats, so a hung peer (not only a closed socket) is
  // noticed; a timeout on one side only would drop healthy idle links. 5 s:
  // a worker busy at full CPU (its job) may answer late.
  cfg.set("middleman.heartbeat-interval", caf::timespan{200ms});
  cfg.set("middleman.connection-timeout", caf::timespan{5s});
  // Nodes of another amoc version refuse the handshake instead of misreading messages.
  cfg.set("middleman.app-identifiers", std::vector<std::string>{"amoc-" AMOC_VERSION});
}

caf::expected<std::uint16_t> publish_agent(caf::actor_system& sys, links::link_service& links,
                                           const node_agent_api& agent, const std::string& host,
                                           std::uint16_t port) {
  return links.listen(host, port,
                      [&sys, broker = links::basp_broker(sys),
                       agent = caf::actor_cast<caf::actor>(agent)](auto link) {
                        links::serve(broker, links::scribe_for(sys, link.fd), link.local_port,
                                     agent);
                      });
}

controller_api spawn_local_node(caf::actor_system& sys, config::store& store,
                                metrics::registry& registry) {
  return sys.spawn(detail::controller, &store, &registry, node_agent_api{},
                   std::shared_ptr<detail::shipped_users>{});
}

node_agent_api spawn_node_agent(caf::actor_system& sys, std::string name, config::store& store,
                                metrics::registry& registry) {
  return sys.spawn(detail::node_agent, std::move(name), &store, &registry);
}

cluster_api spawn_cluster(caf::actor_system& sys, config::store& store,
                          std::shared_ptr<links::link_service> links,
                          std::vector<std::string> addresses) {
  return sys.spawn(detail::cluster_controller, &store, std::move(links), std::move(addresses));
}

}  // namespace amoc
