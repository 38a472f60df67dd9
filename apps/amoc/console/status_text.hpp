#pragma once

// Runs and nodes as the console prints them.

#include <string>
#include <string_view>

#include "amoc/status.hpp"

namespace amoc::console {

/// "local: running dummy, users 10 (running 2, waiting 8, stopping 0), pending 0, ..."
[[nodiscard]] std::string describe(std::string_view label, const status& st);

/// "  node a (127.0.0.1:4100): up, running, users 5 (...), ids 1-9"
[[nodiscard]] std::string describe(const node_status& node);

}  // namespace amoc::console
