#include "user_table.hpp"

#include <algorithm>

namespace amoc::detail {

void user_table::add(caf::actor handle) {
  const auto aid = handle.id();
  entries_.push_back({aid, std::move(handle)});
  ++live_;
}

std::vector<user_table::entry>::iterator user_table::find(caf::actor_id aid) {
  for (auto i : {hint_, hint_ - 1, hint_ + 1})
    if (i < entries_.size() && entries_[i].aid == aid)
      return entries_.begin() + static_cast<std::ptrdiff_t>(i);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), aid,
                             [](const entry& e, caf::actor_id x) { return e.aid < x; });
  return it != entries_.end() && it->aid == aid ? it : entries_.end();
}

bool user_table::remove(caf::actor_id aid) {
  auto it = find(aid);
  if (it == entries_.end() || !it->handle)
    return false;
  hint_ = static_cast<std::size_t>(it - entries_.begin());
  it->handle = caf::actor{};
  --live_;
  compact_if_sparse();
  return true;
}

void user_table::compact_if_sparse() {
  // Amortised O(1): compact only when tombstones outnumber live entries.
  const auto dead = entries_.size() - live_;
  if (dead < 1024 || dead < live_)
    return;
  std::erase_if(entries_, [](const entry& e) { return !e.handle; });
  if (entries_.capacity() > 2 * entries_.size() + 1024)
    entries_.shrink_to_fit();
}

} // namespace amoc::detail
