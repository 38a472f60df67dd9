#pragma once

// What `amoc compare` and `amoc run --baseline` share: reading a result
// document, parsing --fail-if rules, printing the comparison.

#include <cstdio>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "amoc/compare.hpp"
#include "amoc/junit.hpp"

namespace amoc::cli {

/// A result document (`amoc run --out`) from `path`; the error names the
/// file and what is wrong with it (unreadable, not JSON, no result).
[[nodiscard]] caf::expected<nlohmann::json> read_result(const std::string& path);

/// Each `--fail-if` rule parsed; the error names the first bad one.
[[nodiscard]] caf::expected<std::vector<comparison::rule>>
parse_rules(const std::vector<std::string>& texts);

/// Prints the side-by-side table and the verdicts to `out`, the crossed
/// rules again to stderr (prefixed `amoc COMMAND:`); returns the verdicts.
[[nodiscard]] caf::expected<std::vector<comparison::verdict>>
compare_and_print(std::FILE* out, const char* command, const nlohmann::json& base,
                  const std::string& base_name, const nlohmann::json& now,
                  const std::string& new_name, const std::vector<comparison::rule>& rules);

/// Whether a verdict crossed its rule.
[[nodiscard]] bool any_crossed(const std::vector<comparison::verdict>& verdicts);

/// The verdicts as JUnit test cases (`amoc run --baseline --junit`).
[[nodiscard]] std::vector<junit_case> junit_cases(const std::vector<comparison::verdict>& verdicts,
                                                  const std::string& base_name);

}  // namespace amoc::cli
