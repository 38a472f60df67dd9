#pragma once

/// A set of user ids as an arithmetic progression: first, first + stride, ...
/// up to last. Round-robin placement gives each worker node such a range
/// (node k of n runs first + k, first + k + n, ...), so a range of any size
/// crosses the network in three numbers.

#include <cstdint>
#include <string>

namespace amoc {

/// User ids first..last inclusive.
struct id_range {
  std::uint64_t first = 1;
  std::uint64_t count = 0;   ///< how many ids; 0 is an empty range
  std::uint64_t stride = 1;  ///< distance between two consecutive ids

  /// Ids first..last inclusive, one apart; empty when first > last.
  [[nodiscard]] static id_range between(std::uint64_t first, std::uint64_t last) {
    return first > last ? id_range{first, 0, 1} : id_range{first, last - first + 1, 1};
  }

  [[nodiscard]] bool empty() const noexcept { return count == 0; }
  /// The highest id; only meaningful when not empty.
  [[nodiscard]] std::uint64_t last() const noexcept { return first + (count - 1) * stride; }

  friend bool operator==(const id_range&, const id_range&) = default;

  template <class Inspector>
  friend auto inspect(Inspector& f, id_range& x) {
    return f(x.first, x.count, x.stride);
  }
};

/// "1..100", "2..98/3" (every third id), or "none".
[[nodiscard]] std::string to_string(const id_range& r);

}  // namespace amoc
