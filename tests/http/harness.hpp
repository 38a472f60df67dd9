#pragma once

// Tests against a real nginx (scripts/http-server, started by the ctest
// fixture `http_server`). A test's body runs as the scenario of real user
// actors in an amoc::runtime, as in a load test; what arrived is checked in
// nginx's access log.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "amoc/hdr_histogram.hpp"
#include "amoc/http/client.hpp"
#include "amoc/runtime.hpp"
#include "amoc/user.hpp"

namespace amoc::test {

using user_body = amoc::task<> (*)(amoc::user&);

/// http://127.0.0.1:<port> and https://<host>:<tls port> of the test server.
[[nodiscard]] std::string http_base();
[[nodiscard]] std::string https_base(const std::string& host = "127.0.0.1");
/// The server's self-signed certificate (its own CA).
[[nodiscard]] std::string server_certificate();

/// Runs `users` users of `body` once each (or the named scenario) with `settings`.
class http_run {
public:
  http_run(std::uint64_t users, user_body body, const nlohmann::json& settings = {});
  http_run(std::uint64_t users, const std::string& scenario, const nlohmann::json& settings);
  ~http_run();

  /// Waits until every user ended (fails the test after `timeout`).
  void wait(duration timeout = std::chrono::seconds{30});
  [[nodiscard]] std::uint64_t counter(const std::string& name);
  [[nodiscard]] std::uint64_t samples(const std::string& histogram);
  [[nodiscard]] metrics::hdr_histogram histogram(const std::string& name);

private:
  void start(const std::string& scenario, std::uint64_t users, const nlohmann::json& settings);

  config::store store_;
  amoc::runtime rt_;
  bool waited_ = false;
};

/// One line of nginx's access log (see scripts/http-server).
struct log_line {
  std::uint64_t connection = 0;
  std::uint64_t connection_requests = 0;
  double time_s = 0;
  std::string method;
  std::string uri;
  unsigned status = 0;
  std::string tag;
  std::string sni;
};

/// The access log lines whose tag is `tag` or whose URI contains `uri_part`,
/// once at least `expected` of them are there (nginx logs after it answered).
[[nodiscard]] std::vector<log_line> logged(const std::string& tag, std::size_t expected,
                                           const std::string& uri_part = {});

/// A tag unique to this process and call, for X-Amoc-Tag.
[[nodiscard]] std::string unique_tag(const std::string& what);

}  // namespace amoc::test
