#pragma once

// Hands the local ends of node links to CAF's BASP broker: the only place
// that knows how amoc's transport plugs into CAF 0.17's middleman.

#include <cstdint>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/io/scribe.hpp>

namespace amoc::links {

/// This actor system's BASP broker (CAF's middleman must be loaded).
[[nodiscard]] caf::actor basp_broker(caf::actor_system& sys);

/// A CAF connection over `fd`; CAF owns the descriptor from here.
[[nodiscard]] caf::io::scribe_ptr scribe_for(caf::actor_system& sys, int fd);

/// Serves `published` on an accepted link: BASP sends its server handshake
/// and the peer may talk to `published` and what it hands out. Thread-safe.
void serve(const caf::actor& broker, caf::io::scribe_ptr link, std::uint16_t port,
           const caf::actor& published);

}  // namespace amoc::links
