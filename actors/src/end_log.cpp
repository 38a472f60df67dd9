#include "end_log.hpp"

namespace amoc::detail {

void end_log::append(caf::actor_id aid, exit reason) {
  bool first;
  {
    std::lock_guard guard{mutex_};
    first = entries_.empty();
    entries_.push_back({aid, reason});
  }
  if (first && on_first)
    on_first();
}

void end_log::take(std::vector<entry>& out) {
  out.clear();
  std::lock_guard guard{mutex_};
  out.swap(entries_);
}

}  // namespace amoc::detail
