#pragma once

// What the floor client sends (tests/bench/xmpp_floor.cpp): fixed strings, or
// one snprintf into the caller's stack buffer. The same bytes as amoc's
// client sends on this path (xmpp/src/stanzas.cpp), ids aside.

#include <cstdint>
#include <cstdio>
#include <string_view>

#include "xmpp_floor_text.hpp"

namespace floor_client::stanzas {

inline constexpr std::string_view bind_request =
  "<iq type='set' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
  "<resource>amoc</resource></bind></iq>";
inline constexpr std::string_view session_request =
  "<iq type='set' id='sess_1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>";
inline constexpr std::string_view presence = "<presence/>";
inline constexpr std::string_view stream_close = "</stream:stream>";

using buffer = char[400];

inline std::string_view written(const buffer& out, int n) {
  return {out, n < 0 ? 0 : static_cast<std::size_t>(n)};
}

inline std::string_view stream_header(buffer& out, const char* domain) {
  return written(out, std::snprintf(out, sizeof out,
                                    "<?xml version='1.0'?><stream:stream to='%s' version='1.0' "
                                    "xmlns='jabber:client' "
                                    "xmlns:stream='http://etherx.jabber.org/streams'>",
                                    domain));
}

// SASL PLAIN with the initial response: \0user_ID\0password_ID in base64.
inline std::string_view auth(buffer& out, long id) {
  char plain[96], b64[160];
  const int n = std::snprintf(plain, sizeof plain, "%cuser_%ld%cpassword_%ld", 0, id, 0, id);
  base64({plain, static_cast<std::size_t>(n)}, b64);
  return written(
    out, std::snprintf(out, sizeof out,
                       "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%s</auth>",
                       b64));
}

// Chat number `n` from user `id` to user `partner`, stamped `sent_us`.
inline std::string_view chat(buffer& out, const char* domain, long id, long partner, int n,
                             std::int64_t sent_us) {
  return written(
    out, std::snprintf(
           out, sizeof out,
           "<message to='user_%ld@%s' type='chat' id='floor-%ld-%d'><body>hello from user_%ld@%s/"
           "amoc</body><sent xmlns='urn:amoc:ttd' us='%lld'/></message>",
           partner, domain, id, n, id, domain, static_cast<long long>(sent_us)));
}

}  // namespace floor_client::stanzas
