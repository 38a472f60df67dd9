#pragma once

// For the REST tests: a real `amoc serve` process and a small blocking HTTP
// client (Boost.Beast) that speaks to it over 127.0.0.1.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "node_process.hpp"

namespace amoc::test {

struct http_reply {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::string allow;             ///< the Allow header (405)
  std::string www_authenticate;  ///< the WWW-Authenticate header (401)
  /// The body as JSON (null when it is not JSON).
  [[nodiscard]] nlohmann::json json() const;
};

/// One request on a fresh connection; status 0 when the connection failed.
http_reply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = {}, const std::string& token = {},
                     const std::string& content_type = "application/json");

/// The start of a streamed response (Server-Sent Events): read until it holds
/// `marker`, for at most `seconds`.
std::string http_stream_until(std::uint16_t port, const std::string& target,
                              const std::string& marker, int seconds);

/// A raw TCP connection to 127.0.0.1:`port`, for clients that misbehave.
class raw_connection {
public:
  explicit raw_connection(std::uint16_t port);
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  [[nodiscard]] bool connected() const noexcept { return fd_ >= 0; }
  /// False once the server closed the connection.
  bool send(std::string_view bytes);
  /// What the server sends until it closes the connection, for at most `seconds`.
  [[nodiscard]] std::string read_until_closed(double seconds);
  /// True when the server closes the connection within `seconds`.
  [[nodiscard]] bool closed_within(double seconds);

private:
  int fd_ = -1;
};

/// An HTTP call and how long it took to be answered.
struct timed_reply {
  http_reply reply;
  double seconds = 0;
};
timed_reply timed_call(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body = {}, const std::string& token = {});

/// The resident memory of process `pid` in KiB (VmRSS), 0 if unknown.
[[nodiscard]] std::size_t rss_kib(pid_t pid);

/// `amoc serve --port 0` plus `extra`, with its port and generated token.
class serve_process : public child_process {
public:
  explicit serve_process(std::vector<std::string> extra = {});

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] const std::string& token() const noexcept { return token_; }

  http_reply get(const std::string& target) const { return http_call(port_, "GET", target); }
  /// With the token.
  http_reply patch(const std::string& target, const nlohmann::json& body) const {
    return http_call(port_, "PATCH", target, body.dump(), token_);
  }
  http_reply upload(const std::string& source) const {
    return http_call(port_, "PUT", "/scenarios/upload", source, token_, "text/plain");
  }
  /// GET /status until `pred(status)` holds; false after `seconds`.
  template <class Pred>
  bool await_status(Pred pred, int seconds = 20) const;

private:
  std::uint16_t port_ = 0;
  std::string token_;
};

/// A fresh empty folder under /tmp, removed when the object goes.
class temp_dir {
public:
  temp_dir();
  ~temp_dir();
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
  std::string path_;
};

template <class Pred>
bool serve_process::await_status(Pred pred, int seconds) const {
  for (int i = 0; i < seconds * 10; ++i) {
    auto r = get("/status");
    if (r.status == 200 && pred(r.json()))
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  return false;
}

}  // namespace amoc::test
