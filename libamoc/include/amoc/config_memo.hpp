#pragma once

/// Values read from the run's config once per thread, not once per user.

#include <optional>
#include <type_traits>

#include "amoc/config.hpp"
#include "amoc/user.hpp"

namespace amoc {

/// What `read(u)` returns, read again only once the run's config may have
/// changed (`user::config_stamp`: a live update, another run, the
/// environment). Kept per worker thread and per call site (each lambda is
/// its own type), so settings every user reads the same cost their lookups
/// once per change instead of once per user; each lookup reads the
/// environment. `read` must not depend on which user asks: per-user parts
/// (an account, an address picked by id) are added to what it returns.
template <class Read>
[[nodiscard]] const auto& config_memo(const user& u, Read read) {
  static_assert(std::is_class_v<Read>, "pass a lambda: its type tells the call sites apart");
  using value = std::decay_t<std::invoke_result_t<Read&, const user&>>;
  struct memo {
    config::store::stamp stamp;
    value kept;
  };
  thread_local std::optional<memo> last;
  const auto stamp = u.config_stamp();  // before reading: a change meanwhile reads again
  if (!last || last->stamp != stamp)
    last = memo{stamp, read(u)};
  return last->kept;
}

}  // namespace amoc
