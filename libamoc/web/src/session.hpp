#pragma once

// One HTTP connection of the web server, as an asynchronous state machine on
// the I/O thread: wait for a request, read its headers and body against one
// deadline, hand it to a worker, write the answer (or open an event stream),
// and wait for the next one.

#include <array>
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server_core.hpp"

namespace amoc::web::detail {

class event_sink;

class session : public std::enable_shared_from_this<session> {
public:
  session(server_core& core, boost::asio::ip::tcp::socket socket);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// Serves requests until the client leaves, a deadline passes, or `close`.
  void start();
  /// Sends `res` (Connection: close) without reading a request, then closes:
  /// the answer to a connection over the cap.
  void refuse(response res);
  /// Ends the connection now; idempotent.
  void close();
  /// Waiting for the first byte of a request: the one to close to make room.
  [[nodiscard]] bool idle() const noexcept { return phase_ == phase::waiting; }
  /// Called by the event sink, on the I/O thread, when events are queued.
  void flush_stream();

  /// Where it is in `server_core::sessions`, when it was admitted.
  std::optional<std::list<std::shared_ptr<session>>::iterator> place;

private:
  enum class phase { waiting, reading, handling, writing, streaming, lingering, closed };
  using error_code = boost::beast::error_code;

  void await_request();
  void read_header();
  void on_header(error_code ec);
  void read_body();
  void on_body(error_code ec);
  void dispatch();
  void respond(response res);
  void on_written(error_code ec);
  void open_stream(response res);
  void on_stream_written(error_code ec, std::size_t n);
  void finish_with(const response& res);
  void linger();
  void on_read_error(error_code ec);
  [[nodiscard]] response too_large(const request& head) const;

  server_core& core_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> out_;
  std::shared_ptr<event_sink> sink_;
  std::string chunk_;                   ///< the piece of an event stream being written
  std::array<char, 64> first_bytes_{};  ///< a request's first read; what lingering drops
  std::chrono::steady_clock::time_point deadline_;
  std::size_t body_limit_ = 0;
  phase phase_ = phase::waiting;
  bool first_ = true;
  bool keep_alive_ = false;
  bool head_only_ = false;
  bool refusing_ = false;
};

}  // namespace amoc::web::detail
