#pragma once

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "amoc/http/error.hpp"
#include "amoc/http/message.hpp"
#include "amoc/net/url.hpp"
#include "amoc/parked_waiter.hpp"
#include "amoc/user.hpp"

namespace amoc::http::detail {

/// How to reach an origin.
struct connect_spec {
  net::origin origin;
  bool verify_tls = false;
  std::string ca_file;
  std::string source_address;  ///< local address to bind, or ""
  std::size_t max_body_bytes = 0;
};

/// What one exchange gave: a response or why there is none.
struct outcome {
  std::optional<http::error> failure;
  /// Failed on a reused connection before any response byte: the server
  /// closed it while idle, and the request may go again on a new one.
  bool retryable = false;
  unsigned status = 0;
  http::headers headers;
  std::string body;
  bool keep_alive = false;
  bool reused = false;
};

/// One HTTP/1.1 connection, shared by the user's coroutine and the loop its
/// socket lives on. The coroutine starts an exchange (`start`: connect if
/// needed, write, read one response) and parks until it is `done()`; the
/// loop does all the I/O with Beast and wakes it. Only the completion state
/// is shared, under one uncontended mutex. A coroutine that gives up
/// (timeout, forced stop) calls `abandon()`: the loop closes the socket and
/// the connection lives on only until its last handler ran.
class connection : public std::enable_shared_from_this<connection> {
public:
  using clock = std::chrono::steady_clock;

  connection(boost::asio::io_context& io, connect_spec spec);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // ---- coroutine side ------------------------------------------------------

  [[nodiscard]] const net::origin& origin() const noexcept { return spec_.origin; }
  /// Sends `bytes` (connecting first, the first time) and reads one response.
  void start(std::string bytes, bool head_request);
  /// An exchange was started on it before.
  [[nodiscard]] bool was_used() const noexcept { return started_; }
  /// The exchange started last has finished (take its outcome).
  [[nodiscard]] bool done() const;
  /// The outcome of the finished exchange.
  [[nodiscard]] outcome take();
  /// What the loop is doing now (which phase a timeout hit).
  [[nodiscard]] phase current_phase() const noexcept {
    return phase_.load(std::memory_order_relaxed);
  }
  /// Stops waking the user and closes the socket on its loop.
  void abandon();

  /// Awaitable: resumes when the exchange is done, or at `until`.
  [[nodiscard]] auto wait(user& u, clock::time_point until) {
    return wait_until{mutex_, waiter_, u, until, [this] { return done_; }};
  }

private:
  using tcp = boost::asio::ip::tcp;
  using tls_stream = boost::asio::ssl::stream<tcp::socket&>;
  using response_parser = boost::beast::http::response_parser<boost::beast::http::string_body>;

  // ---- loop side -------------------------------------------------------------
  void run();
  void resolve();
  void connect_next();
  void on_connected();
  void handshake();
  void write();
  void read();
  void on_response();
  void fail(phase p, std::string condition, const boost::system::error_code& ec);
  void complete(outcome o);
  void close_socket();
  /// Calls `f` with the stream requests go over: the TLS stream or the socket.
  template <class F>
  void with_stream(F&& f);

  boost::asio::io_context& io_;
  connect_spec spec_;
  tcp::socket socket_;
  std::unique_ptr<tls_stream> tls_;
  std::unique_ptr<tcp::resolver> resolver_;
  std::vector<tcp::endpoint> endpoints_;  // left to try while connecting
  boost::beast::flat_buffer buffer_;
  std::optional<response_parser> parser_;
  std::string request_;
  std::string last_error_;
  bool head_request_ = false;
  bool connected_ = false;
  bool reused_ = false;
  std::atomic<phase> phase_{phase::connect};

  bool started_ = false;  // coroutine side only

  // Shared with the coroutine, under `mutex_`.
  mutable std::mutex mutex_;
  bool done_ = false;
  bool abandoned_ = false;
  outcome outcome_;
  parked_waiter waiter_;
};

}  // namespace amoc::http::detail
