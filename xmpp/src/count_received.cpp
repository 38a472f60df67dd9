#include "amoc/xmpp/count_received.hpp"

#include "connection.hpp"

namespace amoc::xmpp {

namespace {

// Takes unread stanzas until `wanted` matched or none is left; how many matched.
// Not in the coroutine: its locals would stay in the frame of every waiting user.
std::int64_t count_matching(client& c, const predicate& pred, std::int64_t wanted) {
  std::int64_t matched = 0;
  while (matched < wanted) {
    auto s = c.take_next();
    if (!s)
      break;
    if (pred(*s))
      ++matched;
  }
  return matched;
}

}  // namespace

task<std::int64_t> count_received(client& c, std::chrono::steady_clock::time_point until,
                                  std::int64_t wanted, predicate pred) {
  using clock = std::chrono::steady_clock;
  c.enter_wait();
  std::int64_t matched = 0;
  std::uint64_t events = 0;
  while (matched < wanted && clock::now() < until) {
    // Fewer unread stanzas than matches still wanted cannot complete the
    // count: sleep until that many arrived (or `until`), not one wake each.
    // Their delivery times are the I/O thread's, taken on arrival. This is
    // `wait_for_unread`, inline: its frame would be one more per user.
    const auto n = static_cast<std::size_t>(wanted - matched);
    while (!c.look_unread(until, n, events))
      co_await c.conn_->next_event(c.user_, until, events, n - c.received_.size());
    matched += count_matching(c, pred, wanted - matched);
  }
  co_return matched;
}

}  // namespace amoc::xmpp
