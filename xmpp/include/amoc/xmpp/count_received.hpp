#pragma once

/// Reading what arrives for a while: the loop chat scenarios run between sends.

#include <chrono>
#include <cstdint>

#include "amoc/task.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/predicates.hpp"

namespace amoc::xmpp {

/// Receives stanzas until `until`, or until `wanted` of them matched `pred`
/// (others are taken and dropped); how many matched. Delivery times are
/// recorded as stanzas are received, as for every receive.
[[nodiscard]] task<std::int64_t> count_received(client& c,
                                                std::chrono::steady_clock::time_point until,
                                                std::int64_t wanted, predicate pred = is::chat());

}  // namespace amoc::xmpp
