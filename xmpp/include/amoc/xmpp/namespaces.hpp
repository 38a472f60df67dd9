#pragma once

/// The XML namespaces of the protocols the client speaks, in one place (for
/// `stanza::child(name, xmlns)` and custom predicates and builders).

#include <string_view>

namespace amoc::xmpp::ns {

inline constexpr std::string_view client = "jabber:client";  ///< RFC 6120 §4.8.3
inline constexpr std::string_view streams =
  "http://etherx.jabber.org/streams";  ///< RFC 6120 §4.8.1
inline constexpr std::string_view stream_errors =
  "urn:ietf:params:xml:ns:xmpp-streams";                                      ///< RFC 6120 §4.9
inline constexpr std::string_view tls = "urn:ietf:params:xml:ns:xmpp-tls";    ///< RFC 6120 §5
inline constexpr std::string_view sasl = "urn:ietf:params:xml:ns:xmpp-sasl";  ///< RFC 6120 §6
inline constexpr std::string_view bind = "urn:ietf:params:xml:ns:xmpp-bind";  ///< RFC 6120 §7
inline constexpr std::string_view stanza_errors =
  "urn:ietf:params:xml:ns:xmpp-stanzas";  ///< RFC 6120 §8.3
inline constexpr std::string_view session = "urn:ietf:params:xml:ns:xmpp-session";  ///< RFC 3921 §3
inline constexpr std::string_view framing = "urn:ietf:params:xml:ns:xmpp-framing";  ///< RFC 7395
inline constexpr std::string_view roster = "jabber:iq:roster";   ///< RFC 6121 §2
inline constexpr std::string_view data_forms = "jabber:x:data";  ///< XEP-0004
inline constexpr std::string_view disco_info =
  "http://jabber.org/protocol/disco#info";  ///< XEP-0030
inline constexpr std::string_view disco_items =
  "http://jabber.org/protocol/disco#items";                                            ///< XEP-0030
inline constexpr std::string_view muc = "http://jabber.org/protocol/muc";              ///< XEP-0045
inline constexpr std::string_view muc_owner = "http://jabber.org/protocol/muc#owner";  ///< XEP-0045
inline constexpr std::string_view muc_user =
  "http://jabber.org/protocol/muc#user";  ///< XEP-0045 occupant presence and status codes
inline constexpr std::string_view muc_roomconfig =
  "http://jabber.org/protocol/muc#roomconfig";  ///< XEP-0045 §10.2 FORM_TYPE
inline constexpr std::string_view pubsub = "http://jabber.org/protocol/pubsub";  ///< XEP-0060
inline constexpr std::string_view pubsub_event =
  "http://jabber.org/protocol/pubsub#event";  ///< XEP-0060 notifications
inline constexpr std::string_view pubsub_owner =
  "http://jabber.org/protocol/pubsub#owner";  ///< XEP-0060 §8
inline constexpr std::string_view pubsub_node_config =
  "http://jabber.org/protocol/pubsub#node_config";                 ///< XEP-0060 §16.4.4 FORM_TYPE
inline constexpr std::string_view forward = "urn:xmpp:forward:0";  ///< XEP-0297
inline constexpr std::string_view delay = "urn:xmpp:delay";        ///< XEP-0203
inline constexpr std::string_view rsm = "http://jabber.org/protocol/rsm";  ///< XEP-0059
inline constexpr std::string_view registration = "jabber:iq:register";     ///< XEP-0077
inline constexpr std::string_view receipts = "urn:xmpp:receipts";          ///< XEP-0184
inline constexpr std::string_view sm = "urn:xmpp:sm:3";                    ///< XEP-0198
inline constexpr std::string_view ping = "urn:xmpp:ping";                  ///< XEP-0199
inline constexpr std::string_view mam = "urn:xmpp:mam:2";                  ///< XEP-0313
inline constexpr std::string_view ttd =
  "urn:amoc:ttd";  ///< amoc's send timestamp for time to delivery

}  // namespace amoc::xmpp::ns
