#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace amoc::http::detail {

/// Where a request goes: one kept-alive connection serves one origin.
struct origin {
  bool tls = false;
  std::string host;  ///< without brackets for IPv6 literals
  std::uint16_t port = 0;

  bool operator==(const origin&) const = default;
  /// The Host header's value: host, bracketed if IPv6, with the port unless it is the default.
  [[nodiscard]] std::string host_header() const;
};

/// An absolute http or https URL, split for sending.
struct url {
  detail::origin origin;
  std::string target;  ///< path and query ("/" when the URL has none); the fragment dropped
};

/// Parses `text`; nullopt (and why, in `why`) when it is not an absolute http(s) URL.
[[nodiscard]] std::optional<url> parse_url(std::string_view text, std::string* why = nullptr);

/// The absolute URL a redirect's `Location` points to, from the URL it came from
/// (RFC 9110 §10.2.2: it may be absolute, scheme-relative, absolute-path or relative).
[[nodiscard]] std::string resolve_location(const url& base, std::string_view location);

/// The URL of `u` as text.
[[nodiscard]] std::string to_string(const url& u);

}  // namespace amoc::http::detail
