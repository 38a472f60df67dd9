#pragma once

/// Metric names are dotted paths (`xmpp.failures.sasl`): what reads them by
/// segment (Prometheus families, `amoc check`'s patterns) splits them here.

#include <string_view>
#include <vector>

namespace amoc::metrics {

/// The segments of a dotted name, empty ones included: "a..b" is {"a", "", "b"}.
[[nodiscard]] std::vector<std::string_view> segments_of(std::string_view name);

}  // namespace amoc::metrics
