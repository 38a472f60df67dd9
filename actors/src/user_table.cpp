#include "user_table.hpp"

#include <algorithm>

namespace amoc::detail {

void user_table::add(caf::actor handle, std::uint64_t user_id) {
  const auto aid = handle.id();
  entries_.push_back({aid, user_id, std::move(handle)});
  ++live_;
}

std::optional<std::uint64_t> user_table::remove(caf::actor_id aid) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), aid,
                             [](const entry& e, caf::actor_id x) { return e.aid < x; });
  if (it == entries_.end() || it->aid != aid || !it->handle)
    return std::nullopt;
  it->handle = caf::actor{};
  --live_;
  const auto user_id = it->user_id;
  compact_if_sparse();
  return user_id;
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
