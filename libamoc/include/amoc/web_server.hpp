#pragma once

/// A small HTTP/1.1 server for control front ends (the REST gateway): one
/// thread per connection, requests answered in turn, and event streams
/// (Server-Sent Events) that the handler writes to until the client leaves.
///
///   auto srv = amoc::web::server::start({"127.0.0.1", 4000},
///                                       [](amoc::web::request& r) { return ...; });
///
/// Made for a handful of dashboards and scripts, not for load: the number of
/// open connections is capped, and each read has a deadline.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

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
};

/// Writes one chunk of an event stream; false once the client is gone.
using stream_writer = std::function<bool(std::string_view)>;

/// What a handler answers: a whole body, or a stream.
struct response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers = {};
  /// When set, the body is a stream: the headers go out, then this runs on the
  /// connection's thread until it returns; the connection closes afterwards.
  std::function<void(const stream_writer&)> stream = {};
};

/// Answers every request (called on the connection's thread).
using handler = std::function<response(request&)>;

/// Listens on one address and serves each connection on a thread of its own.
class server {
public:
  struct options {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  ///< 0 picks a free port
    std::size_t max_body_bytes = 1 << 20;
    std::size_t max_connections = 64;
    /// Longest wait for a request (or its rest) on an open connection.
    std::chrono::seconds read_timeout{30};
  };

  /// Listens and serves on its own threads; fails if it cannot bind.
  [[nodiscard]] static caf::expected<std::unique_ptr<server>> start(const options& opts,
                                                                    handler handle);
  /// Closes the listener and every connection (streams end), then joins.
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// The port it listens on.
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// True once the destructor began: long-running stream bodies should return.
  [[nodiscard]] bool stopping() const noexcept;

  struct impl;

private:
  explicit server(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

/// Reason phrase of a status code ("Not Found").
[[nodiscard]] std::string_view reason(unsigned status);

}  // namespace amoc::web
