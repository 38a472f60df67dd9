// What a hostile server can make the client hold: floods to users that never
// read (or read selectively), a stanza without end, a tag that never closes,
// many tiny stanzas. Each case measures this process's peak RSS (VmHWM,
// reset before the run) and checks it against what the limits allow.

#include <gtest/gtest.h>

#include <cstdio>

#include "../integration/harness.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "hostile_server.hpp"

using namespace amoc;
using namespace amoc::test;
using namespace std::chrono_literals;
namespace xmpp = amoc::xmpp;
namespace is = amoc::xmpp::is;

namespace {

constexpr std::size_t mib = 1 << 20;

class hostile_memory : public ::testing::Test {
protected:
  hostile_memory() { notes::get().clear(); }
};

nlohmann::json on(const hostile_server& server) { return {{"xmpp_port", server.port()}}; }

void note(const xmpp::error& e) {
  notes::get().add(std::string{to_string(e.phase())} + " " + e.condition());
}

// Logs in, then does not read for 3 s (then stops).
task<> never_read(user& u) {
  xmpp::client c{u, xmpp::options::from(u)};
  try {
    co_await c.connect();
    co_await u.sleep(3s);
    co_await c.stop();
    notes::get().add("no error");
  } catch (const xmpp::error& e) {
    note(e);
  }
}

// Logs in, then waits up to 20 s for an iq that never comes: everything
// else the server sends is refused by the predicate and stays queued.
task<> wait_selectively(user& u) {
  xmpp::client c{u, xmpp::options::from(u)};
  try {
    co_await c.connect();
    (void)co_await c.wait_for_stanza(20s, is::iq_with_id("never-sent"));
  } catch (const xmpp::error& e) {
    note(e);
  }
}

// Checks a peak RSS growth against what the limits allow (not under ASan:
// its quarantine keeps freed memory, its shadow memory adds more).
void expect_below(double growth_mib, double bound_mib) {
#ifdef AMOC_SANITIZED
  (void)growth_mib;
  (void)bound_mib;
#else
  EXPECT_LT(growth_mib, bound_mib);
#endif
}

// Every note is `expected`, one per user.
void expect_notes(std::size_t users, const std::string& expected) {
  const auto all = notes::get().all();
  EXPECT_EQ(all.size(), users);
  for (const auto& n : all)
    EXPECT_EQ(n, expected);
}

// Peak RSS growth in MiB while `users` users of `body` run against `server`.
double peak_growth_mib(hostile_server& server, std::uint64_t users, user_body body) {
  reset_peak_rss();
  const auto baseline = peak_rss_kib();
  {
    xmpp_run run{users, body, on(server)};
    (void)run.wait(60s);
  }
  const auto peak = peak_rss_kib();
  return static_cast<double>(peak - std::min(peak, baseline)) / 1024;
}

}  // namespace

TEST_F(hostile_memory, thirty_flooded_users_that_never_read_hold_at_most_the_unread_cap) {
  // 100 MB of 64 KB chat stanzas per connection, as fast as the socket takes them.
  hostile_server server{"flood"};
  const auto growth = peak_growth_mib(server, 30, never_read);
  std::printf("30 users flooded (64 KB stanzas), never reading: peak RSS +%.1f MiB\n", growth);
  expect_notes(30, "receive unread-overflow");
  // Per connection: 1 MiB of unread stanzas, a partial stanza in the framer
  // and a 16 KB read buffer per thread; the rest is the runtime's.
  expect_below(growth, 30 * 3.0);
}

TEST_F(hostile_memory, a_flood_of_tiny_stanzas_keeps_the_newest_thousand) {
  // 40-byte stanzas: the count limit (1,000 unread) drops the oldest before
  // the byte limit is reached; the connection lives and costs little.
  hostile_server server{"flood", {"--stanza-bytes", "40", "--flood-bytes", "2000000"}};
  const auto growth = peak_growth_mib(server, 30, never_read);
  std::printf("30 users flooded (40-byte stanzas), never reading: peak RSS +%.1f MiB\n", growth);
  expect_notes(30, "no error");
  expect_below(growth, 30 * 1.0);
}

TEST_F(hostile_memory, a_user_waiting_selectively_is_woken_by_the_overflow) {
  hostile_server server{"flood", {"--stanza-bytes", "300"}};
  const auto started = now_s();
  const auto growth = peak_growth_mib(server, 1, wait_selectively);
  const auto took = now_s() - started;
  std::printf("1 user waiting selectively, flooded (300-byte stanzas): peak RSS +%.1f MiB, "
              "ended after %.2f s\n",
              growth, took);
  expect_notes(1, "receive unread-overflow");
  EXPECT_LT(took, 5.0);  // its wait would last 20 s
  expect_below(growth, 8.0);
}

TEST_F(hostile_memory, a_stanza_without_end_is_cut_at_the_stanza_maximum) {
  hostile_server server{"unclosed"};
  const auto growth = peak_growth_mib(server, 1, wait_selectively);
  std::printf("a stanza without end: peak RSS +%.1f MiB\n", growth);
  expect_notes(1, "stream stanza-too-large");
  // The framer's buffer grows by doubling to 2 MiB for a 1 MiB maximum.
  expect_below(growth, 12.0);
}

TEST_F(hostile_memory, a_tag_that_never_closes_is_cut_at_the_stanza_maximum) {
  hostile_server server{"deep"};
  const auto growth = peak_growth_mib(server, 1, wait_selectively);
  std::printf("elements opened without end: peak RSS +%.1f MiB\n", growth);
  expect_notes(1, "stream stanza-too-large");
  // Beside the buffer, 4 bytes per open element ("<a>": 3 bytes), doubling too.
  expect_below(growth, 12.0);
}
