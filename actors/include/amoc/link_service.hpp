#pragma once

/// Node links: the transport between a master and its worker nodes.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "amoc/link_security.hpp"

namespace amoc::links {

/// amoc's own transport for node links, in front of CAF's middleman: TCP or
/// mutual TLS terminated here, on one thread of its own, one connection at a
/// time. CAF's BASP only ever sees one end of a local socket pair per link;
/// this side relays the bytes, after checking every header a peer sends
/// (`frame_guard`). So a failing TLS session, a stray connection, garbage or a
/// hostile header closes that connection and nothing else.
///
/// Why not CAF's openssl module: Debian's libcaf_openssl 0.17.6 never clears
/// OpenSSL's per-thread error queue, and the middleman serves every link from
/// one thread, so one failed session made every other link fail with it.
class link_service {
public:
  struct options {
    link_security security;
    /// From TCP accept (or connect) to a complete BASP handshake; a peer that
    /// is slower is dropped, so unauthenticated connections cannot pile up.
    std::chrono::milliseconds handshake_deadline{std::chrono::seconds{5}};
    /// Connections still in their handshake at once; more are closed at once.
    std::size_t max_handshaking = 32;
  };

  /// A connected link: the local end for CAF, and who is on the other side.
  struct connection {
    int fd;                        ///< one end of a socket pair; CAF owns it from here
    std::string peer;              ///< "127.0.0.1:40112"
    std::uint16_t local_port = 0;  ///< the port it came in on (accepted links)
  };
  using on_accept = std::function<void(connection)>;
  using on_dial = std::function<void(caf::expected<connection>)>;

  /// Checks the certificates (unless insecure) and starts the link thread.
  [[nodiscard]] static caf::expected<std::shared_ptr<link_service>> start(options opts);
  ~link_service();
  link_service(const link_service&) = delete;
  link_service& operator=(const link_service&) = delete;

  /// Listens on host:port (0: a free port); each connection that passes TLS
  /// goes to `accepted` on the link thread. Returns the port.
  [[nodiscard]] caf::expected<std::uint16_t> listen(const std::string& host, std::uint16_t port,
                                                    on_accept accepted);
  /// Connects to host:port and calls `done` on the link thread, with the
  /// local end once TCP (and TLS) are up, or an error naming the phase.
  void dial(const std::string& host, std::uint16_t port, on_dial done);
  /// Closes every link and joins the thread; later calls do nothing.
  void stop();

  struct impl;

private:
  explicit link_service(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace amoc::links
