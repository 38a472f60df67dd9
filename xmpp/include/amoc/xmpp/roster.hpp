#pragma once

/// The roster and presence subscriptions (RFC 6121 §2, §3): roster get, set
/// and remove, the four subscription presences, a reader for roster results
/// and pushes, and predicates for pushes and subscription presences.
///
///   client.send(stanzas::subscribe("bob@localhost"));
///   auto push = co_await client.wait_for_stanza(5s, is::roster_push_for("bob@localhost"));
///   client.send(stanzas::iq_result(push));  // RFC 6121 §2.1.6: pushes are answered
///   auto item = read_roster(push).value().items.at(0);  // item.subscription, item.ask

#include <string>
#include <string_view>
#include <vector>

#include "amoc/xmpp/read_result.hpp"

#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp {

namespace stanzas {

/// Asks for the roster.
[[nodiscard]] stanza roster_get();
/// Adds or updates a contact.
[[nodiscard]] stanza roster_add(std::string_view jid, std::string_view name = {},
                                const std::vector<std::string>& groups = {});
/// Removes a contact (subscription='remove').
[[nodiscard]] stanza roster_remove(std::string_view jid);

/// Asks `to` (a bare JID) for a subscription to its presence (RFC 6121 §3.1.1).
[[nodiscard]] stanza subscribe(std::string_view to);
/// Approves `to`'s subscription request (§3.1.4).
[[nodiscard]] stanza subscribed(std::string_view to);
/// Cancels the user's subscription to `to`'s presence (§3.3.1).
[[nodiscard]] stanza unsubscribe(std::string_view to);
/// Denies or cancels `to`'s subscription to the user's presence (§3.2.1).
[[nodiscard]] stanza unsubscribed(std::string_view to);

}  // namespace stanzas

/// One roster entry (RFC 6121 §2.1.2).
struct roster_item {
  std::string jid;           ///< the contact's bare JID
  std::string name;          ///< the handle the user gave it, "" when none
  std::string subscription;  ///< none, to, from, both, or remove (in a push); none when absent
  std::string ask;           ///< "subscribe" while the user's request is pending, else ""
  std::vector<std::string> groups;  ///< the groups it is in
};

/// A roster result or push: its version and items.
struct roster {
  std::string ver;                 ///< the roster version (RFC 6121 §2.6), "" when not versioned
  std::vector<roster_item> items;  ///< all items (result) or the changed one (push)
};

/// Reads a roster result or a roster push; an error names what is wrong (no
/// `<query xmlns='jabber:iq:roster'/>`, an item without a jid, a
/// subscription value RFC 6121 does not define). An iq error gives an error
/// naming its condition.
[[nodiscard]] read_result<roster> read_roster(const stanza& s);

namespace is {

/// A roster push (as `roster_push()`) whose item is `contact` (bare JID),
/// without `from` or from a bare JID (RFC 6121 §2.1.6: a push from a full
/// JID is not the server's).
[[nodiscard]] predicate roster_push_for(std::string_view contact);
/// A subscription presence of `type` (subscribe, subscribed, unsubscribe or
/// unsubscribed; anything else throws `std::invalid_argument`) from `from`.
[[nodiscard]] predicate subscription(std::string_view type, std::string_view from);

}  // namespace is

}  // namespace amoc::xmpp
