#pragma once

// The <body/> wrappers of BOSH (XEP-0124) carrying an XMPP session (XEP-0206):
// the requests a client sends and what it reads from the server's answers.
// Pure text in, text out: the transport (bosh_connection) does the HTTP.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amoc::xmpp::detail::bosh {

/// XEP-0124's namespace of <body/>.
inline constexpr std::string_view ns_httpbind = "http://jabber.org/protocol/httpbind";
/// XEP-0206's namespace of the xmpp:version and xmpp:restart attributes.
inline constexpr std::string_view ns_xbosh = "urn:xmpp:xbosh";

/// What the session creation request asks for (XEP-0124 §7.1).
struct session_params {
  std::string_view domain;
  std::uint64_t rid = 0;
  unsigned hold = 1;   ///< requests the server may keep waiting
  unsigned wait = 60;  ///< seconds the server may keep one waiting
};

/// The first request: creates the session and opens the XMPP stream (XEP-0206 §4).
[[nodiscard]] std::string session_request(const session_params& p);
/// Restarts the stream after SASL success (XEP-0206 §5); carries no payload.
[[nodiscard]] std::string restart_request(std::string_view sid, std::uint64_t rid,
                                          std::string_view domain);
/// A request carrying `payload` (stanzas, nonzas; may be empty: a poll that the
/// server holds so it can answer with what arrives meanwhile).
[[nodiscard]] std::string payload_request(std::string_view sid, std::uint64_t rid,
                                          std::string_view payload);
/// Asks the server to keep the session for `seconds` with no request
/// outstanding (XEP-0124 §10); it answers the requests it holds at once.
[[nodiscard]] std::string pause_request(std::string_view sid, std::uint64_t rid, unsigned seconds);
/// Ends the session (XEP-0124 §13), after `payload`.
[[nodiscard]] std::string terminate_request(std::string_view sid, std::uint64_t rid,
                                            std::string_view payload);

/// What the server answered.
struct response {
  std::string type;                  ///< "" or "terminate"
  std::string condition;             ///< why the server terminated (XEP-0124 §17), or ""
  std::string sid;                   ///< session creation response only
  std::optional<unsigned> requests;  ///< the request window the server allows
  std::optional<unsigned> hold;
  std::optional<unsigned> wait;
  /// The longest pause the server allows (XEP-0124 §7.2, §10), in seconds;
  /// nullopt: the server does not support pausing.
  std::optional<unsigned> maxpause;
  /// The payload: each child element as XML text, prefixed names as sent
  /// (`<stream:features>` as over TCP).
  std::vector<std::string> children;
};

/// Reads a response body; nullopt with `why` when it is not a BOSH <body/>
/// (not XML, another element, another namespace) or a child exceeds
/// `max_element_bytes`.
[[nodiscard]] std::optional<response>
parse_response(std::string_view text, std::size_t max_element_bytes, std::string& why);

}  // namespace amoc::xmpp::detail::bosh
