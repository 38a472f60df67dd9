#pragma once

#include <optional>
#include <string>

#include <caf/error.hpp>

#include "amoc/config.hpp"

namespace amoc::cli {

/// Loads `--config FILE` (which must exist) or else the default config file
/// when it exists.
[[nodiscard]] caf::error load_config(config::store& store, const std::optional<std::string>& path);

}  // namespace amoc::cli
