#include "amoc/series_csv.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "report_parts.hpp"

namespace amoc {

namespace {

using json = nlohmann::json;
using detail::member;

constexpr const char* latency_fields[] = {"min_ms", "mean_ms", "p50_ms",  "p90_ms",
                                          "p95_ms", "p99_ms",  "p999_ms", "max_ms"};

// A metric name as one CSV field: quoted when it holds a comma, quote or line end.
std::string field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (char c : text)
    quoted += c == '"' ? std::string{"\"\""} : std::string(1, c);
  return quoted + "\"";
}

// Point `i` of a series array as a number cell; empty for null or missing.
std::string cell(const json& array, std::size_t i) {
  if (!array.is_array() || i >= array.size() || !array[i].is_number())
    return {};
  return array[i].dump();
}

std::string number(double v) { return json(v).dump(); }

}  // namespace

const std::string& series_csv_header() {
  static const std::string header = [] {
    std::string h = "t_s,interval_s,metric,kind,count,rate,value";
    for (auto f : latency_fields)
      h += std::string{","} + f;
    return h;
  }();
  return header;
}

std::string series_csv(const json& result) {
  const auto& series = member(result, "series");
  const auto t = detail::times(series);
  const auto& counters = member(series, "counters");
  const auto& gauges = member(series, "gauges");
  const auto& histograms = member(series, "histograms");
  std::string csv = series_csv_header() + "\n";
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double length = t[i] - (i > 0 ? t[i - 1] : 0.0);
    const auto when = number(t[i]) + "," + number(length) + ",";
    for (const auto& [name, c] : counters.items())
      csv += when + field(name) + ",counter," + cell(member(c, "delta"), i) + ","
             + cell(member(c, "rate"), i) + ",,,,,,,,,\n";
    for (const auto& [name, values] : gauges.items())
      csv += when + field(name) + ",gauge,,," + cell(values, i) + ",,,,,,,,\n";
    for (const auto& [name, h] : histograms.items()) {
      const auto count = cell(member(h, "count"), i);
      // As the counters' rates: 0 for the first sample, taken as the users start.
      std::string rate;
      if (!count.empty())
        rate =
          number(length > 0 ? std::round(member(h, "count")[i].get<double>() / length * 1000) / 1000
                            : 0.0);
      csv += when + field(name) + ",histogram," + count + "," + rate + ",";
      for (auto f : latency_fields)
        csv += "," + cell(member(h, f), i);
      csv += "\n";
    }
  }
  return csv;
}

}  // namespace amoc
