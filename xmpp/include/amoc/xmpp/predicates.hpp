#pragma once

/// Predicates over received stanzas, in the spirit of escalus_pred, for
/// `wait_for_stanza(timeout, predicate)` and for counting what arrives:
///
///   auto m = co_await client.wait_for_stanza(5s, is::chat_from(alice));
///   auto r = co_await client.wait_for_stanza(5s, is::iq_result(request.id()));
///   if (is::stream_error()(s)) log << stream_error_condition(s).condition;
///
/// Each factory returns a `predicate`; the arguments are copied into it. JID
/// arguments given as text are parsed when the predicate is made (a bad one
/// throws `std::invalid_argument`) and matched as RFC 7622 says: local and
/// domain ignoring ASCII case, the resource exactly and only when given.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/xmpp/jid.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp {

/// True for the stanzas it is looking for.
using predicate = std::function<bool(const stanza&)>;

/// An error's defined condition and text, from a stream error (RFC 6120 §4.9),
/// a SASL failure (§6.5) or a stanza error (§8.3).
struct error_condition {
  /// "not-authorized", "conflict", ...; "undefined-condition" for an error that
  /// names none; "" when the stanza is not that kind of error.
  std::string condition;
  /// The optional human-readable `<text/>`.
  std::string text;
  /// Stanza errors only: auth, cancel, continue, modify or wait.
  std::string type;
};

/// The condition of `<stream:error/>`.
[[nodiscard]] error_condition stream_error_condition(const stanza& s);
/// The condition of a SASL `<failure/>`.
[[nodiscard]] error_condition sasl_failure_condition(const stanza& s);
/// The condition of a message, presence or iq of type error.
[[nodiscard]] error_condition stanza_error_condition(const stanza& s);

namespace is {

// ---- combinators and generic tests ----

/// Every stanza.
[[nodiscard]] predicate any();
/// All of `ps` hold.
[[nodiscard]] predicate all_of(std::vector<predicate> ps);
/// At least one of `ps` holds.
[[nodiscard]] predicate any_of(std::vector<predicate> ps);
/// `p` does not hold.
[[nodiscard]] predicate negation(predicate p);
/// An element called `name` (as written, e.g. "stream:features"), with `xmlns` when given.
[[nodiscard]] predicate element(std::string_view name, std::string_view xmlns = {});
/// A stanza with a child element `name` in namespace `xmlns`.
[[nodiscard]] predicate with_child(std::string_view name, std::string_view xmlns);
/// Any stanza from `from` (any resource unless `from` has one).
[[nodiscard]] predicate from(const jid& from);
[[nodiscard]] predicate from(std::string_view from);

// ---- messages ----

/// Any `<message/>`.
[[nodiscard]] predicate message();
/// A chat message with a body (chat states and receipts, which have none, do not count).
[[nodiscard]] predicate chat();
/// A chat message with a body from `from`.
[[nodiscard]] predicate chat_from(const jid& from);
[[nodiscard]] predicate chat_from(std::string_view from);
/// A chat message whose body is exactly `body`.
[[nodiscard]] predicate chat_with_body(std::string_view body);
/// A groupchat message with a body, from the room `room` when given (XEP-0045 §7.4).
[[nodiscard]] predicate groupchat(std::string_view room = {});
/// The delivery receipt for message `id` (XEP-0184).
[[nodiscard]] predicate receipt_for(std::string_view id);
/// A message from a MAM query (XEP-0313 §4.2), of query `query_id` when given.
[[nodiscard]] predicate mam_result(std::string_view query_id = {});

// ---- presence ----

/// A presence of `type`: "" or "available" for available, else "unavailable", "subscribe", ...
[[nodiscard]] predicate presence(std::string_view type = {});
/// A presence of `type` from `from`.
[[nodiscard]] predicate presence_from(const jid& from, std::string_view type = {});
[[nodiscard]] predicate presence_from(std::string_view from, std::string_view type = {});

// ---- iq ----

/// An iq of type result, with `id` when given.
[[nodiscard]] predicate iq_result(std::string_view id = {});
/// An iq of type error, with `id` when given.
[[nodiscard]] predicate iq_error(std::string_view id = {});
/// An iq (of any type) with this id.
[[nodiscard]] predicate iq_with_id(std::string_view id);
/// The result or error answering `request` (matched by id).
[[nodiscard]] predicate iq_reply_to(const stanza& request);
/// A get or set from a peer or the server whose payload is in `xmlns`.
[[nodiscard]] predicate iq_request(std::string_view xmlns);
/// The end of a MAM query (XEP-0313 §4.3): an iq result with `<fin/>`, of iq `id` when given.
[[nodiscard]] predicate mam_fin(std::string_view id = {});
/// A ping from the server or a peer (XEP-0199), to be answered with `stanzas::pong`.
[[nodiscard]] predicate ping();
/// A roster push (RFC 6121 §2.1.6).
[[nodiscard]] predicate roster_push();
/// A stanza of type error, with `condition` when given.
[[nodiscard]] predicate stanza_error(std::string_view condition = {});

// ---- stream, SASL, stream management ----

/// `<stream:features/>`.
[[nodiscard]] predicate stream_features();
/// `<stream:error/>`.
[[nodiscard]] predicate stream_error();
/// SASL `<challenge/>`, `<success/>` and `<failure/>` (RFC 6120 §6.4).
[[nodiscard]] predicate sasl_challenge();
[[nodiscard]] predicate sasl_success();
[[nodiscard]] predicate sasl_failure();
/// XEP-0198 `<a/>`, `<r/>`, `<enabled/>`, `<resumed/>`, `<failed/>`.
[[nodiscard]] predicate sm_ack();
[[nodiscard]] predicate sm_request();
[[nodiscard]] predicate sm_enabled();
[[nodiscard]] predicate sm_resumed();
[[nodiscard]] predicate sm_failed();

}  // namespace is

}  // namespace amoc::xmpp
