#pragma once

// Base64 (RFC 4648 §4, with padding) as SASL data travels in XMPP (RFC 6120 §6.4.2).

#include <optional>
#include <string>
#include <string_view>

namespace amoc::xmpp::detail {

[[nodiscard]] std::string base64_encode(std::string_view bytes);

/// The decoded bytes, or nullopt when `text` is not canonical padded base64
/// (a length that is not a multiple of 4, a character outside the alphabet,
/// misplaced '='). White space is not accepted either (RFC 6120 §6.4.2).
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace amoc::xmpp::detail
