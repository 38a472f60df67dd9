#include "amoc/xmpp/count_received.hpp"

namespace amoc::xmpp {

task<std::int64_t> count_received(client& c, std::chrono::steady_clock::time_point until,
                                  std::int64_t wanted, predicate pred) {
  using clock = std::chrono::steady_clock;
  std::int64_t matched = 0;
  while (matched < wanted && clock::now() < until) {
    auto s = co_await c.receive(until - clock::now());
    if (s && pred(*s))
      ++matched;
  }
  co_return matched;
}

}  // namespace amoc::xmpp
