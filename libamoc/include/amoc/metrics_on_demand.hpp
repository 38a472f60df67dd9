#pragma once

/// Metrics that exist only once something happens: `users.ended.scenario_error`,
/// `xmpp.failures.connect`, `http.get.status.500`. A module declares such names
/// next to the code that records them, so a threshold can tell "happened zero
/// times" (`count == 0` passes) from a name no run ever records (a typo: the
/// threshold fails, naming it).

#include <string>
#include <string_view>
#include <vector>

namespace amoc::metrics {

/// Declares, for the life of the program, metric names recorded only when
/// something happens; `*` in a name stands for any text (`http.*.status.*`).
/// Meant for a namespace-scope object next to the code that records them.
class on_demand {
public:
  explicit on_demand(std::vector<std::string> names);
};

/// Whether `name` is one of the declared on-demand names (or matches one).
[[nodiscard]] bool is_on_demand(std::string_view name);

}  // namespace amoc::metrics
