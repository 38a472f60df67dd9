#pragma once

#include <openssl/ssl.h>

#include <string>

namespace amoc::xmpp::detail {

/// The process's TLS client contexts, one verifying the server's certificate
/// (system trust store, host name checked per connection) and one not (load
/// tests usually hit servers with self-signed certificates). Both release
/// idle read/write buffers (SSL_MODE_RELEASE_BUFFERS): an idle TLS session
/// then keeps no 34 KB of record buffers.
[[nodiscard]] SSL_CTX* tls_client_context(bool verify);

/// OpenSSL's queued errors as one line (and clears the queue).
[[nodiscard]] std::string tls_errors();

}  // namespace amoc::xmpp::detail
