#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include <caf/actor.hpp>

namespace amoc::detail {

/// The live users of one node in spawn order. CAF hands out actor ids in
/// increasing order, so a user's end finds its entry by binary search;
/// ended users leave a tombstone until the next compaction. 24 bytes a user.
///
/// The table holds a strong handle only while it may still need to send the
/// user an exit: a user keeps itself alive until it ends, so a killed user's
/// actor is destroyed by its own thread, not by whoever books its end.
class user_table {
public:
  /// What a remove request has already asked of a user (`ended`: a tombstone).
  enum class mark : std::uint8_t { none, stopping, killed, ended };

  /// Appends a freshly spawned user (its actor id must be the largest so far).
  void add(caf::actor handle);

  /// Removes the user with actor id `aid`; returns false if it was not here.
  bool remove(caf::actor_id aid);

  static constexpr caf::actor_id newest = std::numeric_limits<caf::actor_id>::max();

  /// Calls `f(handle)` for up to `n` users not yet marked at least `m`,
  /// newest first among those with an actor id below `below`, and marks them
  /// `m` (dropping the handle of killed ones). Returns how many it took and
  /// the `below` to continue from, so a large removal can go on in batches
  /// while users come and go.
  template <class F>
  std::pair<std::uint64_t, caf::actor_id> take_newest(std::uint64_t n, mark m, caf::actor_id below,
                                                      F&& f) {
    std::uint64_t taken = 0;
    auto it = std::make_reverse_iterator(first_at_or_above(below));
    for (; it != entries_.rend() && taken < n; ++it) {
      if (it->flag >= m)
        continue;
      retag(*it, m);
      f(it->handle);
      if (m == mark::killed)
        it->handle = caf::actor{};
      ++taken;
    }
    // `*it` is the next entry not examined yet: continue from there.
    return {taken, it == entries_.rend() ? caf::actor_id{0} : it->aid + 1};
  }

  /// Live users marked below `m`: those a request for `m` may still take.
  [[nodiscard]] std::uint64_t count_below(mark m) const noexcept;

  [[nodiscard]] std::uint64_t size() const noexcept { return live_; }
  [[nodiscard]] bool empty() const noexcept { return live_ == 0; }

private:
  struct entry {
    caf::actor_id aid;
    caf::actor handle;  // null once killed or ended
    mark flag = mark::none;
  };

  [[nodiscard]] std::vector<entry>::iterator find(caf::actor_id aid);
  [[nodiscard]] std::vector<entry>::iterator first_at_or_above(caf::actor_id aid);
  void retag(entry& e, mark m) noexcept;
  void compact_if_sparse();

  std::vector<entry> entries_;
  std::uint64_t live_ = 0;
  std::array<std::uint64_t, 3> marked_{};  // live users per mark
  // Where the last removal hit: users removed newest-first end in about that
  // order, so most lookups are answered next to it without a search.
  std::size_t hint_ = 0;
};

}  // namespace amoc::detail
