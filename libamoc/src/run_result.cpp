#include "amoc/run_result.hpp"

#include <algorithm>

namespace amoc {

bool run_result::thresholds_crossed() const {
  return std::any_of(thresholds.begin(), thresholds.end(),
                     [](const threshold_result& t) { return !t.passed; });
}

void run_result::book_users_that_did_not_stop() {
  auto& u = final_status.users;
  users_did_not_stop = u.started - std::min(u.started, u.ended_total());
  u.ended.forced_stop += users_did_not_stop;
  u.running = u.waiting = u.stopping = u.pending = 0;
  for (auto& n : final_status.nodes) {
    auto& nu = n.users;
    nu.ended.forced_stop += nu.started - std::min(nu.started, nu.ended_total());
    nu.running = nu.waiting = nu.stopping = nu.pending = 0;
  }
}

std::uint64_t run_result::users_lost() const { return final_status.users.ended.node_lost; }

}  // namespace amoc
