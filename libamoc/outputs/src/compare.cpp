// Two result documents side by side: the statistics both have, their
// changes, and the text table `amoc compare` prints. The rules are in
// compare_rules.cpp.

#include "amoc/compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/metrics_format.hpp"
#include "report_parts.hpp"

namespace amoc::comparison {

namespace {

using json = nlohmann::json;
using detail::member;

const json& totals_of(const json& result, metric_kind kind) {
  const auto& metrics = member(result, "metrics");
  switch (kind) {
  case metric_kind::counter: return member(metrics, "counters");
  case metric_kind::gauge: return member(metrics, "gauges");
  default: return member(metrics, "histograms");
  }
}

std::optional<double> number_at(const json& j, const std::string& key) {
  if (!j.is_object())
    return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number())
    return std::nullopt;
  return it->get<double>();
}

// A member that must have a JSON type where present (`required`: be present).
std::string wrong_type(const json& j, const char* key, json::value_t type, const char* type_name,
                       bool required = false) {
  const auto it = j.find(key);
  if (it == j.end())
    return required ? std::string{"no \""} + key + "\"" : std::string{};
  const bool number = type == json::value_t::number_float;
  if (number ? it->is_number() : it->type() == type)
    return {};
  return std::string{"\""} + key + "\" is not " + type_name;
}

// The parts the comparison reads, with the types it reads them as; deeper
// values are read defensively (a wrong one counts as missing).
std::string why_not_a_result(const json& doc) {
  if (!doc.is_object())
    return "not a result document (a JSON object written by amoc run --out)";
  using t = json::value_t;
  for (const auto& why : {wrong_type(doc, "scenario", t::string, "a string", true),
                          wrong_type(doc, "state", t::string, "a string"),
                          wrong_type(doc, "error", t::string, "a string"),
                          wrong_type(doc, "started_at", t::string, "a string"),
                          wrong_type(doc, "wall_time_s", t::number_float, "a number"),
                          wrong_type(doc, "users", t::object, "an object"),
                          wrong_type(doc, "series", t::object, "an object")})
    if (!why.empty())
      return "not a result document: " + why;
  if (doc.value("state", std::string{}) == "error")
    return "the run ended in error (" + doc.value("error", std::string{"no reason given"})
           + "): it measured nothing to compare";
  const auto& metrics = member(doc, "metrics");
  if (!doc.contains("metrics") || !metrics.contains("counters") || !metrics.contains("histograms"))
    return "not a result document: it has no \"metrics\" with counters and histograms (write "
           "one with amoc run --out)";
  for (const auto& why : {wrong_type(metrics, "counters", t::object, "an object"),
                          wrong_type(metrics, "gauges", t::object, "an object"),
                          wrong_type(metrics, "histograms", t::object, "an object"),
                          wrong_type(member(doc, "users"), "started", t::number_float, "a number"),
                          wrong_type(member(doc, "series"), "t_s", t::array, "an array")})
    if (!why.empty())
      return "not a result document: " + why;
  return {};
}

// A column of the text table: left-aligned first, the others right-aligned.
std::string aligned(const std::vector<std::vector<std::string>>& lines) {
  std::vector<std::size_t> width;
  auto length = [](const std::string& s) {  // in code points: the table has no wide characters
    return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  for (const auto& line : lines) {
    width.resize(std::max(width.size(), line.size()));
    for (std::size_t i = 0; i < line.size(); ++i)
      width[i] = std::max(width[i], length(line[i]));
  }
  std::string out;
  for (const auto& line : lines) {
    std::string text = "  ";
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto pad = std::string(width[i] - length(line[i]), ' ');
      text += i < 2 ? line[i] + pad + "  " : pad + line[i] + "   ";
    }
    while (!text.empty() && text.back() == ' ')
      text.pop_back();
    out += text + "\n";
  }
  return out;
}

}  // namespace

metric_kind kind_of(const json& result, std::string_view metric) {
  const std::string name{metric};
  for (auto kind : {metric_kind::counter, metric_kind::gauge, metric_kind::histogram})
    if (totals_of(result, kind).contains(name))
      return kind;
  return metric_kind::none;
}

std::vector<std::string> metric_names(const json& result) {
  std::vector<std::string> names;
  for (auto kind : {metric_kind::counter, metric_kind::gauge, metric_kind::histogram})
    for (const auto& [name, _] : totals_of(result, kind).items())
      names.push_back(name);
  return names;
}

const char* to_string(metric_kind kind) {
  switch (kind) {
  case metric_kind::counter: return "counter";
  case metric_kind::gauge: return "gauge";
  case metric_kind::histogram: return "histogram";
  case metric_kind::none: return "none";
  }
  return "none";
}

const std::vector<std::string>& statistics_of(metric_kind kind) {
  static const std::vector<std::string> counter{"count", "rate"};
  static const std::vector<std::string> gauge{"value", "min", "max"};
  static const std::vector<std::string> histogram{"count", "rate", "min", "mean", "p50",
                                                  "p90",   "p95",  "p99", "p999", "max"};
  static const std::vector<std::string> none;
  switch (kind) {
  case metric_kind::counter: return counter;
  case metric_kind::gauge: return gauge;
  case metric_kind::histogram: return histogram;
  case metric_kind::none: return none;
  }
  return none;
}

std::string unit_of(metric_kind kind, std::string_view stat) {
  if (stat == "rate")
    return "/s";
  if (kind == metric_kind::histogram && stat != "count")
    return "ms";
  return "";
}

std::optional<double> statistic(const json& result, metric_kind kind, std::string_view metric,
                                std::string_view stat) {
  const auto& totals = totals_of(result, kind);
  const std::string name{metric};
  const bool recorded = totals.contains(name);
  const auto& m = member(totals, name.c_str());
  switch (kind) {
  case metric_kind::counter:
    // A counter the run did not record: it counted nothing.
    if (stat == "count")
      return recorded ? number_at(m, "total") : 0.0;
    return recorded ? number_at(m, "rate") : 0.0;
  case metric_kind::gauge: return number_at(m, std::string{stat});
  case metric_kind::histogram: {
    const double count = number_at(m, "count").value_or(0);
    if (stat == "count")
      return count;
    if (stat == "rate") {
      const double wall = detail::number_or(member(result, "metrics"), "wall_time_s",
                                            detail::number_or(result, "wall_time_s"));
      return wall > 0 ? count / wall : 0.0;
    }
    if (count <= 0)
      return std::nullopt;
    return number_at(m, std::string{stat} + "_ms");
  }
  case metric_kind::none: return std::nullopt;
  }
  return std::nullopt;
}

caf::error check_comparable(const json& base, const json& now, std::string_view base_name,
                            std::string_view new_name) {
  const std::string base_s{base_name}, new_s{new_name};
  if (auto why = why_not_a_result(base); !why.empty())
    return make_error(ec::invalid_argument, base_s + ": " + why);
  if (auto why = why_not_a_result(now); !why.empty())
    return make_error(ec::invalid_argument, new_s + ": " + why);
  const auto a = base.value("scenario", std::string{}), b = now.value("scenario", std::string{});
  if (a != b)
    return make_error(ec::invalid_argument, base_s + " ran scenario \"" + a + "\", " + new_s
                                              + " ran \"" + b
                                              + "\": compare two runs of one scenario");
  return {};
}

std::optional<double> row::change() const {
  if (!base || !now)
    return std::nullopt;
  return *now - *base;
}

std::optional<double> row::relative_change() const {
  if (!base || !now)
    return std::nullopt;
  if (*base == 0)
    return *now == 0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), *now);
  return (*now - *base) / std::fabs(*base) * 100.0;
}

std::vector<row> rows(const json& base, const json& now) {
  std::vector<row> out;
  for (auto kind : {metric_kind::counter, metric_kind::gauge, metric_kind::histogram}) {
    std::vector<std::string> names;
    for (const auto* doc : {&base, &now})
      for (const auto& [name, _] : totals_of(*doc, kind).items())
        names.push_back(name);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (const auto& name : names)
      for (const auto& stat : statistics_of(kind)) {
        row r{name,
              kind,
              stat,
              statistic(base, kind, name, stat),
              statistic(now, kind, name, stat),
              unit_of(kind, stat)};
        // Percentiles of a histogram neither run sampled say nothing.
        if (r.base || r.now)
          out.push_back(std::move(r));
      }
  }
  return out;
}

std::string format_value(std::optional<double> value, const std::string& unit) {
  if (!value)
    return "-";
  if (!std::isfinite(*value))
    return *value > 0 ? "inf" : "-inf";
  if (unit == "ms")
    return metrics::format_ms(*value * 1000.0) + "ms";
  if (unit == "/s")
    return metrics::format_rate(*value) + "/s";
  if (*value >= 0 && *value == std::floor(*value) && *value < 1e18)
    return metrics::format_count(static_cast<std::uint64_t>(*value));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", *value);
  return buf;
}

std::string format_change(std::optional<double> change, const std::string& unit) {
  if (!change)
    return "";
  if (*change == 0)
    return "0";
  return (*change > 0 ? "+" : "-") + format_value(std::fabs(*change), unit);
}

std::string format_percent(std::optional<double> percent) {
  if (!percent)
    return "";
  if (std::isinf(*percent))
    return *percent > 0 ? "+inf%" : "-inf%";
  if (*percent == 0)
    return "0%";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", *percent);
  return buf;
}

std::string text_table(const std::vector<row>& rows, const std::vector<verdict>& verdicts) {
  std::vector<std::vector<std::string>> lines{
    {"metric", "statistic", "base", "new", "change", "change %"}};
  for (const auto& r : rows)
    lines.push_back({r.metric, r.stat, format_value(r.base, r.unit), format_value(r.now, r.unit),
                     format_change(r.change(), r.unit), format_percent(r.relative_change())});
  std::string out = aligned(lines);
  if (!verdicts.empty()) {
    out += "\nregression rules\n";
    for (const auto& v : verdicts)
      out += std::string{"  "} + (v.crossed ? "✗ " : "✓ ") + v.describe() + "\n";
  }
  return out;
}

}  // namespace amoc::comparison
