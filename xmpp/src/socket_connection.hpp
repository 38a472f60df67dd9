#pragma once

#include <memory>
#include <string>
#include <vector>

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>

#include "connection.hpp"

namespace amoc::xmpp::detail {

/// XMPP over TCP (RFC 6120), with STARTTLS or direct TLS (XEP-0368).
///
/// No Asio buffers and no Asio TLS stream: the socket is non-blocking and
/// Asio only reports readiness. The I/O thread reads into one buffer per
/// thread and hands bytes to the framer, so an idle connection holds no read
/// buffer at all; OpenSSL works on the socket directly and releases its
/// record buffers when idle. Sends are written by the sending thread at once
/// when the socket takes them (the common case: no thread hop); the rest is
/// flushed by the I/O thread. Every readiness wait is started on the I/O
/// thread, after the socket reported "would block" there, so no edge of the
/// edge-triggered reactor is lost.
class socket_connection final : public connection {
public:
  socket_connection(boost::asio::io_context& io, connection_limits limits, xmpp_metrics& metrics);
  ~socket_connection() override;

  void start_connect(std::shared_ptr<const endpoint_spec> spec) override;
  void start_tls() override;
  [[nodiscard]] std::string stream_open(std::string_view domain) const override;
  [[nodiscard]] std::string stream_close() const override;
  [[nodiscard]] bool supports_starttls() const override { return true; }

protected:
  void close_transport_locked() override;
  void write_locked(std::string_view xml) override;

private:
  enum class io_status : std::uint8_t { done, want_read, want_write, eof, error };
  using endpoint = boost::asio::ip::tcp::endpoint;

  [[nodiscard]] std::shared_ptr<socket_connection> self();

  // All of these run on the I/O thread with the mutex held.
  void connect_locked();
  void try_next_endpoint_locked();
  void on_connected_locked(boost::asio::ip::tcp protocol);
  void reregister(boost::asio::ip::tcp protocol, boost::system::error_code& ec);
  void begin_tls_locked();
  void continue_handshake_locked();
  void read_available_locked();
  void flush_locked();
  void arm_read_locked();
  void arm_write_locked();
  void on_readable_locked(const boost::system::error_code& ec);
  void on_writable_locked(const boost::system::error_code& ec);
  /// Keeps bytes the socket did not take; fails when the server stops reading.
  void buffer_locked(std::string_view rest);
  void schedule_flush_locked();

  io_status read_some(char* buf, std::size_t size, std::size_t& got);
  io_status write_some(std::string_view data, std::size_t& put);
  io_status tls_status(int result);

  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<boost::asio::ip::tcp::resolver> resolver_;
  std::vector<endpoint> endpoints_;  // left to try while connecting
  SSL* ssl_ = nullptr;
  std::string out_;  // bytes the socket has not taken yet
  std::string last_error_;
  bool handshaking_ = false;
  bool read_armed_ = false;
  bool write_armed_ = false;
  bool flush_posted_ = false;
  bool read_wants_write_ = false;  // TLS: a read must wait until the socket is writable
  bool write_wants_read_ = false;  // TLS: a write must wait until the socket is readable
};

}  // namespace amoc::xmpp::detail
