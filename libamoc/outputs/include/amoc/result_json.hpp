#pragma once

/// The result document of a run (`amoc run --out`, `GET /execution/result`).

#include <nlohmann/json.hpp>

#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"

namespace amoc {

/// The JSON result document written by `amoc run --out`: the run's outcome,
/// its thresholds, every metric's totals and time series (amoc/metrics_json.hpp).
[[nodiscard]] nlohmann::json to_json(const run_file& run, const run_result& result);

}  // namespace amoc
