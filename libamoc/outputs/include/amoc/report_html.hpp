#pragma once

/// The HTML report of `amoc run --report FILE`: one self-contained page (inline
/// CSS and SVG, no scripts, nothing fetched) with the run's outcome, its
/// thresholds, charts of users over time, message and request rates, latency
/// percentiles over time and failures by phase, and the summary table.

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace amoc {

/// Renders the result document that `to_json(run, result)` builds (the
/// `--out` file), so a report can also be made from a saved result.
[[nodiscard]] std::string html_report(const nlohmann::json& result);

}  // namespace amoc
