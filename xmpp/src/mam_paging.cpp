#include "amoc/xmpp/mam_paging.hpp"

#include <chrono>

namespace amoc::xmpp {

namespace {

// The coroutine proper: it gets the built query by value, so nothing it
// reads points into the caller's frame.
task<read_result<mam_page>> fetch_page(client& c, stanza query, std::string query_id,
                                       duration timeout) {
  const auto sent = std::chrono::system_clock::now();
  c.send(query);
  auto end = co_await c.wait_for_stanza(timeout, is::iq_reply_to(query));
  mam_page page;
  page.latency = std::chrono::duration_cast<duration>(end.received_at() - sent);
  auto fin = read_mam_fin(end);
  if (!fin)
    co_return read_error{fin.error()};
  page.end = std::move(*fin);
  // XEP-0313 §4.2: every result precedes the iq result, so they are all
  // queued by now; 0s only takes them.
  for (;;) {
    auto result = co_await c.receive(duration::zero(), is::mam_result(query_id));
    if (!result)
      break;
    auto item = read_mam_message(*result);
    if (!item)
      co_return read_error{item.error()};
    page.messages.push_back(std::move(*item));
  }
  co_return page;
}

}  // namespace

task<read_result<mam_page>> fetch_mam_page(client& c, std::string_view query_id,
                                           const stanzas::mam_filter& filter, duration timeout) {
  return fetch_page(c, stanzas::mam_query(query_id, filter), std::string{query_id}, timeout);
}

}  // namespace amoc::xmpp
