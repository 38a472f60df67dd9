#pragma once

#include <caf/fwd.hpp>

namespace caf {
class actor_system_config;
}

namespace amoc::detail {

/// Installs amoc's scheduler in `cfg`: CAF's work-sharing coordinator with a
/// clock that skips the per-actor timeout cancellation for user actors.
///
/// Why: CAF 0.17 cancels timeouts for every terminating actor by pushing an
/// event to the clock thread, which costs a futex wake and a context switch
/// per actor. Users never arm CAF timeouts (their timers live in the node's
/// timer wheel), so for a million users that work was pure overhead: it
/// dominated the time a forced stop of all users took.
void install_node_scheduler(caf::actor_system_config& cfg);

}  // namespace amoc::detail
