#pragma once

// The metric names each built-in scenario records, as patterns: `amoc check`
// and `amoc run --dry-run` refuse a threshold on a metric its scenario never
// records. One table keyed by scenario name (metric_patterns.cpp), not a field
// of scenario_info nor a declaration in each scenario's file: plugins register
// a scenario_info while dlopen runs, before the loader checks their ABI tag,
// and a copy of a built-in scenario's file must still build as a plugin
// against the SDK's headers alone. Plugins' metrics are not known: only a
// threshold's syntax is checked for them. docs/metrics.md lists the same
// patterns (tests/metrics/metric_patterns_test.cpp compares the two).

#include <string>
#include <string_view>
#include <vector>

namespace amoc::scenarios {

/// Patterns written as docs/metrics.md writes them: dotted names in which a
/// segment `<x>` stands for any one segment (`xmpp.failures.<phase>`).
using metric_patterns = std::vector<std::string>;

/// The patterns of what the built-in scenario `name` records besides the
/// `users.*` metrics every run has, or nullptr when it has no entry.
[[nodiscard]] const metric_patterns* built_in_metrics(std::string_view name);

/// The scenario names the table has an entry for, sorted.
[[nodiscard]] std::vector<std::string> scenarios_with_metrics();

/// Whether `metric` is one of the names `pattern` stands for.
[[nodiscard]] bool matches(std::string_view pattern, std::string_view metric);

/// `pattern` with each `<x>` segment replaced by the segment of `metric` at
/// its place when both have as many segments (a misspelt name then meets the
/// name it was meant to be: `xmpp.muc.room.3.mesages_sent` gives
/// `xmpp.muc.room.3.messages_sent`), else `pattern` as it is.
[[nodiscard]] std::string filled_in(std::string_view pattern, std::string_view metric);

}  // namespace amoc::scenarios
