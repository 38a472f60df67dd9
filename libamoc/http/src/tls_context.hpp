#pragma once

#include <string>

#include <boost/asio/ssl/context.hpp>

namespace amoc::http::detail {

/// The process's TLS client context for a verification setting: verifying
/// against the system's trust store or `ca_file`, or not verifying at all
/// (load tests often hit servers with self-signed certificates). Contexts are
/// made once and kept for the life of the process.
[[nodiscard]] boost::asio::ssl::context& tls_context(bool verify, const std::string& ca_file);

}  // namespace amoc::http::detail
