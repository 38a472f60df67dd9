#pragma once

/// Message archive management (XEP-0313, urn:xmpp:mam:2) paged with RSM
/// (XEP-0059): the query, and readers for the messages it returns and the
/// `<fin/>` that ends it. `is::mam_result` and `is::mam_fin` (predicates.hpp)
/// wait for them.
///
///   auto q = stanzas::mam_query("q1", {.with = "bob@localhost", .max = 50});
///   client.send(q);  // the results arrive before the iq result that ends them
///   auto end = co_await client.wait_for_stanza(5s, is::iq_reply_to(q));
///   for (;;) {
///     auto m = co_await client.receive(0s, is::mam_result("q1"));  // queued already
///     if (!m) break;
///     auto item = read_mam_message(*m).value();  // item.message, item.stamp
///   }
///   auto page = read_mam_fin(end).value();  // page.complete; page.page.last starts the next

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "amoc/xmpp/read_result.hpp"

#include "amoc/xmpp/rsm.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp {

namespace stanzas {

/// Wall-clock time, as carried in message timestamps.
using time_point = std::chrono::system_clock::time_point;

/// What a MAM query asks for; every field is optional.
struct mam_filter {
  std::string_view with = {};            ///< only messages with this JID
  std::optional<time_point> start = {};  ///< not before
  std::optional<time_point> end = {};    ///< not after
  std::uint32_t max = 0;                 ///< page size (RSM `<max/>`), 0 for the server's
  std::string_view after = {};           ///< RSM: the page after this archive id
  std::string_view before = {};          ///< RSM: the page before this archive id
  bool last_page = false;                ///< RSM: an empty `<before/>`, the newest page
  std::string_view to = {};              ///< the archive (a MUC room); "" for the user's own
};

/// `<iq type='set'><query xmlns='urn:xmpp:mam:2' queryid='...'>` with a data
/// form (FORM_TYPE, with, start, end) and an RSM set.
[[nodiscard]] stanza mam_query(std::string_view query_id, const mam_filter& filter);
/// The common case: the last messages with `with`, `max` per page, after an id.
[[nodiscard]] stanza mam_query(std::string_view query_id, std::string_view with = {},
                               std::uint32_t max = 0, std::string_view after = {},
                               std::string_view to = {});

/// A time as a query's `start` and `end` fields carry it: an XEP-0082
/// DateTime in UTC, with microseconds only when it has a fraction
/// ("2026-12-06T18:00:24Z", "2026-12-06T18:00:24.250000Z").
[[nodiscard]] std::string mam_datetime(time_point t);

}  // namespace stanzas

/// One archived message, as a query returns it (XEP-0313 §4.2).
struct archived_message {
  std::string query_id;    ///< the `queryid` of the query it answers ("" if the server left it out)
  std::string archive_id;  ///< its id in the archive, for RSM `after`/`before`
  stanza message;          ///< the forwarded message (XEP-0297) as the archive holds it
  std::optional<stanzas::time_point> stamp;  ///< when it was archived (XEP-0203 delay)
};

/// The end of a query (XEP-0313 §4.3): whether the archive has no more, and the page.
struct mam_end {
  bool complete = false;  ///< `complete='true'`: this was the last page
  rsm_page page;          ///< first/last archive ids and the count
};

/// Reads a `<message><result xmlns='urn:xmpp:mam:2'>` (see `is::mam_result`);
/// an error names what is missing (result, its id, the forwarded message) or
/// a delay stamp that is not an XEP-0082 DateTime.
[[nodiscard]] read_result<archived_message> read_mam_message(const stanza& s);
/// Reads the iq result with `<fin xmlns='urn:xmpp:mam:2'/>`; an iq error
/// gives an error naming its condition (item-not-found for an unknown
/// `after` id, ...).
[[nodiscard]] read_result<mam_end> read_mam_fin(const stanza& s);

}  // namespace amoc::xmpp
