#pragma once

/// Builders for the stanzas and nonzas a scenario sends, in the spirit of
/// escalus_stanza. Each writes the XML text directly (one string, escaped,
/// no DOM), so building a chat message costs about as much as formatting it.
/// Stanzas that need an id get one: pass `id`, or a fresh `next_id()` is used.
///
///   client.send(stanzas::chat_with_timestamp("user_2@localhost", "hi"));
///   client.send(stanzas::presence());
///   auto roster = co_await client.send_iq_and_wait(stanzas::roster_get(), 5s);
///
/// Arguments are text, escaped on the way in; parameters called `*_xml` take
/// XML that is inserted as it is. The families with their readers and
/// predicates have their own headers, included here: `muc.hpp` (XEP-0045),
/// `mam.hpp` (XEP-0313, RSM in `rsm.hpp`), `pubsub.hpp` (XEP-0060, PEP),
/// `roster.hpp` (RFC 6121 roster and subscriptions), `registration.hpp`
/// (XEP-0077), `data_form.hpp` (XEP-0004). Invalid arguments (a presence type RFC 6121
/// does not define, a control character XML cannot carry) throw
/// `std::invalid_argument` naming the problem.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/xmpp/mam.hpp"
#include "amoc/xmpp/muc.hpp"
#include "amoc/xmpp/namespaces.hpp"
#include "amoc/xmpp/pubsub.hpp"
#include "amoc/xmpp/registration.hpp"
#include "amoc/xmpp/roster.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp::stanzas {

/// Wall-clock time, as carried in message timestamps.
using time_point = std::chrono::system_clock::time_point;

/// A fresh id, unique in the process: a random per-thread prefix and a counter ("1f3a9c2e-2b").
[[nodiscard]] std::string next_id();

// ---- messages (RFC 6121 §5) ---------------------------------------------------

/// `<message to type id><body/></message>`; `type` is chat, groupchat, headline,
/// normal, error or "" (normal); an empty `body` leaves `<body/>` out.
[[nodiscard]] stanza message(std::string_view to, std::string_view type, std::string_view body,
                             std::string_view id = {});
/// A one-to-one chat message.
[[nodiscard]] stanza chat(std::string_view to, std::string_view body, std::string_view id = {});
/// A chat message carrying its send time, `<sent xmlns='urn:amoc:ttd' us='...'/>`
/// (microseconds since the epoch), from which the receiver computes time to delivery.
[[nodiscard]] stanza chat_with_timestamp(std::string_view to, std::string_view body,
                                         time_point sent = std::chrono::system_clock::now(),
                                         std::string_view id = {});
/// `message` with the send-time element appended.
[[nodiscard]] stanza with_timestamp(stanza message,
                                    time_point sent = std::chrono::system_clock::now());
/// The send time carried by a message (`chat_with_timestamp`), if it has one.
[[nodiscard]] std::optional<time_point> sent_timestamp(const stanza& message);
/// The namespace of the send-time element.
inline constexpr std::string_view ttd_xmlns = ns::ttd;

/// Appends `child_xml` (well-formed XML, inserted as it is) as the last child
/// of the stanza's element.
void add_child(stanza& s, std::string_view child_xml);

// ---- presence (RFC 6121 §4) ---------------------------------------------------

/// Optional children of an available presence (RFC 6121 §4.7.2).
struct presence_details {
  std::string_view show = {};        ///< away, chat, dnd, xa, or "" (available)
  std::string_view status = {};      ///< free text
  std::optional<int> priority = {};  ///< -128..127
};

/// Broadcast presence; `type` "" (or "available") is available, else one of
/// unavailable, subscribe, subscribed, unsubscribe, unsubscribed, probe, error.
[[nodiscard]] stanza presence(std::string_view type = {}, const presence_details& details = {});
/// Directed presence, e.g. `presence_to("bob@localhost", "subscribe")`.
[[nodiscard]] stanza presence_to(std::string_view to, std::string_view type = {},
                                 const presence_details& details = {});

// ---- iq (RFC 6120 §8.2.3) -----------------------------------------------------

/// `<iq type id [to]>payload_xml</iq>`; `type` is get, set, result or error.
[[nodiscard]] stanza iq(std::string_view type, std::string_view payload_xml,
                        std::string_view to = {}, std::string_view id = {});
/// `<iq type='get'><query xmlns='...'/></iq>`.
[[nodiscard]] stanza iq_get(std::string_view xmlns, std::string_view to = {},
                            std::string_view id = {});
/// `<iq type='set'><query xmlns='...'>inner_xml</query></iq>`.
[[nodiscard]] stanza iq_set(std::string_view xmlns, std::string_view inner_xml,
                            std::string_view to = {}, std::string_view id = {});
/// The result for a received get or set: same id, addressed to its sender.
[[nodiscard]] stanza iq_result(const stanza& request, std::string_view payload_xml = {});
/// The defined stanza error conditions (RFC 6120 §8.3.3), in its order.
inline constexpr std::array<std::string_view, 22> stanza_error_conditions{
  "bad-request",
  "conflict",
  "feature-not-implemented",
  "forbidden",
  "gone",
  "internal-server-error",
  "item-not-found",
  "jid-malformed",
  "not-acceptable",
  "not-allowed",
  "not-authorized",
  "policy-violation",
  "recipient-unavailable",
  "redirect",
  "registration-required",
  "remote-server-not-found",
  "remote-server-timeout",
  "resource-constraint",
  "service-unavailable",
  "subscription-required",
  "undefined-condition",
  "unexpected-request",
};
/// An error reply (RFC 6120 §8.3): `condition` is a defined condition such as
/// "service-unavailable", `type` one of auth, cancel, continue, modify, wait.
[[nodiscard]] stanza iq_error(const stanza& request, std::string_view condition,
                              std::string_view type = "cancel");

// ---- ping (XEP-0199), service discovery (XEP-0030) ----------------------------

/// A ping to `to`, or to the user's server when empty.
[[nodiscard]] stanza ping(std::string_view to = {});
/// The answer to a received ping.
[[nodiscard]] stanza pong(const stanza& ping);
[[nodiscard]] stanza disco_info(std::string_view to, std::string_view node = {});
[[nodiscard]] stanza disco_items(std::string_view to, std::string_view node = {});

// ---- delivery receipts (XEP-0184) ---------------------------------------------

/// Adds `<request xmlns='urn:xmpp:receipts'/>` to a message (which needs an id, §5.2).
void request_receipt(stanza& message);
/// The receipt for a received message: `<received id='...'/>` to its sender.
[[nodiscard]] stanza receipt_for(const stanza& message);

// ---- stream and negotiation nonzas (RFC 6120, RFC 7395, XEP-0198) ----

/// Opens a TCP stream: the XML declaration and `<stream:stream ...>` (RFC 6120 §4.7).
/// Not an element: sent as text.
[[nodiscard]] std::string stream_header(std::string_view domain, std::string_view lang = "en",
                                        std::string_view from = {});
/// `</stream:stream>`.
[[nodiscard]] std::string stream_close();
/// Opens a stream over WebSocket (RFC 7395 §3.4).
[[nodiscard]] stanza ws_open(std::string_view domain, std::string_view lang = "en");
/// Closes a stream over WebSocket (RFC 7395 §3.6).
[[nodiscard]] stanza ws_close();

/// `<starttls/>` (RFC 6120 §5.4.2).
[[nodiscard]] stanza starttls();
/// `<auth mechanism='...'>`: nullopt sends no initial response; an empty one
/// is sent as "=" (RFC 6120 §6.4.2).
[[nodiscard]] stanza sasl_auth(std::string_view mechanism,
                               std::optional<std::string_view> initial_response_base64);
/// SASL `<response/>` and `<abort/>` (RFC 6120 §6.4.3, §6.4.4).
[[nodiscard]] stanza sasl_response(std::string_view response_base64);
[[nodiscard]] stanza sasl_abort();

/// Resource binding (RFC 6120 §7); the server picks the resource when empty.
[[nodiscard]] stanza bind(std::string_view resource = {});
/// Session establishment (RFC 3921 §3; optional in RFC 6121, still required by some servers).
[[nodiscard]] stanza session();

/// Enables stream management (XEP-0198 §3), asking for resumption when `resume`.
[[nodiscard]] stanza sm_enable(bool resume = false);
[[nodiscard]] stanza sm_request();
/// Acknowledges `h` handled stanzas (counted modulo 2^32, XEP-0198 §4).
[[nodiscard]] stanza sm_ack(std::uint32_t h);
[[nodiscard]] stanza sm_resume(std::string_view previd, std::uint32_t h);

}  // namespace amoc::xmpp::stanzas
