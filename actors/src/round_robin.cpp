#include "round_robin.hpp"

#include <algorithm>
#include <charconv>

namespace amoc::detail {

namespace {

// How many j in [0, x] have j % m == k; x may be -1.
std::uint64_t count_upto(std::int64_t x, std::size_t k, std::size_t m) {
  const auto kk = static_cast<std::int64_t>(k);
  return x < kk ? 0 : static_cast<std::uint64_t>((x - kk) / static_cast<std::int64_t>(m)) + 1;
}

}  // namespace

id_range share_of(std::uint64_t first, std::uint64_t count, std::size_t k, std::size_t m) {
  if (k >= count)
    return {first + k, 0, m};
  return {first + k, (count - k + m - 1) / m, m};
}

std::map<std::size_t, std::uint64_t> newest_shares(const std::vector<placement_batch>& batches,
                                                   std::uint64_t skip, std::uint64_t n) {
  std::map<std::size_t, std::uint64_t> result;
  for (auto b = batches.rbegin(); b != batches.rend() && n > 0; ++b) {
    if (skip >= b->count) {
      skip -= b->count;
      continue;
    }
    // Positions lo..hi of this batch, counted from its first id.
    const auto hi = static_cast<std::int64_t>(b->count - 1 - skip);
    const auto lo = std::max<std::int64_t>(0, hi - static_cast<std::int64_t>(n) + 1);
    const auto m = b->nodes.size();
    for (std::size_t k = 0; k < m; ++k)
      result[b->nodes[k]] += count_upto(hi, k, m) - count_upto(lo - 1, k, m);
    n -= static_cast<std::uint64_t>(hi - lo + 1);
    skip = 0;
  }
  return result;
}

std::vector<std::uint64_t> spread(std::uint64_t n, const std::vector<std::uint64_t>& capacity) {
  std::vector<std::uint64_t> shares(capacity.size(), 0);
  // Each round either places all of n or fills at least one node.
  while (n > 0) {
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < capacity.size(); ++i)
      if (shares[i] < capacity[i])
        open.push_back(i);
    if (open.empty())
      break;
    const auto each = n / open.size();
    const auto extra = n % open.size();
    for (std::size_t k = 0; k < open.size(); ++k) {
      const auto i = open[k];
      const auto give = std::min(each + (k < extra ? 1 : 0), capacity[i] - shares[i]);
      shares[i] += give;
      n -= give;
    }
  }
  return shares;
}

std::optional<std::uint16_t> parse_port(std::string_view address) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return std::nullopt;
  const auto digits = address.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value == 0 || value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace amoc::detail
