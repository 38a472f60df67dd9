#pragma once

// Stray and hostile peers for a node's port: what a scanner, a misconfigured
// client or an attacker sends. Each connects to 127.0.0.1:port, sends its
// bytes and reports whether the node closed the connection within a deadline.

#include <cstdint>
#include <string>

namespace amoc::test {

/// Plain TCP: sends `bytes`, then waits up to `seconds` for the node to close.
/// True when the node closed the connection (or refused it).
bool plain_peer_is_closed(std::uint16_t port, const std::string& bytes, int seconds = 8);

/// TLS with an optional client certificate (empty paths: none): handshakes,
/// sends `bytes` if the handshake succeeds, then waits for the node to close.
/// True when the node refused the handshake or closed the connection.
bool tls_peer_is_closed(std::uint16_t port, const std::string& cert, const std::string& key,
                        const std::string& ca, const std::string& bytes, int seconds = 8);

/// A BASP header (32 bytes, network byte order) with `operation` and `payload` length.
[[nodiscard]] std::string basp_header(std::uint8_t operation, std::uint32_t payload);

/// `n` random bytes.
[[nodiscard]] std::string random_bytes(std::size_t n);

/// Sends `bytes` and closes after at most `linger_ms` (or when the node closes first).
void hit_and_run(std::uint16_t port, const std::string& bytes, int linger_ms);

}  // namespace amoc::test
