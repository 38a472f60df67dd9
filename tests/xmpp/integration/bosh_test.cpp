// BOSH (XEP-0124, XEP-0206) against the real server: logging in over http://
// and https://, chat with a user on plain TCP both ways, and the session
// ended on stop (the server forgets it at once, not after its inactivity
// timeout).

#include "harness.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "amoc/xmpp/error.hpp"
#include "amoc/xmpp/stanzas.hpp"

using namespace amoc;
using namespace amoc::test;
using namespace std::chrono_literals;
namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;
namespace is = amoc::xmpp::is;

namespace {

std::atomic<int> online{0};
std::atomic<int> stopped{0};

class bosh : public ::testing::Test {
protected:
  bosh() {
    notes::get().clear();
    online = 0;
    stopped = 0;
  }
};

task<> login_and_stop(user& u) {
  xmpp::client c{u, xmpp::options::from(u)};
  co_await c.connect();
  // One round trip through the session after login: the window keeps working.
  (void)co_await c.send_iq_and_wait_for_result(stanzas::ping(), 5s);
  notes::get().add(std::string{c.jid().bare()} + (c.secure() ? " secure" : " plain"));
  co_await c.stop();
}

void expect_logged_in(xmpp_run& run, std::uint64_t users, const char* how) {
  EXPECT_EQ(run.ended(exit::normal), users);
  EXPECT_EQ(run.counter("xmpp.logins"), users);
  const auto all = notes::get().all();
  ASSERT_EQ(all.size(), users);
  for (const auto& n : all)
    EXPECT_TRUE(n.ends_with(how)) << n;
}

// User 1 on BOSH (over TLS when the run says `xmpp_transport` bosh_tls),
// user 2 on plain TCP: each sends the other a chat and waits for the other's.
task<> chat_across_transports(user& u) {
  xmpp::client c{u, user_2_on_tcp(u)};
  co_await c.connect();
  co_await go_online(c);
  ++online;
  const bool both = co_await wait_for_count(u, online, 2, 10s);
  if (!both)
    throw std::runtime_error("the other user did not come online");
  const auto peer = user_jid(u.id() == 1 ? 2 : 1);
  for (int i = 0; i < 3; ++i)
    c.send(stanzas::chat_with_timestamp(peer, "hello " + std::to_string(i) + " from "
                                                + std::to_string(u.id())));
  std::string got;
  for (int i = 0; i < 3; ++i) {
    auto msg = co_await c.wait_for_stanza(5s, is::chat_from(peer));
    got += std::string{msg.body()} + ";";
  }
  notes::get().add(std::to_string(u.id()) + " got " + got);
  ++stopped;
  (void)co_await wait_for_count(u, stopped, 2, 10s);
  co_await c.stop();
}

// Established TCP connections to `port` on 127.0.0.1 in this network
// namespace (the client ends of the users' HTTP connections), from
// /proc/net/tcp: remote address and port in hex, state 01 = established.
int established_to(std::uint16_t port) {
  std::ifstream table{"/proc/self/net/tcp"};
  std::string line;
  std::getline(table, line);  // the header
  char wanted[16];
  std::snprintf(wanted, sizeof wanted, "0100007F:%04X", port);
  int count = 0;
  while (std::getline(table, line)) {
    std::istringstream fields{line};
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    count += remote == wanted && state == "01";
  }
  return count;
}

void expect_chat_delivered(xmpp_run& run) {
  EXPECT_EQ(run.ended(exit::normal), 2u);
  auto all = notes::get().all();
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"1 got hello 0 from 2;hello 1 from 2;hello 2 from 2;",
                                           "2 got hello 0 from 1;hello 1 from 1;hello 2 from 1;"}));
  EXPECT_EQ(run.counter("xmpp.messages_sent"), 6u);
  EXPECT_EQ(run.counter("xmpp.messages_received"), 6u);
  EXPECT_EQ(run.runtime().metrics().histogram("xmpp.ttd").snapshot().count(), 6u);
}

}  // namespace

TEST_F(bosh, login_with_each_sasl_mechanism) {
  for (const char* mechanism : {"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"}) {
    SCOPED_TRACE(mechanism);
    notes::get().clear();
    xmpp_run run{3, login_and_stop, over_bosh(false, {{"xmpp_sasl_mechanisms", {mechanism}}})};
    expect_logged_in(run, 3, " plain");
    EXPECT_EQ(run.counter("xmpp.connections"), 3u);
  }
}

TEST_F(bosh, login_over_https) {
  xmpp_run run{3, login_and_stop, over_bosh(true)};
  expect_logged_in(run, 3, " secure");
}

TEST_F(bosh, pipelined_login) {
  xmpp_run run{2, login_and_stop, over_bosh(false, {{"xmpp_pipelining", true}})};
  expect_logged_in(run, 2, " plain");
}

TEST_F(bosh, chat_with_a_tcp_user) {
  xmpp_run run{2, chat_across_transports, over_bosh(false)};
  expect_chat_delivered(run);
}

TEST_F(bosh, chat_with_a_tcp_user_over_https) {
  xmpp_run run{2, chat_across_transports, over_bosh(true)};
  expect_chat_delivered(run);
}

// Without the terminate the server would keep the session for its inactivity
// timeout (30 s on ejabberd, 60 s on Prosody) and queue what comes for it. After
// stop, a ping to the BOSH user's full JID is answered with an error by the
// server itself: the session is gone.
TEST_F(bosh, stop_terminates_the_session_on_the_server) {
  xmpp_run bosh_user{1, login_and_stop, over_bosh(false)};
  ASSERT_EQ(bosh_user.ended(exit::normal), 1u);
  notes::get().clear();
  xmpp_run prober{1,
                  [](user& u) -> task<> {
                    xmpp::client c{u, xmpp::options::from(u)};
                    co_await c.connect();
                    auto reply =
                      co_await c.send_iq_and_wait(stanzas::ping(user_jid(1) + "/amoc"), 3s);
                    notes::get().add(std::string{reply.type()});
                    co_await c.stop();
                  },
                  {},
                  2};
  EXPECT_EQ(prober.ended(exit::normal), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"error"});
}

TEST_F(bosh, a_wrong_path_is_an_http_error_in_phase_stream) {
  xmpp_run run{1,
               [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 try {
                   co_await c.connect();
                 } catch (const xmpp::error& e) {
                   notes::get().add(std::string{to_string(e.phase())} + " " + e.condition());
                   throw;
                 }
               },
               over_bosh(false, {{"xmpp_bosh_path", "/no-such-path"}})};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.stream"), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"stream http-error"});
}

// A forced stop destroys the users' coroutines and with them their clients:
// every HTTP connection of their sessions closes at once (no terminate).
TEST_F(bosh, a_forced_stop_closes_the_http_connections) {
  const int before = established_to(5280);
  xmpp_run run{3,
               [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await c.connect();
                 ++online;
                 co_await u.sleep(60s);
               },
               over_bosh(false)};
  for (int i = 0; i < 500 && online.load() < 3; ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(online.load(), 3);
  const int open = established_to(5280) - before;
  EXPECT_GE(open, 3) << "each session holds a request at the server";
  ASSERT_FALSE(run.runtime().stop(true));
  EXPECT_EQ(run.ended(exit::forced_stop), 3u);
  int left = open;
  for (int i = 0; i < 100 && (left = established_to(5280) - before) > 0; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(left, 0) << "of " << open << " connections";
}

// https:// verifies the certificate as wss:// and direct TLS do: the test
// servers' certificate is self-signed, so verification fails in phase tls.
TEST_F(bosh, https_with_verification_refuses_a_self_signed_certificate) {
  xmpp_run run{1,
               [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 try {
                   co_await c.connect();
                 } catch (const xmpp::error& e) {
                   notes::get().add(std::string{to_string(e.phase())} + " " + e.condition());
                   throw;
                 }
               },
               over_bosh(true, {{"xmpp_verify_tls", true}})};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.tls"), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"tls handshake-failed"});
}
