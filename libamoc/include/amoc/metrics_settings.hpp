#pragma once

/// Settings of the metrics exports, read like any other setting (environment,
/// run file `settings`, config file, default):
///   metrics_interval   between two samples / Graphite reports (10s)
///   graphite_host      carbon's plaintext receiver; empty: no Graphite
///   graphite_port      2003
///   graphite_prefix    "amoc": metrics go to <prefix>.<metric>.<field>
///   graphite_events_url  graphite-web's base URL (http://127.0.0.1:8080);
///                      when set, run start and stop are also posted to /events/
///   prometheus_port    serve /metrics on 127.0.0.1:<port> during the run; 0: off
///   prometheus_linger  keep serving it this long after the run (20s), so the
///                      last scrape sees the final values; 0: stop at once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "amoc/config.hpp"

namespace amoc {

/// Where and how often a run's metrics go (interval, Graphite, Prometheus).
struct metrics_settings {
  duration interval;
  std::string graphite_host;
  std::uint16_t graphite_port = 0;
  std::string graphite_prefix;
  std::string graphite_events_url;
  std::uint16_t prometheus_port = 0;
  duration prometheus_linger{};

  /// Declares the variables in `store`, validates them and reads them; the
  /// error (`ec::invalid_config`) names each bad key and value.
  [[nodiscard]] static caf::expected<metrics_settings> from(config::store& store);
};

/// Declarations of the settings above, with defaults and rules.
[[nodiscard]] const std::vector<config::variable>& metrics_variables();

}  // namespace amoc
