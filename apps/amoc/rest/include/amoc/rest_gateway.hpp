#pragma once

/// The REST gateway: an amoc-arsenal compatible HTTP API over a runtime, its
/// OpenAPI document (`/api-docs`, `/api-docs/ui`) and a live dashboard (`/`).
///
///   amoc::runtime rt{opts};
///   auto gw = amoc::rest_gateway::start(rt, amoc::rest_gateway::options::from(rt.settings()));
///   if (!gw) ... render(gw.error()) ...
///   std::printf("token %s\n", (*gw)->token().c_str());   // for mutating requests
///
/// Reads are open; every request that changes something (`PATCH /execution/*`,
/// `PUT /scenarios/upload`) needs `Authorization: Bearer TOKEN`.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "amoc/config.hpp"
#include "amoc/defaults.hpp"

namespace amoc {

class runtime;

/// An HTTP server on its own threads answering for one runtime.
class rest_gateway {
public:
  struct options {
    std::string bind = "127.0.0.1";  ///< `rest_bind`
    std::uint16_t port = 4000;       ///< `rest_port`; 0 picks a free port
    /// `rest_token`; empty: a random one is generated at start.
    std::string token;
    /// Largest request body, and so largest uploaded source (`rest_max_body`).
    std::size_t max_body_bytes = 1 << 20;
    /// Most open connections (`rest_max_connections`).
    std::size_t max_connections = defaults::web::max_connections;
    /// An upload's compile is stopped after this (`rest_compile_timeout`).
    std::chrono::seconds compile_timeout{300};
    /// Where uploads are built and kept; empty: `plugins::upload_dir()`.
    std::filesystem::path upload_dir;
    /// `Access-Control-Allow-Origin` value (`rest_cors_origin`); empty: no CORS.
    std::string cors_origin;

    /// From the settings `rest_port`, `rest_bind`, `rest_token`, `rest_max_body`,
    /// `rest_max_connections`, `rest_compile_timeout` and `rest_cors_origin`.
    [[nodiscard]] static caf::expected<options> from(const config::store& store);
  };

  /// Serves `rt` (which must outlive the gateway) on `opts.bind`:`opts.port`.
  [[nodiscard]] static caf::expected<std::unique_ptr<rest_gateway>> start(runtime& rt,
                                                                          options opts);
  /// Stops serving; open event streams end.
  ~rest_gateway();
  rest_gateway(const rest_gateway&) = delete;
  rest_gateway& operator=(const rest_gateway&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;
  /// The bearer token mutating requests need (the configured or generated one).
  [[nodiscard]] const std::string& token() const noexcept;
  /// True when the token was generated at start (print it once).
  [[nodiscard]] bool token_generated() const noexcept;

  /// Every route the gateway answers: (method, path pattern with `{name}`).
  [[nodiscard]] static std::vector<std::pair<std::string, std::string>> routes();

  /// The settings the gateway reads, for `amoc scenarios list`-style help.
  [[nodiscard]] static const std::vector<config::variable>& variables();

  struct impl;

private:
  explicit rest_gateway(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace amoc
