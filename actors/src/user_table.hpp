#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <caf/actor.hpp>

namespace amoc::detail {

/// The live users of one node in spawn order. CAF hands out actor ids in
/// increasing order, so a down message finds its entry by binary search;
/// ended users leave a tombstone until the next compaction. 24 bytes a user.
class user_table {
public:
  /// What a remove request has already asked of a user.
  enum class mark : std::uint8_t { none, stopping, killed };

  /// Appends a freshly spawned user (its actor id must be the largest so far).
  void add(caf::actor handle);

  /// Removes the user with actor id `aid`; returns false if it was not here.
  bool remove(caf::actor_id aid);

  /// Calls `f(handle)` for up to `n` of the newest users not yet marked at
  /// least `m`, marks them `m`, and returns how many it visited.
  template <class F>
  std::uint64_t take_newest(std::uint64_t n, mark m, F&& f) {
    std::uint64_t taken = 0;
    for (auto it = entries_.rbegin(); it != entries_.rend() && taken < n; ++it) {
      if (!it->handle || it->flag >= m)
        continue;
      it->flag = m;
      f(it->handle);
      ++taken;
    }
    return taken;
  }

  [[nodiscard]] std::uint64_t size() const noexcept { return live_; }
  [[nodiscard]] bool empty() const noexcept { return live_ == 0; }

private:
  struct entry {
    caf::actor_id aid;
    caf::actor handle;  // null once the user ended (tombstone)
    mark flag = mark::none;
  };

  [[nodiscard]] std::vector<entry>::iterator find(caf::actor_id aid);
  void compact_if_sparse();

  std::vector<entry> entries_;
  std::uint64_t live_ = 0;
  // Where the last removal hit: users removed newest-first end in about that
  // order, so most lookups are answered next to it without a search.
  std::size_t hint_ = 0;
};

} // namespace amoc::detail
