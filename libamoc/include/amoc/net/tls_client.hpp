#pragma once

/// The one builder of TLS contexts: the HTTP and XMPP clients and the node
/// links' client (and, with the same settings, their server) side. TLS 1.2 or
/// later; idle sessions release their record buffers.

#include <string>
#include <string_view>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/ssl/context.hpp>
#include <caf/expected.hpp>

namespace amoc::net {

/// How a TLS endpoint checks its peers and identifies itself.
struct tls_settings {
  /// Check the peer's certificate (host names are checked per connection).
  /// Off, any certificate passes: load tests often hit self-signed servers.
  /// The trust store is loaded either way, so a connection may still switch
  /// verification on for itself.
  bool verify_peer = true;
  std::string ca_file;    ///< PEM CAs that sign peers; empty: the system's trust store
  std::string cert_file;  ///< this side's certificate chain (PEM); empty: none shown
  std::string key_file;   ///< its private key (PEM), with `cert_file`
  /// A peer must show a certificate (mutual TLS); with `verify_peer`.
  bool require_peer_cert = false;
  /// A peer that drops TCP without close_notify reads as a plain EOF (HTTP/1.1
  /// and XMPP know where their messages end); off, it is a TLS error.
  bool allow_unexpected_eof = true;
};

/// A client context for `settings`. A file that cannot be used is an
/// `invalid_config` error "<who>: cannot use the <certificate|key|CA> <file>: <reason>".
[[nodiscard]] caf::expected<boost::asio::ssl::context>
tls_client_context(const tls_settings& settings, std::string_view who);

/// The process's client context for `settings`, made on first use and kept
/// for the life of the process (connections share it); an error is not kept.
[[nodiscard]] caf::expected<boost::asio::ssl::context*>
shared_tls_client_context(const tls_settings& settings, std::string_view who);

/// The same for the accepting side (node links listen with mutual TLS).
[[nodiscard]] caf::expected<boost::asio::ssl::context>
tls_server_context(const tls_settings& settings, std::string_view who);

/// OpenSSL's queued errors as one line (and clears the queue).
[[nodiscard]] std::string tls_errors();

}  // namespace amoc::net
