#pragma once

/// The HTML report of `amoc compare --report FILE`: two runs on the same
/// charts. One self-contained page like the run report (amoc/report_html.hpp):
/// the regression rules and their verdicts, users, rates, latency
/// percentiles and failures over time with BASE dashed and NEW solid, each
/// run from its own start, and the side-by-side table of every statistic.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "amoc/compare.hpp"

namespace amoc {

/// Renders the comparison of two result documents (`amoc run --out` files)
/// that `comparison::check_comparable` accepts; `base_label` and `new_label`
/// name them (their file names).
[[nodiscard]] std::string html_comparison(const nlohmann::json& base, const nlohmann::json& now,
                                          const std::vector<comparison::verdict>& verdicts,
                                          const std::string& base_label,
                                          const std::string& new_label);

}  // namespace amoc
