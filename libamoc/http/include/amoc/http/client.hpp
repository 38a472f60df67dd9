#pragma once

/// The HTTP/1.1 client for scenarios, as C++ coroutines run by the simulated
/// user's actor (Boost.Beast underneath, on the node's event loops).
///
///   http::client c{u, http::options::from(u)};          // the http_* variables
///   auto r = co_await c.get("http://127.0.0.1:8080/");
///   if (r && r->status == 200) ...                      // r.error() otherwise
///   http::request req{http::method::post, url, hdrs, body, "login"};
///   auto r2 = co_await c.send(req);
///
/// A client keeps one connection alive between requests to the same origin
/// (scheme, host, port). Every request records `http.<name>.latency` and
/// `http.<name>.status.<code>`; every failure `http.failures.<phase>` (see
/// `http/error.hpp`). A request sent for an intended time (`send_at`, open
/// model) also records `http.<name>.latency_corrected` from that time.
///
/// A forced stop destroys the coroutine and with it the client: the
/// connection closes at once, whatever it was doing.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "amoc/config.hpp"
#include "amoc/http/error.hpp"
#include "amoc/http/message.hpp"
#include "amoc/task.hpp"
#include "amoc/user.hpp"

namespace amoc::net {
struct url;
}  // namespace amoc::net

namespace amoc::http {

namespace detail {
class connection;
struct http_metrics;
struct named_metrics;
}  // namespace detail

using namespace std::chrono_literals;

/// Timeouts and limits of a client, usually read from config by `options::from`.
struct options {
  /// TCP connect (and TLS handshake) of a new connection.
  duration connect_timeout = 5s;
  /// The whole request, connecting included, until the last byte of the response.
  duration request_timeout = 30s;
  /// Check the server's certificate chain and name (off: self-signed servers work).
  bool verify_tls = false;
  /// CA file to trust when verifying ("": the system's trust store).
  std::string ca_file;
  /// Redirects (301, 302, 303, 307, 308) to follow; 0 returns them as responses.
  int max_redirects = 0;
  /// Keep the connection open between requests (else `Connection: close`).
  bool keep_alive = true;
  /// Responses with bigger bodies fail in phase `read`.
  std::size_t max_body_bytes = 64 << 20;
  /// Local address to connect from ("" lets the system choose).
  std::string source_address;
  std::string user_agent = "amoc";

  /// Options from the run's config for user `u` (the `http_*` variables of
  /// `config_variables()`).
  [[nodiscard]] static options from(const user& u);
};

/// The config variables `options::from` reads, to declare in a scenario's
/// registration: `AMOC_REGISTER_SCENARIO(..., (http::config_variables({...mine})))`.
[[nodiscard]] std::vector<config::variable>
config_variables(std::vector<config::variable> more = {});

/// One user's HTTP/1.1 client: keep-alive connections per origin on the node's
/// event loops, requests awaited from the scenario coroutine, metrics recorded.
class client {
public:
  using clock = std::chrono::steady_clock;

  explicit client(user& u, options opts = {});
  /// Closes the connection at once if one is open.
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  /// Sends `req` (following redirects as configured) and waits for the response.
  [[nodiscard]] task<result> send(request req);
  /// Open model: waits until `intended` (if still ahead), sends, and records
  /// latency from `intended` as well, so a late send cannot hide server delays
  /// (coordinated omission, as wrk2 corrects it).
  [[nodiscard]] task<result> send_at(request req, clock::time_point intended);

  [[nodiscard]] task<result> get(std::string url, std::string name = {});
  [[nodiscard]] task<result> del(std::string url, std::string name = {});
  [[nodiscard]] task<result> post(std::string url, std::string body, std::string name = {});
  [[nodiscard]] task<result> put(std::string url, std::string body, std::string name = {});
  [[nodiscard]] task<result> patch(std::string url, std::string body, std::string name = {});

  /// Closes the kept-alive connection, if any (the next request opens a new one).
  void close();

  [[nodiscard]] const options& settings() const noexcept { return options_; }
  [[nodiscard]] user& owner() const noexcept { return user_; }

private:
  [[nodiscard]] task<result> send_timed(request req, clock::time_point intended, bool corrected);
  [[nodiscard]] task<result> follow_redirects(request req);
  /// One exchange on the kept (or a new) connection: no redirects.
  [[nodiscard]] task<result> exchange(const request& req, const net::url& target);
  /// Keeps the connection if it goes to `target`'s origin, else opens a new one.
  void use_connection_to(const net::url& target);
  /// Waits until the exchange is done: nullopt, or the timeout error (the
  /// connection is then closed).
  [[nodiscard]] task<std::optional<http::error>>
  wait_for_outcome(clock::time_point connect_deadline, clock::time_point deadline);
  [[nodiscard]] detail::named_metrics& metrics_for(const std::string& name);
  /// Counts `e` in `http.failures.<phase>` and returns it.
  [[nodiscard]] http::error failed(http::error e);

  user& user_;
  options options_;
  detail::http_metrics& metrics_;
  std::shared_ptr<detail::connection> conn_;
  std::vector<std::unique_ptr<detail::named_metrics>> named_;  // few names per user
};

}  // namespace amoc::http
