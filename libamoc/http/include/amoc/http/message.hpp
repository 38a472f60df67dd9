#pragma once

/// What the HTTP client sends and receives: `http::request`, `http::response`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "amoc/config.hpp"

namespace amoc::http {

/// An HTTP request method.
enum class method : std::uint8_t { get, head, post, put, patch, del, options };

/// "GET", "HEAD", "POST", ...
[[nodiscard]] const char* to_string(method m) noexcept;

/// A header field: name and value, as sent or received.
struct header {
  std::string name;
  std::string value;
};
/// Header fields in order, duplicates kept.
using headers = std::vector<header>;

/// One request. Build it before the `co_await` (g++ 12 must not see a braced
/// list inside a `co_await` expression).
struct request {
  http::method method = method::get;
  std::string url;        ///< http://host[:port]/path?query or https://...
  http::headers headers;  ///< sent as given, after Host (unless given here) and User-Agent
  std::string body;       ///< sent with Content-Length when not empty (or for POST/PUT/PATCH)
  std::string name;       ///< metrics name: `http.<name>.*`; empty: the method, lower case
};

/// What a request got back.
struct response {
  unsigned status = 0;
  http::headers headers;
  std::string body;
  /// The URL that answered (differs from the request's after redirects).
  std::string url;
  /// From the first byte sent (or the connect) to the last byte received.
  duration latency{};
  /// Redirects followed to get here.
  int redirects = 0;
  /// The request went out on a connection kept alive from an earlier one.
  bool reused_connection = false;

  /// The first header called `name` (case-insensitive), if any.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

}  // namespace amoc::http
