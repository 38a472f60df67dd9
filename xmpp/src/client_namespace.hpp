#pragma once

#include <string>
#include <string_view>

namespace amoc::xmpp::detail {

/// `xml` with xmlns='jabber:client' on its start tag when it is a stanza
/// without a namespace of its own. Transports without a stream element around
/// the stanzas need it: WebSocket (RFC 7395 §3.3.3; Prosody closes the stream
/// otherwise) and BOSH, whose <body/> would lend them its own namespace.
[[nodiscard]] std::string with_client_namespace(std::string_view xml);

}  // namespace amoc::xmpp::detail
