#include "user_table.hpp"

#include <algorithm>

namespace amoc::detail {

void user_table::add(caf::actor handle) {
  const auto aid = handle.id();
  entries_.push_back({aid, std::move(handle)});
  ++live_;
  ++marked_[static_cast<std::size_t>(mark::none)];
}

std::vector<user_table::entry>::iterator user_table::first_at_or_above(caf::actor_id aid) {
  return std::lower_bound(entries_.begin(), entries_.end(), aid,
                          [](const entry& e, caf::actor_id x) { return e.aid < x; });
}

void user_table::retag(entry& e, mark m) noexcept {
  --marked_[static_cast<std::size_t>(e.flag)];
  ++marked_[static_cast<std::size_t>(m)];
  e.flag = m;
}

std::uint64_t user_table::count_below(mark m) const noexcept {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(m); ++i)
    n += marked_[i];
  return n;
}

std::vector<user_table::entry>::iterator user_table::find(caf::actor_id aid) {
  for (auto i : {hint_, hint_ - 1, hint_ + 1})
    if (i < entries_.size() && entries_[i].aid == aid)
      return entries_.begin() + static_cast<std::ptrdiff_t>(i);
  auto it = first_at_or_above(aid);
  return it != entries_.end() && it->aid == aid ? it : entries_.end();
}

bool user_table::remove(caf::actor_id aid) {
  auto it = find(aid);
  if (it == entries_.end() || it->flag == mark::ended)
    return false;
  hint_ = static_cast<std::size_t>(it - entries_.begin());
  --marked_[static_cast<std::size_t>(it->flag)];
  it->flag = mark::ended;
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
  std::erase_if(entries_, [](const entry& e) { return e.flag == mark::ended; });
  if (entries_.capacity() > 2 * entries_.size() + 1024)
    entries_.shrink_to_fit();
}

}  // namespace amoc::detail
