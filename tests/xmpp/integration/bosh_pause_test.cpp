// BOSH session pause (XEP-0124 §10) against the real server. ejabberd 23.01
// announces maxpause='120': a BOSH user pauses for 2 s while a TCP user sends
// it chats addressed to its full JID; after the resume the same session (same
// full JID, no new login) receives every chat, in order, and only after the
// pause (the server queued them). Prosody 0.12 announces no maxpause: the
// pause is refused with a clear error and the session goes on. The error
// cases: a pause on TCP, a pause of zero, a pause beyond maxpause. The
// pause runs over http:// and https:// (the pause request ejabberd leaves
// unanswered is dropped with its TLS connection).

#include "harness.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>

#include "amoc/xmpp/error.hpp"
#include "amoc/xmpp/stanzas.hpp"

using namespace amoc;
using namespace amoc::test;
using namespace std::chrono_literals;
namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;
namespace is = amoc::xmpp::is;

namespace {

constexpr int chats = 5;
std::atomic<int> online{0};
std::atomic<int> pausing{0};
std::atomic<int> done{0};

class bosh_pause : public ::testing::Test {
protected:
  bosh_pause() {
    notes::get().clear();
    online = 0;
    pausing = 0;
    done = 0;
  }
};

// "condition: message" of the pause's failure, or "none".
task<std::string> pause_refusal(xmpp::client& c, duration length) {
  try {
    co_await c.pause(length);
  } catch (const xmpp::error& e) {
    co_return e.condition() + ": " + e.what();
  }
  co_return "none";
}

std::int64_t ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t)
    .count();
}

// User 1 (BOSH) pauses 2 s; user 2 (TCP) sends it `chats` chats meanwhile.
task<> bosh_user(user& u, xmpp::client& c) {
  const bool peer_online = co_await wait_for_count(u, online, 2, 10s);
  if (!peer_online)
    throw std::runtime_error("the TCP user did not come online");
  const std::string jid_before{c.jid().full()};
  const auto started = std::chrono::steady_clock::now();
  ++pausing;
  if (!on_ejabberd()) {
    const auto refusal = co_await pause_refusal(c, 2s);
    notes::get().add("refused " + refusal);
  } else {
    co_await c.pause(2s);
    const auto resumed_at = std::chrono::system_clock::now();
    notes::get().add("paused ms " + std::to_string(ms_since(started)));
    std::string got;
    bool all_after = true;
    for (int i = 0; i < chats; ++i) {
      auto msg = co_await c.wait_for_stanza(5s, is::chat_from(user_jid(2)));
      got += std::string{msg.body()} + ";";
      all_after = all_after && msg.received_at() >= resumed_at;
    }
    notes::get().add("got " + got + (all_after ? " after the resume" : " DURING the pause"));
  }
  // The same session goes on: a round trip through it, under the same JID.
  (void)co_await c.send_iq_and_wait_for_result(stanzas::ping(), 5s);
  notes::get().add(std::string{c.jid().full() == jid_before ? "same jid " : "other jid "}
                   + std::string{c.jid().full()});
}

task<> tcp_user(user& u, xmpp::client& c) {
  const bool ready = co_await wait_for_count(u, pausing, 1, 10s);
  if (!ready)
    throw std::runtime_error("the BOSH user did not pause");
  // The pause request is answered within a round trip; the chats come after.
  co_await u.sleep(500ms);
  for (int i = 0; i < chats; ++i)
    c.send(stanzas::chat_with_timestamp(user_jid(1) + "/amoc", "chat " + std::to_string(i)));
  (void)co_await c.send_iq_and_wait_for_result(stanzas::ping(), 5s);  // they left
}

task<> pause_while_chatted(user& u) {
  xmpp::client c{u, user_2_on_tcp(u)};
  co_await c.connect();
  c.send(stanzas::presence());
  ++online;
  if (u.id() == 1)
    co_await bosh_user(u, c);
  else
    co_await tcp_user(u, c);
  ++done;
  (void)co_await wait_for_count(u, done, 2, 15s);
  co_await c.stop();
}

void expect_queued_chats_after_the_pause(bool tls) {
  xmpp_run run{2, pause_while_chatted, over_bosh(tls)};
  EXPECT_EQ(run.ended(exit::normal), 2u);
  EXPECT_EQ(run.counter("xmpp.logins"), 2u) << "no second login";
  EXPECT_EQ(run.counter("xmpp.connections"), 2u);
  EXPECT_EQ(run.counter("xmpp.messages_received"), unsigned{chats});
  const auto all = notes::get().all();
  const auto same_jid = "same jid " + user_jid(1) + "/amoc";
  if (on_ejabberd()) {
    ASSERT_EQ(all.size(), 3u);
    // "paused ms N": 2 s held, and the server answered the held requests at once.
    const auto held = std::stoi(all[0].substr(all[0].find_last_of(' ') + 1));
    EXPECT_GE(held, 2000) << all[0];
    EXPECT_LT(held, 3000) << all[0];
    EXPECT_EQ(all[1], "got chat 0;chat 1;chat 2;chat 3;chat 4; after the resume");
    EXPECT_EQ(all[2], same_jid);
  } else {
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].rfind("refused pause-unsupported: ", 0), 0u) << all[0];
    EXPECT_NE(all[0].find("announced no maxpause"), std::string::npos) << all[0];
    EXPECT_EQ(all[1], same_jid);
  }
}

}  // namespace

TEST_F(bosh_pause, a_paused_session_gets_what_was_queued_on_resume) {
  expect_queued_chats_after_the_pause(false);
}

TEST_F(bosh_pause, a_paused_session_over_https_gets_what_was_queued_on_resume) {
  expect_queued_chats_after_the_pause(true);
}

// Each refusal names the problem, is counted in phase send, and leaves the
// session as it was: a round trip through it works afterwards.
TEST_F(bosh_pause, refusals_name_the_problem_and_keep_the_session) {
  xmpp_run run{2,
               [](user& u) -> task<> {
                 xmpp::client c{u, user_2_on_tcp(u)};
                 co_await c.connect();
                 const std::string who = std::to_string(u.id()) + " ";
                 if (u.id() == 2) {
                   const auto on_tcp = co_await pause_refusal(c, 1s);
                   notes::get().add(who + on_tcp);
                 } else {
                   const auto zero = co_await pause_refusal(c, 0s);
                   notes::get().add(who + zero);
                   const auto too_long = co_await pause_refusal(c, 121s);
                   notes::get().add(who + too_long);
                 }
                 (void)co_await c.send_iq_and_wait_for_result(stanzas::ping(), 5s);
                 co_await c.stop();
               },
               over_bosh()};
  EXPECT_EQ(run.ended(exit::normal), 2u);
  EXPECT_EQ(run.counter("xmpp.failures.send"), 3u);
  auto all = notes::get().all();
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].rfind("1 bad-pause: ", 0), 0u) << all[0];
  EXPECT_NE(all[0].find("it must be positive"), std::string::npos) << all[0];
  if (on_ejabberd()) {
    EXPECT_EQ(all[1].rfind("1 pause-too-long: ", 0), 0u) << all[1];
    EXPECT_NE(all[1].find("a pause of 121000 ms is longer than the server's maxpause of 120 s"),
              std::string::npos)
      << all[1];
  } else {
    EXPECT_EQ(all[1].rfind("1 pause-unsupported: ", 0), 0u) << all[1];
    EXPECT_NE(all[1].find("announced no maxpause"), std::string::npos) << all[1];
  }
  EXPECT_EQ(all[2].rfind("2 pause-unsupported: ", 0), 0u) << all[2];
  EXPECT_NE(all[2].find("this client's transport is tcp, not bosh or bosh_tls"), std::string::npos)
    << all[2];
}
