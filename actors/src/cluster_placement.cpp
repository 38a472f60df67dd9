// Where the cluster controller's users go: choosing nodes by name, the nodes
// up in a run, and spreading a removal over the nodes that hold the users.

#include <algorithm>
#include <map>

#include <caf/event_based_actor.hpp>

#include "amoc/actors.hpp"
#include "cluster_controller.hpp"
#include "cluster_fanout.hpp"

namespace amoc::detail {

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

std::vector<std::size_t> cluster_state::up_nodes() const {
  std::vector<std::size_t> result;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].attached)
      result.push_back(i);
  return result;
}

std::vector<std::size_t> cluster_state::up_in_run() const {
  std::vector<std::size_t> result;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].attached && nodes[i].in_run)
      result.push_back(i);
  return result;
}

std::size_t cluster_state::find_agent(const caf::actor_addr& addr) const {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].agent && nodes[i].agent.address() == addr)
      return i;
  return nodes.size();
}

void cluster_state::remove_shares(const std::map<std::size_t, std::uint64_t>& shares, bool force,
                                  caf::typed_response_promise<std::uint64_t> rp) {
  std::vector<std::pair<std::size_t, std::uint64_t>> targets;
  for (const auto& [i, count] : shares)
    if (count > 0 && nodes[i].attached)
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
    ask<std::uint64_t>(*this, i, collect(i), atom::remove_v, count, force);
}

void cluster_state::update_shaping(bool new_run) {
  std::vector<caf::actor> agents;
  for (auto i : up_in_run())
    agents.push_back(caf::actor_cast<caf::actor>(nodes[i].agent));
  // (The authority does not answer: an anonymous message, as typed actors send.)
  caf::anon_send(shaping, atom::nodes_v, std::move(agents), new_run);
}

}  // namespace amoc::detail
