#pragma once

/// Entity capabilities (XEP-0115) and the service discovery answer behind them
/// (XEP-0030): how a client tells its server which features it has, among them
/// the PEP notifications it wants (a feature `<node>+notify`, XEP-0163 §4).
///
///   const xmpp::capabilities mine{"https://github.com/amoc", {"client", "pc", "amoc"},
///                                 {"http://jabber.org/protocol/disco#info",
///                                  "urn:amoc:pep+notify"}};
///   client.send(stanzas::presence_with_caps(mine));   // the server asks what `ver` means:
///   auto ask = co_await client.wait_for_stanza(5s, is::disco_info_request());
///   client.send(stanzas::disco_info_result(ask, mine));

#include <string>
#include <string_view>
#include <vector>

#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp {

/// A disco identity (XEP-0030 §3.1): category, type and a name.
struct disco_identity {
  std::string category;  ///< "client"
  std::string type;      ///< "pc", "bot", ...
  std::string name;      ///< free text, "" for none
};

/// What a client advertises: its software's node URI, one identity and its features.
struct capabilities {
  std::string node;                   ///< the software's URI (XEP-0115 §4, `node`)
  disco_identity identity;            ///< who it is
  std::vector<std::string> features;  ///< disco#info features, in any order

  /// The verification string (XEP-0115 §5.1): the base64 SHA-1 of the
  /// identity and the sorted features.
  [[nodiscard]] std::string ver() const;
};

namespace stanzas {

/// `<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='...' ver='...'/>`.
[[nodiscard]] std::string caps_xml(const capabilities& caps);
/// An available presence announcing `caps`.
[[nodiscard]] stanza presence_with_caps(const capabilities& caps);
/// The answer to a disco#info get: `caps`' identity and features, for the
/// request's `node` (XEP-0115 §6.2 asks with `node#ver`) or none.
/// Throws `std::invalid_argument` when the request has no id or sender.
[[nodiscard]] stanza disco_info_result(const stanza& request, const capabilities& caps);

}  // namespace stanzas

namespace is {

/// A disco#info get (XEP-0030 §3.1) from the server or a peer.
[[nodiscard]] predicate disco_info_request();

}  // namespace is

}  // namespace amoc::xmpp
