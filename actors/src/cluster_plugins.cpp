// Scenario plugins uploaded to the master: shipped to every node that is up,
// kept for nodes that attach later.

#include <algorithm>

#include <caf/event_based_actor.hpp>
#include <map>

#include "amoc/actors.hpp"
#include "amoc/log.hpp"
#include "cluster_controller.hpp"
#include "cluster_fanout.hpp"

namespace amoc::detail {

caf::result<node_outcomes> cluster_state::upload(const std::string& file_name,
                                                 const std::string& bytes) {
  std::erase_if(plugins, [&](const auto& p) { return p.first == file_name; });
  plugins.emplace_back(file_name, bytes);
  auto rp = self->make_response_promise<node_outcomes>();
  ask_all<std::vector<std::string>>(
    *this, up_nodes(),
    [this, rp](replies<std::vector<std::string>>& rs) mutable {
      std::map<std::string, std::string> by_name;  // one line per node, in name order
      for (const auto& [i, r] : rs)
        by_name[nodes[i].last.name] = r ? std::string{"ok"} : render(r.error());
      rp.deliver(node_outcomes{by_name.begin(), by_name.end()});
    },
    atom::upload_v, file_name, bytes);
  return rp;
}

void cluster_state::ship_plugins(std::size_t i) {
  for (const auto& [file_name, bytes] : plugins)
    ask<std::vector<std::string>>(
      *this, i,
      [this, i, file = file_name](caf::expected<std::vector<std::string>> r) {
        if (!r)
          log::line(log::level::warning, "node ")
            << nodes[i].last.name << " cannot load " << file << ": " << render(r.error());
      },
      atom::upload_v, file_name, bytes);
}

}  // namespace amoc::detail
