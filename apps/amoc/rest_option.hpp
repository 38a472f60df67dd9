#pragma once

// `--rest` for `amoc console` and `amoc start`: the REST gateway and dashboard
// beside the console, on the port and address of the rest_* settings.

#include <memory>
#include <string_view>

#include <caf/expected.hpp>

#include "amoc/rest_gateway.hpp"
#include "console/interpreter.hpp"

namespace amoc::cli {

/// Serves the runtime the console's `dist` commands use when worker nodes are
/// configured, else its local runtime; announces the address (and a generated
/// token) on stderr as `command`. Destroy it before `interp`.
[[nodiscard]] caf::expected<std::unique_ptr<rest_gateway>>
start_rest(std::string_view command, console::interpreter& interp, const config::store& store);

}  // namespace amoc::cli
