#include "amoc/thresholds.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "amoc/did_you_mean.hpp"
#include "amoc/error.hpp"
#include "amoc/metrics_format.hpp"
#include "amoc/metrics_on_demand.hpp"
#include "text.hpp"

namespace amoc {

namespace {

using agg = threshold::aggregation;
using cmp = threshold::comparison;

caf::error bad(std::string_view metric, std::string_view expression, const std::string& why) {
  return make_error(ec::invalid_argument, "threshold \"" + std::string{expression} + "\" of "
                                            + std::string{metric} + ": " + why);
}

constexpr std::string_view grammar =
  " (write AGGREGATION OPERATOR VALUE, e.g. \"p99 < 500ms\" or \"count == 0\")";

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

// "p99", "p99.9", "p(99.9)": the percentile, if it is one.
std::optional<double> parse_percentile(std::string_view word) {
  if (word.size() < 2 || word[0] != 'p')
    return std::nullopt;
  word.remove_prefix(1);
  if (word.front() == '(' && word.back() == ')')
    word = word.substr(1, word.size() - 2);
  auto p = parse_number(word);
  if (!p || *p <= 0 || *p > 100)
    return std::nullopt;
  return p;
}

// The aggregation word ends at a space or where the operator starts.
std::size_t word_end(std::string_view text) {
  return std::min(text.find_first_of("<>=! \t"), text.size());
}

std::optional<cmp> parse_operator(std::string_view& text) {
  static constexpr std::pair<std::string_view, cmp> ops[] = {{"<=", cmp::le}, {">=", cmp::ge},
                                                             {"==", cmp::eq}, {"!=", cmp::ne},
                                                             {"<", cmp::lt},  {">", cmp::gt}};
  for (auto [token, op] : ops)
    if (text.starts_with(token)) {
      text.remove_prefix(token.size());
      return op;
    }
  return std::nullopt;
}

bool is_latency(agg a) { return a == agg::mean || a == agg::percentile; }

std::string aggregation_name(const threshold& t) {
  switch (t.agg) {
  case agg::count: return "count";
  case agg::rate: return "rate";
  case agg::value: return "value";
  case agg::min: return "min";
  case agg::max: return "max";
  case agg::mean: return "mean";
  case agg::percentile: {
    char buf[32];
    std::snprintf(buf, sizeof buf, "p%g", t.percentile);
    return buf;
  }
  }
  return "?";
}

std::string closest_recorded(const std::string& metric, const metrics::snapshot& totals) {
  std::vector<std::string> names;
  for (const auto& [name, _] : totals.counters)
    names.push_back(name);
  for (const auto& [name, _] : totals.gauges)
    names.push_back(name);
  for (const auto& [name, _] : totals.histograms)
    names.push_back(name);
  const auto best = closest_name(metric, names);
  return best ? " (did you mean " + *best + "?)" : "";
}

}  // namespace

const char* to_string(threshold::comparison op) {
  switch (op) {
  case cmp::lt: return "<";
  case cmp::le: return "<=";
  case cmp::gt: return ">";
  case cmp::ge: return ">=";
  case cmp::eq: return "==";
  case cmp::ne: return "!=";
  }
  return "?";
}

bool holds(double actual, threshold::comparison op, double limit) noexcept {
  switch (op) {
  case cmp::lt: return actual < limit;
  case cmp::le: return actual <= limit;
  case cmp::gt: return actual > limit;
  case cmp::ge: return actual >= limit;
  case cmp::eq: return actual == limit;
  case cmp::ne: return actual != limit;
  }
  return false;
}

caf::expected<threshold> parse_threshold(std::string_view metric, std::string_view expression) {
  threshold t;
  t.metric = metric;
  t.expression = detail::trim(expression);
  std::string_view rest = t.expression;
  const auto split = word_end(rest);
  const auto word = rest.substr(0, split);
  rest = detail::trim(rest.substr(split));
  if (word.empty())
    return bad(metric, expression, std::string{"no aggregation"} + std::string{grammar});
  if (word == "count")
    t.agg = agg::count;
  else if (word == "rate")
    t.agg = agg::rate;
  else if (word == "value")
    t.agg = agg::value;
  else if (word == "min")
    t.agg = agg::min;
  else if (word == "max")
    t.agg = agg::max;
  else if (word == "mean" || word == "avg")
    t.agg = agg::mean;
  else if (auto p = parse_percentile(word)) {
    t.agg = agg::percentile;
    t.percentile = *p;
  } else
    return bad(metric, expression,
               "unknown aggregation \"" + std::string{word}
                 + "\" (known: count, rate, value, min, max, mean, avg, p50, p90, p95, p99, "
                   "p99.9, p(N) with 0 < N <= 100)");
  auto op = parse_operator(rest);
  if (!op)
    return bad(metric, expression,
               std::string{"no comparison operator (<, <=, >, >=, ==, !=)"} + std::string{grammar});
  t.op = *op;
  auto value = detail::trim(rest);
  if (value.empty())
    return bad(metric, expression, std::string{"no value to compare with"} + std::string{grammar});
  std::string text{value};
  if (auto micro = text.find("µs"); micro != std::string::npos)
    text.replace(micro, std::string_view{"µs"}.size(), "us");
  if (auto plain = parse_number(text)) {
    t.limit = *plain;
    // A bare number for a latency means milliseconds, as in durations elsewhere.
    if (is_latency(t.agg)) {
      t.limit *= 1000.0;
      t.limit_is_duration = true;
    }
    return t;
  }
  t.limit_has_unit = true;
  if (t.agg == agg::rate && text.ends_with("/s")) {
    if (auto n = parse_number(detail::trim(std::string_view{text}.substr(0, text.size() - 2)))) {
      t.limit = *n;
      return t;
    }
  }
  if (t.agg == agg::count || t.agg == agg::rate || t.agg == agg::value)
    return bad(metric, expression,
               "\"" + std::string{value} + "\" is not a number (" + aggregation_name(t)
                 + " compares with a plain number" + (t.agg == agg::rate ? " or N/s)" : ")"));
  auto d = parse_duration(text);
  if (!d)
    return bad(metric, expression,
               "\"" + std::string{value}
                 + "\" is not a duration (write 250us, 500ms, 2s or a number of milliseconds)");
  t.limit = std::chrono::duration<double, std::micro>(*d).count();
  t.limit_is_duration = true;
  return t;
}

std::string threshold_result::describe() const {
  if (!actual)
    return note;
  std::string value;
  if (unit == "ms")
    value = metrics::format_ms(*actual * 1000.0) + "ms";
  else if (unit == "/s")
    value = metrics::format_rate(*actual) + "/s";
  else if (*actual >= 0 && *actual == std::floor(*actual))
    value = metrics::format_count(static_cast<std::uint64_t>(*actual));
  else
    value = std::to_string(static_cast<std::int64_t>(*actual));
  return aggregation_name(criterion) + " = " + value;
}

threshold_result evaluate(const threshold& t, const metrics::snapshot& totals,
                          const metrics::time_series& series, duration wall) {
  threshold_result r;
  r.criterion = t;
  const double wall_s = std::chrono::duration<double>(wall).count();
  auto decide = [&](double actual) {
    r.actual = actual;
    r.passed = holds(actual, t.op, t.limit);
    return r;
  };
  auto rate = [&](std::uint64_t n) {
    r.unit = "/s";
    return decide(wall_s > 0 ? static_cast<double>(n) / wall_s : 0.0);
  };
  auto fail = [&](std::string note) {
    r.note = std::move(note);
    return r;
  };
  const auto name = aggregation_name(t);

  if (auto c = totals.counters.find(t.metric); c != totals.counters.end()) {
    if (t.agg == agg::count || t.agg == agg::value)
      return decide(static_cast<double>(c->second));
    if (t.agg == agg::rate)
      return rate(c->second);
    return fail(name + " does not apply to a counter (use count or rate)");
  }

  if (auto h = totals.histograms.find(t.metric); h != totals.histograms.end()) {
    const auto& hist = h->second;
    if (t.agg == agg::count)
      return decide(static_cast<double>(hist.count()));
    if (t.agg == agg::rate)
      return rate(hist.count());
    if (t.agg == agg::value)
      return fail("value does not apply to a histogram (use count, rate, min, max, mean or pN)");
    if (hist.empty())
      return fail("no samples of " + t.metric + " were recorded");
    double us = 0;
    switch (t.agg) {
    case agg::min: us = static_cast<double>(hist.min()); break;
    case agg::max: us = static_cast<double>(hist.max()); break;
    case agg::mean: us = hist.mean(); break;
    default: us = static_cast<double>(hist.value_at(t.percentile));
    }
    // min and max written without a unit are milliseconds for a histogram.
    const double limit_us = t.limit_is_duration ? t.limit : t.limit * 1000.0;
    r.unit = "ms";
    r.actual = us / 1000.0;
    r.passed = holds(us, t.op, limit_us);
    return r;
  }

  if (auto g = totals.gauges.find(t.metric); g != totals.gauges.end()) {
    if (t.limit_is_duration)
      return fail(t.metric + " is a gauge: compare it with a plain number");
    double v = static_cast<double>(g->second);
    if (t.agg == agg::value)
      return decide(v);
    if (t.agg != agg::min && t.agg != agg::max)
      return fail(name + " does not apply to a gauge (use value, min or max)");
    if (auto s = series.gauges().find(t.metric); s != series.gauges().end())
      for (auto point : s->second.points)
        v = t.agg == agg::min ? std::min(v, static_cast<double>(point))
                              : std::max(v, static_cast<double>(point));
    return decide(v);
  }

  // Never recorded. A metric made only when something happens (declared on
  // demand) happened zero times; any other name is one this run never made:
  // most likely a typo, which must not pass as "count == 0".
  if (!metrics::is_on_demand(t.metric))
    return fail(t.metric + " was never recorded in this run" + closest_recorded(t.metric, totals));
  if (t.agg == agg::count)
    return decide(0);
  if (t.agg == agg::rate)
    return rate(0);
  return fail("no samples of " + t.metric + " were recorded");
}

}  // namespace amoc
