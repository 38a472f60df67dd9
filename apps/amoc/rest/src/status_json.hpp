#pragma once

// amoc::status as the REST API and the dashboard show it.

#include <nlohmann/json.hpp>

#include "amoc/status.hpp"

namespace amoc::rest {

/// {"pending", "running", "waiting", "stopping", "started", "alive", "ended": {reason: n}}
[[nodiscard]] nlohmann::json users_json(const user_counts& u);

/// One worker node: name, address, up, status, scenario, error, users, ids.
[[nodiscard]] nlohmann::json node_json(const node_status& n);

}  // namespace amoc::rest
