#pragma once

// The original amoc's shell calls as console commands.

#include <caf/expected.hpp>

#include "console/command.hpp"
#include "console/erlang_term.hpp"

namespace amoc::console {

/// `amoc_local:do(S, F, L)` -> `local do S F L`, `application:set_env(amoc, K, V)`
/// -> `config set K V`, ...; errors name the call and show its expected form.
[[nodiscard]] caf::expected<command> translate(const erlang_call& call);

}  // namespace amoc::console
