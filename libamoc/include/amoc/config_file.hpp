#pragma once

/// Reading the JSON config file into a store, and checking declared variables
/// and the names of given settings.

#include <string>
#include <vector>

#include <caf/error.hpp>

#include "amoc/config.hpp"

namespace amoc::config {

/// Reads the JSON object at `path` into `s` as its file values (`ec::bad_config_file` on failure).
[[nodiscard]] caf::error load_file(store& s, const std::string& path);

/// Validates `vars` against `s`; all problems in one `ec::invalid_config` error, or none.
[[nodiscard]] caf::error check(const store& s, const std::vector<variable>& vars);

/// The keys of `object` (a config file, a run file's settings) that are not
/// in `known`, one message each with the closest known name: "unknown
/// setting `dumy_sleep` (did you mean `dummy_sleep`?)". Empty when all are known.
[[nodiscard]] std::vector<std::string> unknown_settings(const json& object,
                                                        const std::vector<std::string>& known);

/// A warning for each `AMOC_<name>` environment variable (of `environment`,
/// `NAME=value` entries) that names no setting in `known`, as `lookup` reads
/// them (`AMOC_name` or `AMOC_NAME`). Unrelated all-capital variables
/// (`AMOC_PLUGIN_DIR`, scripts' own) are left alone unless they are close
/// to a setting's name.
[[nodiscard]] std::vector<std::string>
unknown_environment_settings(const std::vector<std::string>& environment,
                             const std::vector<std::string>& known);

/// The `AMOC_*` entries of this process's environment (`NAME=value`).
[[nodiscard]] std::vector<std::string> amoc_environment();

}  // namespace amoc::config
