#include <algorithm>
#include <thread>

#include <caf/actor_system.hpp>

#include "amoc/actors.hpp"
#include "controller.hpp"
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

caf::actor spawn_local_node(caf::actor_system& sys, config::store& store,
                            metrics::registry& registry) {
  return sys.spawn(detail::controller, &store, &registry);
}

}  // namespace amoc
