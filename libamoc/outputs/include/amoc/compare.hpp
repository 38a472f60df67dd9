#pragma once

/// Comparing two runs (`amoc compare BASE.json NEW.json`, `amoc run
/// --baseline BASE.json`): every statistic of every metric side by side, and
/// regression rules that fail a pipeline.
///
/// A rule is `METRIC STATISTIC OPERATOR VALUE` and says when to fail:
///
///   xmpp.ttd p99 > +10%                 p99 grew by more than 10 % of BASE's
///   xmpp.ttd p99 > +20ms                p99 grew by more than 20 ms
///   xmpp.ttd p99 > 500ms                NEW's p99 is above 500 ms
///   xmpp.messages_sent rate < -5%       the rate fell by more than 5 %
///   xmpp.failures.connect count > 0     NEW had a connect failure
///
/// - statistics: `count`, `rate` (per second of the run) of counters and
///   histograms; `min`, `mean` (or `avg`), `p50`, `p90`, `p95`, `p99`,
///   `p999` (or `p99.9`), `max` of histograms, in milliseconds; `value`
///   (at the end), `min`, `max` of gauges;
/// - operators: `<`, `<=`, `>`, `>=`, `==`, `!=`;
/// - values: without a sign, NEW's value itself; with a sign (`+20ms`,
///   `-100`), the change from BASE to NEW; ending in `%` (`+10%`, `-5%`,
///   `10%`), the change relative to BASE. Latencies take `us`, `ms`, `s`
///   (a bare number is milliseconds), rates may end in `/s`.
///
/// A counter or histogram a run did not record counts 0 in it (percentiles
/// have no value); a rule needing a value one run lacks is crossed, with a
/// note saying which. A rule on a name neither run recorded (nor declared on
/// demand, amoc/metrics_on_demand.hpp) is refused, with the closest recorded name.
/// From BASE 0 to NEW above 0 is a relative change of +inf %.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <nlohmann/json_fwd.hpp>

#include "amoc/thresholds.hpp"

namespace amoc::comparison {

/// The largest result document a comparison reads (64 MiB): a run file's
/// 16 MiB is too little, as a long run's series with many metrics take
/// ~18 MiB at the 7,200 points a series keeps at most.
inline constexpr std::size_t max_result_bytes = std::size_t{64} << 20;

/// What a metric is in a result document.
enum class metric_kind { none, counter, gauge, histogram };

/// The kind of `metric` in `result`'s totals (`none`: not there).
[[nodiscard]] metric_kind kind_of(const nlohmann::json& result, std::string_view metric);

/// The names of `result`'s counters, gauges and histograms.
[[nodiscard]] std::vector<std::string> metric_names(const nlohmann::json& result);

/// "counter", "gauge", "histogram" or "none".
[[nodiscard]] const char* to_string(metric_kind kind);

/// The statistics a kind has, in table order.
[[nodiscard]] const std::vector<std::string>& statistics_of(metric_kind kind);

/// The unit of a statistic of a kind: "ms", "/s" or "".
[[nodiscard]] std::string unit_of(metric_kind kind, std::string_view statistic);

/// One statistic of `metric` (of `kind`) in `result`: none when the run has
/// no value for it (a histogram without samples, a gauge it never set).
[[nodiscard]] std::optional<double> statistic(const nlohmann::json& result, metric_kind kind,
                                              std::string_view metric, std::string_view stat);

/// Refuses what cannot be compared: a document that is no result of a run
/// that measured (no `metrics`: a failed run's, or another JSON file), or
/// runs of different scenarios. The message names the side (`base_name`,
/// `new_name`: the files) and says why.
[[nodiscard]] caf::error check_comparable(const nlohmann::json& base, const nlohmann::json& now,
                                          std::string_view base_name = "BASE",
                                          std::string_view new_name = "NEW");

/// One statistic of one metric in both runs.
struct row {
  std::string metric;
  metric_kind kind = metric_kind::none;
  std::string stat;
  std::optional<double> base;
  std::optional<double> now;
  std::string unit;

  /// NEW - BASE, when both have a value.
  [[nodiscard]] std::optional<double> change() const;
  /// The change in % of BASE: 0 from 0 to 0, ±inf from 0 to anything else.
  [[nodiscard]] std::optional<double> relative_change() const;
};

/// Every statistic of every metric of either run: counters, gauges, then
/// histograms, each by name; but none that neither run has a value for.
[[nodiscard]] std::vector<row> rows(const nlohmann::json& base, const nlohmann::json& now);

/// A regression rule, parsed.
struct rule {
  /// What the value compares with: NEW's value, the change, the change in %.
  enum class mode { value, change, relative };

  std::string text;  ///< as written
  std::string metric;
  std::string stat;  ///< as in `statistics_of`: count, rate, value, min, mean, p50, ..., p999, max
  threshold::comparison op = threshold::comparison::gt;
  mode by = mode::value;
  double limit = 0;  ///< in % for `relative`; µs if `limit_is_duration`; else as written
  bool limit_is_duration = false;
};

/// Parses `METRIC STATISTIC OPERATOR VALUE`; the error (`ec::invalid_argument`)
/// quotes the rule and says what is wrong.
[[nodiscard]] caf::expected<rule> parse_rule(std::string_view text);

/// What a rule found.
struct verdict {
  rule criterion;
  bool crossed = false;
  std::optional<double> base;
  std::optional<double> now;
  std::string unit;
  std::string note;  ///< why it could not be judged (it is crossed then)

  /// "xmpp.ttd p99 > +10%: 12.3ms -> 15.1ms (+22.8%)", or the note.
  [[nodiscard]] std::string describe() const;
};

/// Judges `rules` on two comparable documents. A rule on a metric neither
/// run recorded, or with a statistic its kind lacks, is an error
/// (`ec::invalid_argument`) naming it: a typo must not pass.
[[nodiscard]] caf::expected<std::vector<verdict>>
judge(const std::vector<rule>& rules, const nlohmann::json& base, const nlohmann::json& now);

/// A value of `unit` as the tables show it: "12.3ms", "250/s", "1,200".
[[nodiscard]] std::string format_value(std::optional<double> value, const std::string& unit);
/// A change of `unit`, signed: "+2.4ms", "-12/s", "0".
[[nodiscard]] std::string format_change(std::optional<double> change, const std::string& unit);
/// A relative change: "+22.8%", "-5.0%", "0%", "+inf%", or "" when there is none.
[[nodiscard]] std::string format_percent(std::optional<double> percent);

/// The side-by-side table (metric, statistic, BASE, NEW, change, change %),
/// then the verdicts (✓ or ✗ and `describe()`), as text.
[[nodiscard]] std::string text_table(const std::vector<row>& rows,
                                     const std::vector<verdict>& verdicts);

}  // namespace amoc::comparison
