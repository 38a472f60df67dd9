#pragma once

#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include <caf/error.hpp>

#include "amoc/config.hpp"
#include "amoc/link_security.hpp"
#include "amoc/run_file.hpp"
#include "amoc/runtime.hpp"
#include "amoc/scenario.hpp"

namespace amoc::cli {

/// Loads `--config FILE` (which must exist) or else the default config file
/// when it exists (see `load_config_file`), after warning about unknown
/// `AMOC_` variables.
[[nodiscard]] caf::error load_config(config::store& store, const std::optional<std::string>& path);

/// Loads the config file at `path`; a key that names no setting amoc or any
/// loaded scenario declares is `ec::bad_config_file`, with the closest name.
[[nodiscard]] caf::error load_config_file(config::store& store, const std::string& path);

/// `node_threads` as the node about to start will read it, or an error naming
/// a bad value (commands that start a node before any run check it first).
[[nodiscard]] caf::expected<std::size_t> checked_node_threads(const config::store& store);

/// Every setting name this process knows: the built-in ones (run, metrics,
/// node links, REST) and those of `scenario`, or of every scenario when null.
[[nodiscard]] std::vector<std::string> known_settings(const scenario_info* scenario);

/// Declared settings under a title ("Run settings", "Scenario dummy").
struct variable_group {
  std::string title;
  std::vector<config::variable> variables;
};

/// Every declared setting: the built-in groups, then each scenario's own.
[[nodiscard]] std::vector<variable_group> known_variable_groups();

/// A run file's "settings" must be the built-in ones or its scenario's:
/// `ec::bad_run_file` naming each other key with the closest name.
[[nodiscard]] caf::error check_run_settings(const run_file& run, const std::string& origin);

/// Prints a warning for each `AMOC_` environment variable that names no known
/// setting (the environment holds unrelated `AMOC_` variables too: no error).
void warn_unknown_environment();

/// Runtime options for the master of `nodes` (when empty, of the `nodes`
/// setting) with `security` (when not given, from the settings); options of a
/// local node when there are no nodes at all.
[[nodiscard]] caf::expected<runtime::options>
master_options(const config::store& store, std::vector<std::string> nodes,
               const std::optional<link_security>& security);

}  // namespace amoc::cli
