#pragma once

/// Numbers as reports show them: latencies in milliseconds to 3 significant
/// digits (what an HDR histogram holds), rates to one decimal.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace amoc::metrics {

/// `micros` µs in ms: "0.012", "1.23", "12.3", "123", "12345".
[[nodiscard]] std::string format_ms(double micros);
/// A per-second rate: "0.25", "3.5", "1234.5".
[[nodiscard]] std::string format_rate(double per_second);
/// An integer with thin groups: "1,234,567".
[[nodiscard]] std::string format_count(std::uint64_t n);
/// A failure counter by amoc's naming (`xmpp.failures.sasl`, `http.failures.connect`).
[[nodiscard]] bool is_failure(std::string_view counter_name);
/// The sum of the failure counters among `counters`.
[[nodiscard]] std::uint64_t
failures_in(const std::map<std::string, std::uint64_t, std::less<>>& counters);

}  // namespace amoc::metrics
