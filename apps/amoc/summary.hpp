#pragma once

#include <string>

#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"

namespace amoc::cli {

/// The end-of-run summary: final state, users started and ended by reason,
/// thresholds (✓/✗), then every counter (total, rate/s), gauge and latency
/// histogram (count, min, mean, p50, p90, p95, p99, p99.9, max in ms).
[[nodiscard]] std::string summary(const run_file& run, const run_result& result);

}  // namespace amoc::cli
