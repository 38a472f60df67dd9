#pragma once

/// Publish-subscribe (XEP-0060) and personal eventing (XEP-0163): node
/// creation and deletion, subscriptions, publishing and retrieving items;
/// readers for event notifications, publish results and item lists.
///
///   client.send(stanzas::pubsub_publish("pubsub.localhost", "news", "i1",
///                                       "<entry xmlns='urn:example'>hi</entry>"));
///   auto note = co_await client.wait_for_stanza(5s, is::pubsub_event("pubsub.localhost", "news"));
///   auto event = read_pubsub_event(note).value();  // event.items[0].id, .payload_xml
///
/// A PEP node lives on the user's own bare JID: `pep_publish` has no `to`,
/// and notifications come from the publisher's bare JID.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/xmpp/read_result.hpp"

#include "amoc/xmpp/data_form.hpp"
#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp {

namespace stanzas {

/// Creates `node` on `service` (§8.1), configured with `config` (FORM_TYPE
/// pubsub#node_config) when it is not empty.
[[nodiscard]] stanza pubsub_create(std::string_view service, std::string_view node,
                                   const std::vector<form_field>& config = {});
/// Deletes `node` (owner, §8.4).
[[nodiscard]] stanza pubsub_delete(std::string_view service, std::string_view node);
/// Subscribes `subscriber` (a bare or full JID) to `node` (§6.1).
[[nodiscard]] stanza pubsub_subscribe(std::string_view service, std::string_view node,
                                      std::string_view subscriber);
/// Unsubscribes `subscriber` from `node` (§6.2); `subid` when the server gave one.
[[nodiscard]] stanza pubsub_unsubscribe(std::string_view service, std::string_view node,
                                        std::string_view subscriber, std::string_view subid = {});
/// Publishes an item (§7.1) with `item_id` ("" lets the service choose) and
/// `payload_xml` (one element, inserted as it is; "" for a notification without payload).
[[nodiscard]] stanza pubsub_publish(std::string_view service, std::string_view node,
                                    std::string_view item_id, std::string_view payload_xml);
/// Publishes to the user's own PEP node (XEP-0163 §4): `pubsub_publish` without a `to`.
[[nodiscard]] stanza pep_publish(std::string_view node, std::string_view item_id,
                                 std::string_view payload_xml);
/// Retrieves the items of `node` (§6.5), the newest `max_items` when not 0.
[[nodiscard]] stanza pubsub_items(std::string_view service, std::string_view node,
                                  std::uint32_t max_items = 0);
/// Asks for the subscriptions to `node` (owner, §8.8.1).
[[nodiscard]] stanza pubsub_subscriptions(std::string_view service, std::string_view node);
/// An item payload carrying its send time, `<sent xmlns='urn:amoc:ttd' us='...'/>`
/// (microseconds since the epoch): subscribers read it back as `pubsub_item::sent`.
[[nodiscard]] std::string
timestamp_payload(std::chrono::system_clock::time_point sent = std::chrono::system_clock::now());

}  // namespace stanzas

/// One published item: its id and its payload.
struct pubsub_item {
  std::string id;           ///< the item id ("" if the service sent none)
  std::string payload_xml;  ///< the payload element serialised, "" for none
  /// The send time when the payload is or carries a `timestamp_payload`.
  std::optional<std::chrono::system_clock::time_point> sent = {};
};

/// One subscription to a node, as its owner sees it (§8.8.1).
struct pubsub_subscription {
  std::string jid;           ///< the subscriber, bare or full
  std::string subscription;  ///< subscribed, pending, unconfigured or none
  std::string subid;         ///< "" when the service gave none
};

/// An event notification (§7.1.2.1): published and retracted items of a node.
struct pubsub_event {
  std::string from;                    ///< the service, or the publisher's bare JID for PEP
  std::string node;                    ///< the node the items belong to
  std::vector<pubsub_item> items;      ///< items published
  std::vector<std::string> retracted;  ///< ids of items retracted (§7.2.2.1)
};

/// Reads a `<message><event xmlns='...pubsub#event'><items node>`; an error
/// names what is missing (the event, the items' node).
[[nodiscard]] read_result<pubsub_event> read_pubsub_event(const stanza& s);
/// The item id the service gave a publish (§7.1.2): from
/// `<pubsub><publish><item id/></publish></pubsub>`, or "" when the result
/// carries none (allowed when the request named the id). An iq error gives
/// an error naming its condition.
[[nodiscard]] read_result<std::string> read_published_item_id(const stanza& s);
/// The items of an items result (§6.5.2); an iq error gives an error naming its condition.
[[nodiscard]] read_result<std::vector<pubsub_item>> read_pubsub_items(const stanza& s);
/// The subscriptions of an owner's subscriptions result (§8.8.1.2); an iq
/// error gives an error naming its condition.
[[nodiscard]] read_result<std::vector<pubsub_subscription>>
read_pubsub_subscriptions(const stanza& s);

namespace is {

/// An event notification message with published items, from `from` and of
/// `node` when given (retractions and purges alone do not count).
[[nodiscard]] predicate pubsub_event(std::string_view from = {}, std::string_view node = {});

}  // namespace is

}  // namespace amoc::xmpp
