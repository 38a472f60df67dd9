#include "amoc/metrics_format.hpp"

#include <cmath>
#include <cstdio>

namespace amoc::metrics {

std::string format_ms(double micros) {
  const double ms = micros / 1000.0;
  const double magnitude = std::fabs(ms);
  const int decimals = magnitude == 0    ? 0
                       : magnitude < 1   ? 3
                       : magnitude < 10  ? 2
                       : magnitude < 100 ? 1
                                         : 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, ms);
  return buf;
}

std::string format_rate(double per_second) {
  char buf[64];
  std::snprintf(buf, sizeof buf, std::fabs(per_second) < 1 && per_second != 0 ? "%.2f" : "%.1f",
                per_second);
  return buf;
}

std::string format_count(std::uint64_t n) {
  auto digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

bool is_failure(std::string_view counter_name) {
  return counter_name.find(".failures.") != std::string_view::npos;
}

std::uint64_t failures_in(const std::map<std::string, std::uint64_t, std::less<>>& counters) {
  std::uint64_t total = 0;
  for (const auto& [name, value] : counters)
    if (is_failure(name))
      total += value;
  return total;
}

}  // namespace amoc::metrics
