#pragma once

/// Live settings: changing run-time values while a run is going
/// (`update_settings` from the console, the REST gateway or a harness).

#include <optional>
#include <string_view>

#include <caf/error.hpp>

#include "amoc/config.hpp"

namespace amoc::config {

/// Applies `values` (a JSON object of name -> value) to `s` as run-time values.
///
/// During a run each key must be a variable declared in `s` whose update policy
/// allows changes, not fixed by the environment (which would win anyway), and
/// its value must fit the variable's type and rule. Every key is checked before
/// any is stored; then each variable's callback runs (a throwing callback stops
/// the update there, the keys before it stay applied) and the value is stored.
/// Outside a run (values for the next one) each key must be declared in `s`,
/// be a built-in or metrics setting, a variable of a registered scenario, or
/// one of the node settings (`nodes`, `node_cert`, ...); its value is checked
/// against its declaration, then stored.
/// Errors name the key: `ec::invalid_config`, or `ec::read_only_setting`.
[[nodiscard]] caf::error update(store& s, const json& values, bool during_run);

/// A setting some part of amoc declares, whether or not a run is going: the
/// built-in and metrics settings, every registered scenario's variables.
[[nodiscard]] std::optional<variable> known_variable(std::string_view name);

}  // namespace amoc::config
