#pragma once

/// A run's metrics as reports read them: totals and per-interval series,
/// latencies in milliseconds. The `metrics` and `series` parts of
/// `amoc run --out`, and the input of the HTML report.
///
///   "metrics": {"interval_s": 10, "wall_time_s": 62.1,
///               "counters":   {"xmpp.messages_sent": {"total": 1200, "rate": 19.3}},
///               "gauges":     {"users.running": {"value": 0, "min": 0, "max": 100}},
///               "histograms": {"xmpp.ttd": {"count": 1200, "min_ms": 0.4, "mean_ms": 2.1,
///                              "p50_ms": ..., "p90_ms", "p95_ms", "p99_ms", "p999_ms", "max_ms"}}}
///   "series":  {"t_s": [10, 20, ...],                     // end of each interval
///               "counters":   {"xmpp.messages_sent": {"delta": [...], "rate": [...]}},
///               "gauges":     {"users.running": [...]},
///               "histograms": {"xmpp.ttd": {"count": [...], "p50_ms": [...], ...}}}
///
/// A metric created during the run has 0 (counters) or null (gauges,
/// latencies of an interval without samples) before it existed.

#include <nlohmann/json.hpp>

#include "amoc/config.hpp"
#include "amoc/metrics_series.hpp"
#include "amoc/metrics_snapshot.hpp"

namespace amoc::metrics {

/// The `metrics` object: every metric's totals over a run of length `wall`.
[[nodiscard]] nlohmann::json totals_json(const snapshot& totals, const time_series& series,
                                         duration wall, duration interval);
/// The `series` object.
[[nodiscard]] nlohmann::json series_json(const time_series& series);

}  // namespace amoc::metrics
