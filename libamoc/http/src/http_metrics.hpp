#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "amoc/http/error.hpp"
#include "amoc/metrics.hpp"

namespace amoc::http::detail {

/// The HTTP client's node-wide metrics, looked up once per registry
/// (`registry::attachment<http_metrics>()`): http.requests (sent, whatever
/// came of them), http.connections (opened), http.failures.<phase>.
struct http_metrics {
  explicit http_metrics(metrics::registry& r);

  /// Counts a failure in `p`.
  void failed(phase p);

  metrics::registry& registry;
  metrics::counter& requests;
  metrics::counter& connections;
};

/// The metrics of one request name, kept by each client that uses it:
/// http.<name>.latency, http.<name>.latency_corrected (from the intended send
/// time, open model only), http.<name>.status.<code>, http.<name>.failures.
struct named_metrics {
  named_metrics(metrics::registry& r, std::string name);

  /// The counter of status `code` (looked up on first use by this client).
  [[nodiscard]] metrics::counter& status(unsigned code);

  std::string name;
  metrics::registry& registry;
  metrics::histogram& latency;
  metrics::histogram& latency_corrected;
  metrics::counter& failures;
  std::vector<std::pair<unsigned, metrics::counter*>> statuses;
};

}  // namespace amoc::http::detail
