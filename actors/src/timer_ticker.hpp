#pragma once

#include <memory>

#include <caf/event_based_actor.hpp>

#include "timer_wheel.hpp"

namespace amoc::detail {

/// Drives a timer wheel of users: on `(tick)` it expires what is due, wakes
/// those users with `(wake, token)`, and ticks again one resolution later
/// while any timer is armed. Idle wheels cost nothing.
caf::behavior timer_ticker(caf::event_based_actor* self, std::shared_ptr<timer_wheel> wheel);

}  // namespace amoc::detail
