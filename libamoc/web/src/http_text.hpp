#pragma once

// From Beast's messages to the server's own types and back.

#include <string>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/beast/http.hpp>

#include "amoc/web_server.hpp"

namespace amoc::web::detail {

namespace http = boost::beast::http;

/// Method, path, query and headers of `head` (the body stays empty).
[[nodiscard]] request request_of(const http::request_header<>& head);

/// `res` as a Beast message; for a HEAD request the length without the body.
[[nodiscard]] http::response<http::string_body> message_of(const response& res, bool keep_alive,
                                                           bool head_only);

/// The status line and headers that open an event stream (no length: the
/// stream ends when the connection closes).
[[nodiscard]] std::string stream_head(const response& res);

/// A short JSON answer the server makes itself (413, 503, ...).
[[nodiscard]] response plain_error(unsigned status, std::string_view what);

}  // namespace amoc::web::detail
