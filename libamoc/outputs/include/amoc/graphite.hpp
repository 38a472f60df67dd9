#pragma once

/// Reports a run's metrics to Graphite: every sampling interval, carbon
/// plaintext lines (`<prefix>.<metric>.<field> <value> <unix time>`):
///   counters    .total (since the run started) and .rate (per second, this interval)
///   gauges      .value
///   histograms  .count of the interval, and when it had samples .min .mean
///               .p50 .p90 .p99 .max in milliseconds
/// Carbon has no events, so run start and stop are sent as annotation
/// metrics `<prefix>.annotations.<event>` = 1; when a graphite-web URL is
/// given they are also posted to its events API (`POST /events/`), which
/// Grafana and graphite-web draw as annotations.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <caf/error.hpp>

#include "amoc/config.hpp"
#include "amoc/metrics_series.hpp"

namespace amoc::metrics {

/// `metric` as a Graphite path under `prefix`: characters other than
/// letters, digits, `.`, `-` and `_` become `_`.
[[nodiscard]] std::string graphite_path(std::string_view prefix, std::string_view metric);

/// The plaintext lines for one interval, stamped `unix_seconds`.
[[nodiscard]] std::string graphite_lines(std::string_view prefix, const interval& i,
                                         std::int64_t unix_seconds);

/// Sends each interval's metrics to Graphite (carbon's plaintext protocol).
class graphite_reporter {
public:
  struct options {
    std::string host;
    std::uint16_t port = 2003;
    std::string prefix = "amoc";
    std::string events_url;  ///< graphite-web, e.g. http://127.0.0.1:8080; empty: none
    duration timeout = std::chrono::seconds{2};
  };

  explicit graphite_reporter(options opts);
  ~graphite_reporter();
  graphite_reporter(const graphite_reporter&) = delete;
  graphite_reporter& operator=(const graphite_reporter&) = delete;

  /// Sends one interval; connects (again) as needed. Never blocks longer than
  /// the timeout; the error says what failed, and the next report retries.
  caf::error report(const interval& i);
  /// Sends `<prefix>.annotations.<event>` = 1 and, with an events URL, posts
  /// the event with `text` as its data.
  caf::error annotate(std::string_view event, std::string_view text);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace amoc::metrics
