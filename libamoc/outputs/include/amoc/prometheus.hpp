#pragma once

/// Prometheus: the node's metrics in the text exposition format (0.0.4),
/// served at http://127.0.0.1:PORT/metrics while a run goes on.
///   counters    amoc_<name>_total                        (counter)
///   gauges      amoc_<name>                              (gauge)
///   histograms  amoc_<name>_seconds_bucket{le="..."}, _sum, _count (histogram),
///               buckets from 0.5 ms to 5 min derived from the HDR counts
/// A name's characters other than letters, digits and `_` become `_`
/// (`xmpp.ttd` is `amoc_xmpp_ttd_seconds`).

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "amoc/metrics.hpp"
#include "amoc/metrics_snapshot.hpp"

namespace amoc::metrics {

/// The `le` bounds of exported histograms, in seconds (+Inf is added).
[[nodiscard]] std::span<const double> prometheus_buckets();

/// `s` in the text exposition format.
[[nodiscard]] std::string prometheus_text(const snapshot& s, std::string_view prefix = "amoc");

/// An HTTP server answering `GET /metrics` with a fresh snapshot of a
/// registry: an instance of the asynchronous web server (amoc/web_server.hpp)
/// on its own port.
class prometheus_exporter {
public:
  /// Listens on `address`:`port` (0: any free port); fails if it cannot bind.
  [[nodiscard]] static caf::expected<std::unique_ptr<prometheus_exporter>>
  start(const registry& reg, std::uint16_t port, const std::string& address = "127.0.0.1");

  /// Where fresh snapshots come from: a master's merged view of its nodes.
  using snapshot_source = std::function<snapshot()>;
  /// The same, serving whatever `source` returns (called on the server's worker threads).
  [[nodiscard]] static caf::expected<std::unique_ptr<prometheus_exporter>>
  start(snapshot_source source, std::uint16_t port, const std::string& address = "127.0.0.1");

  /// Stops serving (open connections are closed).
  ~prometheus_exporter();
  prometheus_exporter(const prometheus_exporter&) = delete;
  prometheus_exporter& operator=(const prometheus_exporter&) = delete;

  /// The port it listens on.
  [[nodiscard]] std::uint16_t port() const noexcept;

  struct impl;

private:
  explicit prometheus_exporter(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace amoc::metrics
