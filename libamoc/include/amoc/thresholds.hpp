#pragma once

/// Pass/fail criteria on a run's metrics, as in the run file:
///
///   "thresholds": {"xmpp.ttd": ["p99 < 500ms", "mean < 100ms"],
///                  "xmpp.failures.connect": ["count == 0"],
///                  "xmpp.messages_sent": ["rate > 100"]}
///
/// An expression is `AGGREGATION OPERATOR VALUE`:
/// - aggregations: `count` and `rate` (per second over the run) of counters and
///   histograms; `min`, `max`, `mean` (or `avg`), `p50`, `p90`, `p95`, `p99`,
///   `p99.9` or any `p(N)` of histograms; `value`, `min`, `max` of gauges
///   (min and max over the sampled values);
/// - operators: `<`, `<=`, `>`, `>=`, `==`, `!=`;
/// - values: plain numbers; for latencies a duration (`250us`, `500ms`, `2s`,
///   a bare number is milliseconds); `rate` may end in `/s`.
///
/// A metric that exists only once something happens (amoc/metrics_on_demand.hpp:
/// `users.ended.scenario_error`, `xmpp.failures.connect`, ...) and was never
/// recorded has count 0 and rate 0; any other aggregation of it fails with the
/// note "no samples". A threshold on any other name the run never recorded
/// fails, naming the metric and the closest recorded name (a typo must not
/// pass as `count == 0`): a scenario whose own counter may stay untouched
/// creates it in init() (`metrics().counter("chat.errors")`).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "amoc/config.hpp"
#include "amoc/metrics_series.hpp"
#include "amoc/metrics_snapshot.hpp"

namespace amoc {

/// A pass/fail criterion on one metric ("p99 < 500ms"), parsed from a run file.
struct threshold {
  enum class aggregation { count, rate, value, min, max, mean, percentile };
  enum class comparison { lt, le, gt, ge, eq, ne };

  std::string metric;
  std::string expression;  ///< as written in the run file
  aggregation agg = aggregation::count;
  double percentile = 0;  ///< for `aggregation::percentile`
  comparison op = comparison::lt;
  double limit = 0;  ///< µs if `limit_is_duration`, else as written
  bool limit_is_duration = false;
  bool limit_has_unit = false;  ///< the value carried a unit (`ms`, `/s`)
};

/// True when `actual op limit` holds (`op`: <, <=, >, >=, ==, !=).
[[nodiscard]] bool holds(double actual, threshold::comparison op, double limit) noexcept;

/// Parses one expression for `metric`; the error (`ec::invalid_argument`)
/// quotes the expression and says what is wrong.
[[nodiscard]] caf::expected<threshold> parse_threshold(std::string_view metric,
                                                       std::string_view expression);

/// What a threshold found at the end of the run.
struct threshold_result {
  threshold criterion;
  bool passed = false;
  std::optional<double> actual;  ///< the aggregation's value
  std::string unit;              ///< of `actual`: "ms" for latencies, "/s" for rates, or ""
  std::string note;              ///< why it could not be evaluated, if so

  /// "p99 = 12.3ms", "count = 0", or the note.
  [[nodiscard]] std::string describe() const;
};

/// Evaluates `t` on the run's totals (and series, for gauges' min and max);
/// `wall` is the run's length, for rates.
[[nodiscard]] threshold_result evaluate(const threshold& t, const metrics::snapshot& totals,
                                        const metrics::time_series& series, duration wall);

/// "<", "<=", ...
[[nodiscard]] const char* to_string(threshold::comparison op);

}  // namespace amoc
