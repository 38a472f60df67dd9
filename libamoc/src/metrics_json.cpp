#include "amoc/metrics_json.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace amoc::metrics {

namespace {

using json = nlohmann::json;

// Milliseconds to the µs the histograms hold.
double ms(double micros) { return std::round(micros) / 1000.0; }

double seconds(duration d) { return std::chrono::duration<double>(d).count(); }

json stats_json(const hdr_histogram& h) {
  const auto p = h.standard_percentiles();
  auto at = [](std::uint64_t us) { return ms(static_cast<double>(us)); };
  return {{"count", h.count()},    {"min_ms", at(p.min)},   {"mean_ms", ms(h.mean())},
          {"p50_ms", at(p.p50)},   {"p90_ms", at(p.p90)},   {"p95_ms", at(p.p95)},
          {"p99_ms", at(p.p99)},   {"p999_ms", at(p.p999)}, {"max_ms", at(p.max)}};
}

}  // namespace

json totals_json(const snapshot& totals, const time_series& series, duration wall,
                 duration interval) {
  const double wall_s = seconds(wall);
  json counters = json::object(), gauges = json::object(), histograms = json::object();
  for (const auto& [name, total] : totals.counters)
    counters[name] = {{"total", total},
                      {"rate", wall_s > 0 ? static_cast<double>(total) / wall_s : 0.0}};
  for (const auto& [name, value] : totals.gauges) {
    auto low = value, high = value;
    if (auto it = series.gauge_ranges().find(name); it != series.gauge_ranges().end()) {
      low = std::min(low, it->second.low);
      high = std::max(high, it->second.high);
    }
    gauges[name] = {{"value", value}, {"min", low}, {"max", high}};
  }
  for (const auto& [name, h] : totals.histograms)
    histograms[name] = stats_json(h);
  return {{"interval_s", seconds(interval)},
          {"wall_time_s", wall_s},
          {"counters", counters},
          {"gauges", gauges},
          {"histograms", histograms}};
}

json series_json(const time_series& series) {
  const auto n = series.size();
  json t = json::array();
  std::vector<double> lengths(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double end = series.ends_ms()[i] / 1000.0;
    t.push_back(end);
    lengths[i] = end - (i ? series.ends_ms()[i - 1] / 1000.0 : 0.0);
  }
  json counters = json::object();
  for (const auto& [name, line] : series.counters()) {
    json delta = json::array(), rate = json::array();
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = i - line.first;
      const std::uint64_t d = i >= line.first && k < line.points.size() ? line.points[k] : 0;
      delta.push_back(d);
      rate.push_back(lengths[i] > 0 ? std::round(static_cast<double>(d) / lengths[i] * 1000) / 1000
                                    : 0.0);
    }
    counters[name] = {{"delta", delta}, {"rate", rate}};
  }
  json gauges = json::object();
  for (const auto& [name, line] : series.gauges()) {
    json values = json::array();
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = i - line.first;
      if (i >= line.first && k < line.points.size())
        values.push_back(line.points[k]);
      else
        values.push_back(nullptr);
    }
    gauges[name] = values;
  }
  json histograms = json::object();
  static constexpr const char* fields[] = {"min_ms", "mean_ms", "p50_ms",  "p90_ms",
                                           "p95_ms", "p99_ms",  "p999_ms", "max_ms"};
  for (const auto& [name, line] : series.histograms()) {
    json h = {{"count", json::array()}};
    for (auto f : fields)
      h[f] = json::array();
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = i - line.first;
      const interval_stats* s =
        i >= line.first && k < line.points.size() ? &line.points[k] : nullptr;
      h["count"].push_back(s ? s->count : 0);
      const std::uint32_t values[] = {s ? s->min : 0,  s ? s->mean : 0, s ? s->p50 : 0,
                                      s ? s->p90 : 0,  s ? s->p95 : 0,  s ? s->p99 : 0,
                                      s ? s->p999 : 0, s ? s->max : 0};
      for (std::size_t f = 0; f < std::size(fields); ++f) {
        if (s && s->count)
          h[fields[f]].push_back(ms(values[f]));
        else
          h[fields[f]].push_back(nullptr);
      }
    }
    histograms[name] = h;
  }
  return {{"t_s", t}, {"counters", counters}, {"gauges", gauges}, {"histograms", histograms}};
}

}  // namespace amoc::metrics
