#include "status_json.hpp"

#include "amoc/error.hpp"

namespace amoc::rest {

nlohmann::json users_json(const user_counts& u) {
  auto ended = nlohmann::json::object();
  for (auto reason : all_exit_reasons)
    ended[to_string(reason)] = u.ended[reason];
  return {{"pending", u.pending},   {"running", u.running}, {"waiting", u.waiting},
          {"stopping", u.stopping}, {"started", u.started}, {"alive", u.alive()},
          {"ended", ended}};
}

nlohmann::json node_json(const node_status& n) {
  auto ids = nlohmann::json::array();
  for (const auto& r : n.ids)
    ids.push_back({{"first", r.first}, {"count", r.count}, {"stride", r.stride}});
  return {{"name", n.name},
          {"address", n.address},
          {"up", n.up},
          {"status", to_string(n.state)},
          {"scenario", n.scenario},
          {"error", n.error},
          {"users", users_json(n.users)},
          {"ids", ids}};
}

}  // namespace amoc::rest
