// Regression rules: `METRIC STATISTIC OPERATOR VALUE`, the statistic and
// operator as in run-file thresholds (amoc/thresholds.hpp), the value also a
// signed change or a percentage (amoc/compare.hpp).

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "amoc/compare.hpp"
#include "amoc/did_you_mean.hpp"
#include "amoc/error.hpp"
#include "amoc/metrics_on_demand.hpp"

namespace amoc::comparison {

namespace {

using json = nlohmann::json;
using cmp = threshold::comparison;
using agg = threshold::aggregation;

constexpr std::string_view grammar =
  " (write METRIC STATISTIC OPERATOR VALUE, e.g. \"xmpp.ttd p99 > +10%\" or "
  "\"xmpp.failures.connect count > 0\")";

caf::error bad(std::string_view rule, const std::string& why) {
  return make_error(ec::invalid_argument, "rule \"" + std::string{rule} + "\": " + why);
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+')
    text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

// The statistic a parsed threshold stands for, if result documents hold it.
std::optional<std::string> statistic_name(const threshold& t) {
  switch (t.agg) {
  case agg::count: return "count";
  case agg::rate: return "rate";
  case agg::value: return "value";
  case agg::min: return "min";
  case agg::max: return "max";
  case agg::mean: return "mean";
  case agg::percentile:
    for (auto [p, name] : {std::pair{50.0, "p50"}, std::pair{90.0, "p90"}, std::pair{95.0, "p95"},
                           std::pair{99.0, "p99"}, std::pair{99.9, "p999"}})
      if (t.percentile == p)
        return name;
  }
  return std::nullopt;
}

std::string list(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words)
    text += (text.empty() ? "" : ", ") + w;
  return text;
}

}  // namespace

caf::expected<rule> parse_rule(std::string_view written) {
  rule r;
  r.text = trim(written);
  const std::string_view text = r.text;
  if (text.empty())
    return bad(text, std::string{"empty"} + std::string{grammar});
  const auto space = text.find_first_of(" \t");
  if (space == std::string_view::npos)
    return bad(text, std::string{"no statistic after the metric"} + std::string{grammar});
  r.metric = text.substr(0, space);
  auto rest = trim(text.substr(space));
  const auto op_at = rest.find_first_of("<>=!");
  if (op_at == std::string_view::npos)
    return bad(text,
               std::string{"no comparison operator (<, <=, >, >=, ==, !=)"} + std::string{grammar});
  std::string stat{trim(rest.substr(0, op_at))};
  const auto op_length = op_at + 1 < rest.size() && rest[op_at + 1] == '=' ? 2 : 1;
  const auto op = rest.substr(op_at, op_length);
  const auto value = trim(rest.substr(op_at + op_length));
  // The value decides the mode; what is left is a threshold's "STAT OP VALUE".
  std::string plain{value};
  if (value.ends_with('%')) {
    r.by = rule::mode::relative;
    auto percent = parse_number(trim(value.substr(0, value.size() - 1)));
    if (!percent)
      return bad(text, "\"" + std::string{value} + "\" is not a percentage (write +10%, -5%)");
    r.limit = *percent;
    plain = "0";
  } else if (value.starts_with('+') || value.starts_with('-')) {
    r.by = rule::mode::change;
    plain = std::string{trim(value.substr(1))};
  }
  if (stat == "p999")
    stat = "p99.9";
  auto t = parse_threshold(r.metric, stat + " " + std::string{op} + " " + plain);
  if (!t) {
    // Its message starts `threshold "EXPR" of METRIC: `; the rule names itself instead.
    auto why = context_of(t.error());
    if (auto at = why.find(" of " + r.metric + ": "); at != std::string::npos)
      why = why.substr(at + r.metric.size() + 6);
    if (auto grammar_at = why.find(" (write AGGREGATION"); grammar_at != std::string::npos)
      why = why.substr(0, grammar_at) + std::string{grammar};
    return bad(text, why);
  }
  auto name = statistic_name(*t);
  if (!name)
    return bad(text, "result documents hold p50, p90, p95, p99 and p999 of a histogram, not \""
                       + stat + "\"");
  r.stat = *name;
  r.op = t->op;
  if (r.by != rule::mode::relative) {
    r.limit = value.starts_with('-') ? -t->limit : t->limit;
    r.limit_is_duration = t->limit_is_duration;
  }
  return r;
}

std::string verdict::describe() const {
  if (!note.empty())
    return criterion.text + ": " + note;
  const row r{criterion.metric, metric_kind::none, criterion.stat, base, now, unit};
  std::string changes = format_change(r.change(), unit);
  if (auto percent = format_percent(r.relative_change()); !percent.empty())
    changes += (changes.empty() ? "" : ", ") + percent;
  return criterion.text + ": " + format_value(base, unit) + " -> " + format_value(now, unit)
         + (changes.empty() ? "" : " (" + changes + ")");
}

caf::expected<std::vector<verdict>> judge(const std::vector<rule>& rules, const json& base,
                                          const json& now) {
  std::vector<verdict> verdicts;
  for (const auto& rule : rules) {
    auto kind = kind_of(now, rule.metric);
    if (kind == metric_kind::none)
      kind = kind_of(base, rule.metric);
    // Made only when something happens (a failure): neither run had one.
    if (kind == metric_kind::none && metrics::is_on_demand(rule.metric))
      kind = metric_kind::counter;
    if (kind == metric_kind::none) {
      auto names = metric_names(base);
      auto more = metric_names(now);
      names.insert(names.end(), more.begin(), more.end());
      const auto best = closest_name(rule.metric, names);
      return bad(rule.text, rule.metric + " was recorded in neither run"
                              + (best ? " (did you mean " + *best + "?)" : std::string{}));
    }
    const auto& stats = statistics_of(kind);
    if (std::find(stats.begin(), stats.end(), rule.stat) == stats.end())
      return bad(rule.text, rule.stat + " does not apply to a " + to_string(kind) + " (use "
                              + list(stats) + ")");
    verdict v{rule,
              false,
              statistic(base, kind, rule.metric, rule.stat),
              statistic(now, kind, rule.metric, rule.stat),
              unit_of(kind, rule.stat),
              {}};
    double limit = rule.limit;
    if (rule.by != rule::mode::relative) {
      if (v.unit == "ms" && rule.limit_is_duration)
        limit = rule.limit / 1000.0;  // µs to the documents' ms
      else if (rule.limit_is_duration)
        return bad(rule.text, rule.stat + " of a " + to_string(kind)
                                + " compares with a plain number, not a duration");
    }
    const row r{rule.metric, kind, rule.stat, v.base, v.now, v.unit};
    std::optional<double> actual = rule.by == rule::mode::value    ? v.now
                                   : rule.by == rule::mode::change ? r.change()
                                                                   : r.relative_change();
    if (!actual) {
      const bool needs_base = rule.by != rule::mode::value;
      v.note = std::string{"no value of "} + rule.metric + " " + rule.stat + " in "
               + (!v.now                  ? "NEW"
                  : needs_base && !v.base ? "BASE"
                                          : "NEW")
               + " (no samples): cannot judge";
      v.crossed = true;
    } else {
      v.crossed = holds(*actual, rule.op, limit);
    }
    verdicts.push_back(std::move(v));
  }
  return verdicts;
}

}  // namespace amoc::comparison
