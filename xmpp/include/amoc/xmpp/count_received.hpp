#pragma once

/// Reading what arrives for a while: the loop chat scenarios run between sends.

#include <chrono>
#include <cstdint>

#include "amoc/task.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/predicates.hpp"

namespace amoc::xmpp {

/// Receives stanzas until `until`, or until `wanted` of them matched `pred`
/// (others are taken and dropped); how many matched. The user sleeps until
/// as many stanzas are unread as matches are still wanted, or `until`: a
/// chat loop is woken by its timer, not also by each message it receives.
/// Delivery times are those of arrival, taken by the I/O thread.
[[nodiscard]] task<std::int64_t> count_received(client& c,
                                                std::chrono::steady_clock::time_point until,
                                                std::int64_t wanted, predicate pred = is::chat());

}  // namespace amoc::xmpp
