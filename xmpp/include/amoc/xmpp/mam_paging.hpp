#pragma once

/// One page of a MAM query (XEP-0313, paged with RSM, XEP-0059) fetched by a
/// client: the query goes out, the results the server sends before its
/// `<fin/>` are read in order, and the page's latency is measured.
///
///   stanzas::mam_filter f{.start = t0, .end = t1, .max = 10};
///   for (std::string after;;) {
///     f.after = after;
///     auto page = co_await xmpp::fetch_mam_page(client, "q1-" + n, f, 5s);
///     if (!page) { log << page.error(); break; }  // an iq error, a malformed result
///     for (auto& m : page->messages) ...;         // m.archive_id, m.message.body()
///     if (page->end.complete || page->messages.empty()) break;
///     after = page->end.page.last;
///   }

#include <string>
#include <vector>

#include "amoc/config.hpp"
#include "amoc/task.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/mam.hpp"

namespace amoc::xmpp {

/// What one page of a query brought.
struct mam_page {
  std::vector<archived_message> messages;  ///< in the order the server sent them
  mam_end end;                             ///< `complete`, and the RSM first/last/count
  /// From sending the query to the arrival of its `<fin/>` (taken by the I/O
  /// thread, so a busy user does not lengthen it).
  duration latency{};
};

/// Sends `mam_query(query_id, filter)` and reads the page it answers: every
/// result with that `queryid` received before the iq result, then the
/// `<fin/>`. An iq error (its condition named: item-not-found for an unknown
/// `after`, ...) or a malformed result gives a `read_error`; no answer within
/// `timeout` throws `xmpp::error` in phase `wait`, as every client wait.
/// `filter`'s strings are used before the first suspension: they need not
/// outlive the call.
[[nodiscard]] task<read_result<mam_page>> fetch_mam_page(client& c, std::string_view query_id,
                                                         const stanzas::mam_filter& filter,
                                                         duration timeout);

}  // namespace amoc::xmpp
