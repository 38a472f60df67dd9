// xmpp_mam: users chat in pairs, then page through their own message archive.
//
// Users pair up as in xmpp_one_to_one (1 with 2, 3 with 4, ...; the last of
// an odd count only queries). Each user logs in, sends `message_count` chat
// messages to its partner, one every `message_interval`, each body tagged
// with its sender, the iteration's start and a sequence number
// ("mam user_1@localhost 1796580024270744 #3"), waits (at most `linger`) for
// its partner's messages and, after `query_delay`, queries its own archive
// (XEP-0313) `query_count` times. A query asks for the time the sending took,
// widened by `time_margin` each side, `page_size` messages per page (RSM,
// XEP-0059), each page after the last archive id of the one before, until
// `<fin complete='true'/>` or `max_pages`. A complete query must have found
// every message the user sent: those it did not are counted
// (xmpp.mam.missing) and named in a warning.

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/count_received.hpp"
#include "amoc/xmpp/mam_paging.hpp"
#include "amoc/xmpp/stanzas.hpp"

namespace {

namespace xmpp = amoc::xmpp;
namespace st = amoc::xmpp::stanzas;
using clock_type = std::chrono::steady_clock;
using wall_clock = std::chrono::system_clock;

// What a user sent in one iteration, and the archive window to look for it in.
struct sent_batch {
  std::unordered_map<std::string, std::int64_t> seq_of_body;  // body -> sequence number
  wall_clock::time_point window_start{};
  wall_clock::time_point window_end{};
};

// What one query brought over all its pages.
struct query_tally {
  std::int64_t pages = 0;
  std::uint64_t messages = 0;
  std::uint64_t duplicates = 0;
  bool complete = false;
  std::string stopped_because;  // why it ended without complete='true'
  std::unordered_set<std::string> archive_ids;
  std::unordered_set<std::int64_t> found;  // sequence numbers of the user's own messages
};

struct mam_metrics {
  amoc::metrics::histogram* page = nullptr;
  amoc::metrics::histogram* query = nullptr;
  amoc::metrics::counter* queries = nullptr;
  amoc::metrics::counter* pages = nullptr;
  amoc::metrics::counter* messages = nullptr;
  amoc::metrics::counter* found = nullptr;
  amoc::metrics::counter* missing = nullptr;
  amoc::metrics::counter* incomplete = nullptr;
  amoc::metrics::counter* duplicates = nullptr;
};

// Whole seconds: Prosody stamps archived messages to the second, so a window
// edge with a fraction could cut a message sent in that second.
wall_clock::time_point floor_s(wall_clock::time_point t) {
  return std::chrono::floor<std::chrono::seconds>(t);
}
wall_clock::time_point ceil_s(wall_clock::time_point t) {
  return std::chrono::ceil<std::chrono::seconds>(t);
}

class xmpp_mam final : public amoc::scenario {
public:
  void init() override {
    interval_ = config<amoc::duration>("message_interval");
    count_ = config<std::int64_t>("message_count");
    linger_ = config<amoc::duration>("linger");
    query_delay_ = config<amoc::duration>("query_delay");
    query_count_ = config<std::int64_t>("query_count");
    page_size_ = static_cast<std::uint32_t>(config<std::int64_t>("page_size"));
    max_pages_ = config<std::int64_t>("max_pages");
    page_timeout_ = config<amoc::duration>("page_timeout");
    margin_ = config<amoc::duration>("time_margin");
    log_queries_ = config<bool>("log_queries");
    auto& m = metrics();
    m_ = {&m.histogram("xmpp.mam.page"),    &m.histogram("xmpp.mam.query"),
          &m.counter("xmpp.mam.queries"),   &m.counter("xmpp.mam.pages"),
          &m.counter("xmpp.mam.messages"),  &m.counter("xmpp.mam.found"),
          &m.counter("xmpp.mam.missing"),   &m.counter("xmpp.mam.incomplete"),
          &m.counter("xmpp.mam.duplicates")};
  }

  amoc::task<> start(amoc::user& u) override {
    xmpp::client client{u, xmpp::options::from(u)};
    co_await client.connect();
    client.send(st::presence());
    const auto partner = xmpp::pair_partner_jid(u, client.settings().domain);
    const auto sent = co_await chat(u, client, partner);
    if (!u.stopping())
      co_await u.sleep(query_delay_);
    for (std::int64_t n = 1; n <= query_count_ && !u.stopping(); ++n) {
      const auto tally = co_await query_archive(u, client, sent, n);
      report(u, sent, tally, n);
    }
    co_await client.stop();
  }

private:
  // Sends the tagged messages, reading the partner's meanwhile, then waits
  // for the partner's last ones: its messages land in this user's archive
  // too, and a query should not race them.
  amoc::task<sent_batch> chat(amoc::user& u, xmpp::client& c, const std::string& partner) const {
    sent_batch sent;
    const auto first = wall_clock::now();
    const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(first.time_since_epoch()).count();
    const auto tag = "mam " + std::string{c.jid().bare()} + " " + std::to_string(micros) + " #";
    std::int64_t received = 0;
    for (std::int64_t i = 1; i <= count_ && !u.stopping() && !partner.empty(); ++i) {
      received +=
        co_await xmpp::count_received(c, clock_type::now() + interval_, count_ - received);
      auto body = tag + std::to_string(i);
      c.send(st::chat_with_timestamp(partner, body));
      sent.seq_of_body.emplace(std::move(body), i);
    }
    const auto last = wall_clock::now();
    sent.window_start = floor_s(first) - std::chrono::ceil<std::chrono::seconds>(margin_);
    sent.window_end = ceil_s(last) + std::chrono::ceil<std::chrono::seconds>(margin_);
    if (!u.stopping() && !partner.empty())
      received += co_await xmpp::count_received(c, clock_type::now() + linger_, count_ - received);
    co_return sent;
  }

  // Pages through the window until the server says complete, `max_pages`
  // pages, an error, or a page that brings nothing (which would repeat).
  amoc::task<query_tally> query_archive(amoc::user& u, xmpp::client& c, const sent_batch& sent,
                                        std::int64_t n) const {
    query_tally t;
    const auto started = wall_clock::now();
    const auto prefix = "mam-" + std::to_string(u.iteration()) + "-" + std::to_string(n) + "-";
    std::string after;
    while (t.pages < max_pages_) {
      const st::mam_filter filter{
        .start = sent.window_start, .end = sent.window_end, .max = page_size_, .after = after};
      auto page = co_await xmpp::fetch_mam_page(c, prefix + std::to_string(t.pages + 1), filter,
                                                page_timeout_);
      if (!page) {
        t.stopped_because = page.error();
        break;
      }
      ++t.pages;
      m_.pages->add();
      m_.page->record(page->latency);
      count_page(t, *page, sent);
      t.complete = page->end.complete;
      if (t.complete)
        break;
      if (page->messages.empty()) {
        t.stopped_because = "an empty page without complete='true'";
        break;
      }
      after = page->end.page.last.empty() ? page->messages.back().archive_id : page->end.page.last;
    }
    if (!t.complete && t.stopped_because.empty())
      t.stopped_because = "max_pages (" + std::to_string(max_pages_) + ") pages";
    m_.query->record(std::chrono::duration_cast<amoc::duration>(wall_clock::now() - started));
    co_return t;
  }

  static void count_page(query_tally& t, const xmpp::mam_page& page, const sent_batch& sent) {
    for (const auto& item : page.messages) {
      ++t.messages;
      if (!t.archive_ids.insert(item.archive_id).second)
        ++t.duplicates;
      const auto it = sent.seq_of_body.find(std::string{item.message.body()});
      if (it != sent.seq_of_body.end())
        t.found.insert(it->second);
    }
  }

  void report(amoc::user& u, const sent_batch& sent, const query_tally& t, std::int64_t n) const {
    m_.queries->add();
    m_.messages->add(t.messages);
    m_.duplicates->add(t.duplicates);
    const auto window =
      "start=" + st::mam_datetime(sent.window_start) + " end=" + st::mam_datetime(sent.window_end);
    const auto missing = missing_of(sent, t);
    if (!t.complete) {
      // Whether the rest is in the archive is unknown: not counted as missing.
      m_.incomplete->add();
      u.warning() << "mam query " << n << " (" << window << ") ended after " << t.pages
                  << " pages without <fin complete='true'/>: " << t.stopped_because;
    } else {
      m_.found->add(t.found.size());
      m_.missing->add(missing.size());
      if (!missing.empty())
        u.warning() << "mam query " << n << " (" << window << "): " << missing.size() << " of "
                    << sent.seq_of_body.size()
                    << " messages sent are not in the archive: " << list(missing);
    }
    if (log_queries_)
      u.info() << "mam query " << n << ": " << window << " page_size=" << page_size_
               << " pages=" << t.pages << " messages=" << t.messages
               << " sent=" << sent.seq_of_body.size() << " found=" << t.found.size()
               << " missing=" << missing.size() << " duplicates=" << t.duplicates
               << " complete=" << (t.complete ? "true" : "false");
  }

  static std::vector<std::int64_t> missing_of(const sent_batch& sent, const query_tally& t) {
    std::vector<std::int64_t> out;
    for (const auto& [body, seq] : sent.seq_of_body)
      if (!t.found.contains(seq))
        out.push_back(seq);
    std::sort(out.begin(), out.end());
    return out;
  }

  // "#2 #5 #9", the first 20 and a count of the rest: a warning stays one line.
  static std::string list(const std::vector<std::int64_t>& seqs) {
    constexpr std::size_t shown = 20;
    std::string out;
    for (std::size_t i = 0; i < seqs.size() && i < shown; ++i)
      out += (i ? " #" : "#") + std::to_string(seqs[i]);
    if (seqs.size() > shown)
      out += " and " + std::to_string(seqs.size() - shown) + " more";
    return out;
  }

  amoc::duration interval_{};
  std::int64_t count_ = 0;
  amoc::duration linger_{};
  amoc::duration query_delay_{};
  std::int64_t query_count_ = 0;
  std::uint32_t page_size_ = 0;
  std::int64_t max_pages_ = 0;
  amoc::duration page_timeout_{};
  amoc::duration margin_{};
  bool log_queries_ = false;
  mam_metrics m_;
};

}  // namespace

AMOC_REGISTER_SCENARIO(
  xmpp_mam, "xmpp_mam",
  "Users chat in pairs, then page through their own message archive (XEP-0313 with RSM) and "
  "check that every message they sent is in it.",
  (xmpp::config_variables({
    {"message_interval", "time between two messages of a user", "200ms",
     amoc::config::type::duration, amoc::config::rules::positive()},
    {"message_count", "messages each user sends per iteration", "10", amoc::config::type::integer,
     amoc::config::rules::non_negative()},
    {"linger", "how long a user waits for its partner's last messages before querying", "5s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
    {"query_delay", "wait between the last message and the first query (archive write delay)", "1s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
    {"query_count", "archive queries per user per iteration", "1", amoc::config::type::integer,
     amoc::config::rules::non_negative()},
    {"page_size", "messages per page (RSM <max/>); servers may send fewer (ejabberd: 250)", "10",
     amoc::config::type::integer, amoc::config::rules::in_range(1, 500)},
    {"max_pages", "pages a query reads at most before it counts as incomplete", "100",
     amoc::config::type::integer, amoc::config::rules::in_range(1, 100000)},
    {"page_timeout", "how long a page may take, from the query to its <fin/>", "5s",
     amoc::config::type::duration, amoc::config::rules::positive()},
    {"time_margin", "widens the query's time window each side (clock skew to the server)", "1s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
    {"log_queries", "log one line per query (window, pages, messages, found, missing)", "false",
     amoc::config::type::boolean, std::nullopt},
  })));
