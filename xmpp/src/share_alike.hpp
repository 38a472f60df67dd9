#pragma once

#include <memory>
#include <utility>

namespace amoc::xmpp::detail {

/// `value` as a shared object: the one made last on this thread when it is
/// equal. What every user of a run makes alike (where to connect, the
/// server's features) is then held once, not once per connected user.
template <class T>
[[nodiscard]] std::shared_ptr<const T> share_alike(T value) {
  thread_local std::shared_ptr<const T> last;
  if (!last || *last != value)
    last = std::make_shared<const T>(std::move(value));
  return last;
}

}  // namespace amoc::xmpp::detail
