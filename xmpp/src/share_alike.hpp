#pragma once

#include <memory>
#include <utility>

namespace amoc::xmpp::detail {

/// The last `T` shared on this thread (one per type, whatever it was made from).
template <class T>
std::shared_ptr<const T>& last_shared() {
  thread_local std::shared_ptr<const T> last;
  return last;
}

/// `value` as a shared `T`: the one made last on this thread when it is
/// equal, so nothing is allocated then. What every user of a run makes alike
/// (where to connect, the server's features) is held once, not once per
/// connected user. `value` may be a view of a `T` (a `std::string_view` of a
/// `std::string`): it is copied only when it differs.
template <class T, class Value>
[[nodiscard]] std::shared_ptr<const T> share_alike(Value&& value) {
  auto& last = last_shared<T>();
  if (!last || *last != value)
    last = std::make_shared<const T>(std::forward<Value>(value));
  return last;
}

}  // namespace amoc::xmpp::detail
