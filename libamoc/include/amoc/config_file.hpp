#pragma once

/// Reading the JSON config file into a store, and checking declared variables.

#include <string>
#include <vector>

#include <caf/error.hpp>

#include "amoc/config.hpp"

namespace amoc::config {

/// Reads the JSON object at `path` into `s` as its file values (`ec::bad_config_file` on failure).
[[nodiscard]] caf::error load_file(store& s, const std::string& path);

/// Validates `vars` against `s`; all problems in one `ec::invalid_config` error, or none.
[[nodiscard]] caf::error check(const store& s, const std::vector<variable>& vars);

}  // namespace amoc::config
