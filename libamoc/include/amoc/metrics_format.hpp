#pragma once

/// Numbers as reports show them: latencies in milliseconds to 3 significant
/// digits (what an HDR histogram holds), rates to one decimal.

#include <cstdint>
#include <string>

namespace amoc::metrics {

/// `micros` µs in ms: "0.012", "1.23", "12.3", "123", "12345".
[[nodiscard]] std::string format_ms(double micros);
/// A per-second rate: "0.25", "3.5", "1234.5".
[[nodiscard]] std::string format_rate(double per_second);
/// An integer with thin groups: "1,234,567".
[[nodiscard]] std::string format_count(std::uint64_t n);

}  // namespace amoc::metrics
