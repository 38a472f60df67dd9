#pragma once

// One node link on the link thread: the network stream (TCP, or TLS over TCP)
// on one side, CAF's end of a local socket pair on the other. Bytes from the
// peer pass a frame_guard before CAF sees them; bytes from CAF go out as they
// are. Either side closing, an error, a refused header or a missed handshake
// deadline closes both. Everything runs on one thread: no locks.

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>

#include "frame_guard.hpp"

namespace amoc::links {

/// What a relay tells its owner: it finished its handshake, or it closed (why).
struct relay_events {
  std::function<void()> handshake_done;
  std::function<void(const std::string& why)> closed;
};

template <class Stream>
class relay : public std::enable_shared_from_this<relay<Stream>> {
public:
  using local_socket = boost::asio::local::stream_protocol::socket;

  relay(Stream net, frame_guard::peer sender, relay_events events)
      : net_(std::move(net)), local_(net_.get_executor()), deadline_(net_.get_executor()),
        guard_(sender), events_(std::move(events)) {}

  Stream& net() { return net_; }

  /// Closes the link if its handshake is not done by `deadline` from now.
  void arm_deadline(std::chrono::milliseconds deadline) {
    deadline_.expires_after(deadline);
    deadline_.async_wait([self = this->shared_from_this()](boost::system::error_code err) {
      if (!err && !self->guard_.handshake_done())
        self->close("no handshake within the deadline");
    });
  }

  /// Starts relaying between the network and `local` (the other end is CAF's).
  void start(local_socket local) {
    local_ = std::move(local);
    read_net();
    read_local();
  }

  /// Closes both sides once; `why` goes to the owner ("" for an orderly end).
  void close(const std::string& why) {
    if (closed_)
      return;
    closed_ = true;
    boost::system::error_code ignored;
    deadline_.cancel();
    boost::beast::get_lowest_layer(net_).close(ignored);
    local_.close(ignored);
    if (events_.closed)
      events_.closed(why);
  }

  [[nodiscard]] bool closed() const noexcept { return closed_; }

private:
  // An orderly end (EOF, or our own close) is not worth a warning. A peer
  // process that exits ends its TLS session without close_notify.
  static bool orderly(const boost::system::error_code& err) {
    namespace error = boost::asio::error;
    return err == error::eof || err == error::operation_aborted || err == error::connection_reset
           || err == error::broken_pipe || err == boost::asio::ssl::error::stream_truncated;
  }

  void fail(const char* where, const boost::system::error_code& err) {
    close(orderly(err) ? std::string{} : std::string{where} + ": " + err.message());
  }

  void read_net() {
    net_.async_read_some(boost::asio::buffer(from_net_),
                         [self = this->shared_from_this()](auto err, std::size_t n) {
                           if (err)
                             return self->fail("read", err);
                           self->checked_to_local(n);
                         });
  }

  void checked_to_local(std::size_t n) {
    const bool was_done = guard_.handshake_done();
    if (auto why = guard_.feed(std::as_bytes(std::span{from_net_.data(), n})); !why.empty())
      return close(why);
    if (!was_done && guard_.handshake_done()) {
      deadline_.cancel();
      if (events_.handshake_done)
        events_.handshake_done();
    }
    boost::asio::async_write(local_, boost::asio::buffer(from_net_.data(), n),
                             [self = this->shared_from_this()](auto err, std::size_t) {
                               if (err)
                                 return self->fail("write to CAF", err);
                               self->read_net();
                             });
  }

  void read_local() {
    local_.async_read_some(
      boost::asio::buffer(from_local_), [self = this->shared_from_this()](auto err, std::size_t n) {
        if (err)
          return self->fail("read from CAF", err);
        boost::asio::async_write(self->net_, boost::asio::buffer(self->from_local_.data(), n),
                                 [self](auto err, std::size_t) {
                                   if (err)
                                     return self->fail("write", err);
                                   self->read_local();
                                 });
      });
  }

  Stream net_;
  local_socket local_;
  boost::asio::steady_timer deadline_;
  frame_guard guard_;
  relay_events events_;
  bool closed_ = false;
  std::array<char, 16 * 1024> from_net_{};
  std::array<char, 16 * 1024> from_local_{};
};

}  // namespace amoc::links
