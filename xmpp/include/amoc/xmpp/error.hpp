#pragma once

/// Failures of the XMPP client. Each names the phase it happened in, so a
/// load test counts failures per phase (`xmpp.failures.<phase>`) and a user
/// that ends on one says where: "xmpp sasl: not-authorized".

#include <cstdint>

#include "amoc/phase_error.hpp"

namespace amoc::xmpp {

/// Where a connection's life can fail.
enum class phase : std::uint8_t {
  resolve,       ///< looking up the server's address
  connect,       ///< TCP (or WebSocket) connection
  tls,           ///< STARTTLS or direct TLS handshake
  stream,        ///< stream header and features, stream errors
  sasl,          ///< authentication
  bind,          ///< resource binding
  session,       ///< session establishment (RFC 3921)
  sm,            ///< stream management: enable, resume (XEP-0198)
  registration,  ///< in-band registration (XEP-0077)
  send,          ///< sending a stanza
  wait,          ///< waiting for a stanza
  receive,       ///< receiving: more unread stanzas than `xmpp_max_unread_bytes`
  close,         ///< closing the stream
};

/// All phases, in enum order.
inline constexpr phase all_phases[] = {
  phase::resolve, phase::connect, phase::tls,   phase::stream,       phase::sasl,
  phase::bind,    phase::session, phase::sm,    phase::registration, phase::send,
  phase::wait,    phase::receive, phase::close,
};

/// "resolve", "connect", "tls", ...
[[nodiscard]] const char* to_string(phase p) noexcept;

/// The name failures carry: "xmpp sasl: not-authorized".
[[nodiscard]] constexpr const char* protocol_of(phase) noexcept { return "xmpp"; }

/// An XMPP failure: thrown by the client's coroutines. Uncaught, it ends the
/// user with reason `scenario_error` and this message.
using error = phase_error<phase>;

}  // namespace amoc::xmpp
