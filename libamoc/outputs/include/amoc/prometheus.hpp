#pragma once

/// Prometheus: a run's metrics in the text exposition format (0.0.4), served
/// at http://127.0.0.1:PORT/metrics during a run (and `prometheus_linger`
/// after it). amoc's dotted names become families with labels by one table
/// of patterns (docs/metrics.md): `xmpp.failures.sasl` is
/// `amoc_xmpp_failures_total{phase="sasl"}`, `http.login.status.200` is
/// `amoc_http_responses_total{name="login",status="200"}`. A name no pattern
/// matches keeps its own name, in snake case, without labels:
///   counters    <family>_total                               (counter)
///   gauges      <family>                                     (gauge)
///   histograms  <family>_seconds_bucket{le="..."}, _sum, _count (histogram),
///               buckets from 0.5 ms to 10 min derived from the HDR counts;
///               a histogram without samples is left out
/// Every family has HELP and TYPE lines and its samples together. In a
/// distributed run counters carry a `node` label (the master knows each
/// node's counters); gauges and histograms are only known merged.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "amoc/metrics.hpp"
#include "amoc/metrics_snapshot.hpp"

namespace amoc::metrics {

/// The `le` bounds of exported histograms, in seconds (+Inf is added).
[[nodiscard]] std::span<const double> prometheus_buckets();

/// Which kind of metric a name belongs to (the same name may be one of each).
enum class metric_kind { counter, gauge, histogram };

/// Label names and values, in order.
using prometheus_labels = std::vector<std::pair<std::string, std::string>>;

/// Where one amoc metric goes in Prometheus.
struct prometheus_series {
  std::string family;        ///< "amoc_xmpp_failures_total"
  prometheus_labels labels;  ///< {{"phase", "sasl"}}
  std::string help;          ///< what the family measures; empty for a name no pattern knows
};

/// The family and labels of `metric`, a metric of kind `kind`.
[[nodiscard]] prometheus_series prometheus_series_of(metric_kind kind, std::string_view metric,
                                                     std::string_view prefix = "amoc");

/// One worker node's counter totals in a run (amoc::node_status::counters).
struct node_counters {
  std::string node;
  std::map<std::string, std::uint64_t, std::less<>> counters;
};

/// What one scrape shows: the run's metrics, and in a distributed run each
/// node's counters. With `nodes`, counters are shown once per node with a
/// `node` label (they add up to the run's totals) instead of `run`'s totals.
struct prometheus_scrape {
  snapshot run;
  std::vector<node_counters> nodes;
};

/// `s` in the text exposition format.
[[nodiscard]] std::string prometheus_text(const snapshot& s, std::string_view prefix = "amoc");
/// The same, with counters per node when `s.nodes` is given.
[[nodiscard]] std::string prometheus_text(const prometheus_scrape& s,
                                          std::string_view prefix = "amoc");

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

  /// Where fresh scrapes come from: a master's merged view and its nodes' counters.
  using scrape_source = std::function<prometheus_scrape()>;
  /// The same, serving whatever `source` returns (called on the server's worker threads).
  [[nodiscard]] static caf::expected<std::unique_ptr<prometheus_exporter>>
  start(scrape_source source, std::uint16_t port, const std::string& address = "127.0.0.1");

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
