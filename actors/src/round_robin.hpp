#pragma once

/// Round-robin placement of user ids over worker nodes, as the original
/// describes it: in one batch of ids, the first goes to the first node, the
/// next to the second node, and so on, wrapping around.

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "amoc/id_range.hpp"

namespace amoc::detail {

/// Ids first..first+count-1 handed out by one `do` or `add`: id first + j
/// went to nodes[j % nodes.size()] (indexes into the master's node list).
struct placement_batch {
  std::uint64_t first = 1;
  std::uint64_t count = 0;
  std::vector<std::size_t> nodes;
};

/// The ids that the node at position k of m gets from ids first..first+count-1.
[[nodiscard]] id_range share_of(std::uint64_t first, std::uint64_t count, std::size_t k,
                                std::size_t m);

/// How many of the newest n ids each node holds, after skipping the newest
/// `skip` ids (already removed): node index -> count.
[[nodiscard]] std::map<std::size_t, std::uint64_t>
newest_shares(const std::vector<placement_batch>& batches, std::uint64_t skip, std::uint64_t n);

/// n split as evenly as it goes over nodes that hold capacity[i] users each:
/// equal shares, and what a node cannot take goes to the others. The shares
/// add up to min(n, sum of capacities).
[[nodiscard]] std::vector<std::uint64_t> spread(std::uint64_t n,
                                                const std::vector<std::uint64_t>& capacity);

/// The port of "host:port", if it is a number from 1 to 65535.
[[nodiscard]] std::optional<std::uint16_t> parse_port(std::string_view address);

}  // namespace amoc::detail
