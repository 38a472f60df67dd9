#pragma once

#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include <caf/error.hpp>

#include "amoc/config.hpp"
#include "amoc/link_security.hpp"
#include "amoc/runtime.hpp"

namespace amoc::cli {

/// Loads `--config FILE` (which must exist) or else the default config file
/// when it exists.
[[nodiscard]] caf::error load_config(config::store& store, const std::optional<std::string>& path);

/// Runtime options for the master of `nodes` (when empty, of the `nodes`
/// setting) with `security` (when not given, from the settings); options of a
/// local node when there are no nodes at all.
[[nodiscard]] caf::expected<runtime::options>
master_options(const config::store& store, std::vector<std::string> nodes,
               const std::optional<link_security>& security);

}  // namespace amoc::cli
