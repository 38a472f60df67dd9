#pragma once

#include <string>

#include "amoc/http/message.hpp"
#include "amoc/net/url.hpp"

namespace amoc::http::detail {

/// What `serialize` adds to every request.
struct request_defaults {
  const std::string& user_agent;
  bool keep_alive;
};

/// The bytes of `req` on the wire (HTTP/1.1, RFC 9112 §3): the request line,
/// Host and User-Agent unless given, `Connection: close` when not keeping the
/// connection, the request's headers, Content-Length and the body.
[[nodiscard]] std::string serialize(const request& req, const net::url& target,
                                    const request_defaults& defaults);

}  // namespace amoc::http::detail
