#pragma once

/// A small HTTP/1.1 server for control front ends (the REST gateway): every
/// connection is an asynchronous session on one I/O thread, and handlers run
/// on a small pool of worker threads, so they may block.
///
///   auto srv = amoc::web::server::start({"127.0.0.1", 4000},
///                                       [](amoc::web::request& r) { return ...; });
///
/// No client can hold the server: a request's headers and body must arrive
/// within `request_timeout`, an idle kept-alive connection is closed after
/// `idle_timeout`, and past `max_connections` an idle connection makes room
/// or the newcomer gets a 503. Memory is bounded per connection (header and
/// body limits, a bounded backlog per event stream).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "amoc/defaults.hpp"

namespace amoc::web {

/// One HTTP request as handlers see it.
struct request {
  std::string method;  ///< "GET", "PATCH", ...
  std::string path;    ///< the target without its query, percent-decoded
  std::string query;   ///< after '?', as sent
  /// Header names in lower case.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// The values of a route's `{name}` segments, in order (set by the router).
  std::vector<std::string> params;

  /// The value of header `name` (lower case), or "".
  [[nodiscard]] std::string_view header(std::string_view name) const;
  /// The value of query parameter `name` (as sent, not decoded), or nullopt.
  [[nodiscard]] std::optional<std::string_view> query_param(std::string_view name) const;
};

/// The open end of an event stream (Server-Sent Events); any thread may write.
class stream_sink {
public:
  virtual ~stream_sink() = default;
  /// Queues `chunk` after the ones before it, without blocking. False once the
  /// stream is over (the client left or fell too far behind, or the server
  /// stops): drop the sink then.
  virtual bool write(std::string chunk) = 0;
};

/// What a handler answers: a whole body, or a stream.
struct response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers = {};
  /// When set, the body is an event stream: the headers go out, then this is
  /// called once with the stream's sink, on the I/O thread (so it must not
  /// block: it hands the sink to whatever writes the events). The connection
  /// closes when the stream ends.
  std::function<void(std::shared_ptr<stream_sink>)> stream = {};
};

/// Answers a request; runs on a worker thread and may block.
using handler = std::function<response(request&)>;

/// What to do with a request whose headers arrived, before its body is read.
struct admission {
  /// Sent instead of reading the body (the connection then closes).
  std::optional<response> refusal;
  /// Otherwise the largest body to read; a larger one is answered with 413.
  std::size_t max_body_bytes = 0;
};

/// Looks at a request's method, path and headers (no body yet). Runs on the
/// I/O thread: it must be quick and must not block.
using screen = std::function<admission(const request&)>;

/// Listens on one address and serves every connection asynchronously.
class server {
public:
  struct options {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  ///< 0 picks a free port
    /// The body limit when there is no `screen`.
    std::size_t max_body_bytes = 1 << 20;
    std::size_t max_header_bytes = defaults::web::max_header_bytes;
    std::size_t max_connections = defaults::web::max_connections;
    std::size_t max_streams = defaults::web::max_streams;
    std::chrono::milliseconds request_timeout = defaults::web::request_timeout;
    std::chrono::milliseconds idle_timeout = defaults::web::idle_timeout;
    std::chrono::milliseconds write_timeout = defaults::web::write_timeout;
    std::size_t workers = defaults::web::workers;
    std::size_t max_queued = defaults::web::max_queued;
    std::size_t max_stream_backlog = defaults::web::max_stream_backlog;
    /// Decides on each request before its body is read (optional).
    web::screen screen = {};
  };

  /// Listens and serves on its own threads; fails if it cannot bind.
  [[nodiscard]] static caf::expected<std::unique_ptr<server>> start(const options& opts,
                                                                    handler handle);
  /// Closes the listener and every connection (streams end), lets running
  /// handlers finish, then joins its threads.
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// The port it listens on.
  [[nodiscard]] std::uint16_t port() const noexcept;

  struct impl;

private:
  explicit server(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

/// Reason phrase of a status code ("Not Found").
[[nodiscard]] std::string_view reason(unsigned status);

/// `{"error": "what"}` with quotes, backslashes and control characters of
/// `what` made harmless: for answers the server writes itself.
[[nodiscard]] std::string error_json(std::string_view what);

}  // namespace amoc::web
