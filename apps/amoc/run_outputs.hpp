#pragma once

// The files `amoc run` writes from its result document: --out (JSON),
// --report (HTML), --junit (JUnit XML), --csv (the time series).

#include <optional>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <nlohmann/json_fwd.hpp>

#include "amoc/junit.hpp"

namespace amoc::cli {

/// Where each output goes; none: not asked for.
struct run_outputs {
  std::optional<std::string> out;
  std::optional<std::string> report;
  std::optional<std::string> junit;
  std::optional<std::string> csv;

  /// Sets the output an option names (`--out`, `--report`, `--junit`,
  /// `--csv`); false for another option.
  bool set(const std::string& option, std::string path);

  /// Tries each for writing (output_file.hpp): the first that cannot be.
  [[nodiscard]] caf::error check_writable() const;

  /// Writes each from `doc`, `more` as JUnit test cases after the
  /// thresholds; complains on stderr about each that fails. False if one did.
  bool write(const nlohmann::json& doc, const std::vector<junit_case>& more = {}) const;
};

}  // namespace amoc::cli
