// What a load test must survive and count: timeouts, a server that
// disconnects a user, and stanzas larger than allowed.

#include "harness.hpp"

#include <thread>

#include "amoc/xmpp/stanzas.hpp"

using namespace amoc;
using namespace amoc::test;
using namespace std::chrono_literals;
namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;
namespace is = amoc::xmpp::is;

namespace {

std::atomic<int> ready{0};

class failures : public ::testing::Test {
protected:
  failures() {
    notes::get().clear();
    ready = 0;
  }
};

void note(const xmpp::error& e) {
  notes::get().add(std::string{to_string(e.phase())} + " " + e.condition());
}

// Waits until the test thread sees `count` notes (bounded).
bool wait_for_notes(std::size_t count) {
  for (int i = 0; i < 1000 && notes::get().all().size() < count; ++i)
    std::this_thread::sleep_for(10ms);
  return notes::get().all().size() >= count;
}

}  // namespace

TEST_F(failures, a_wait_that_times_out_is_a_counted_wait_failure) {
  xmpp_run run{1, [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await c.connect();
                 auto nothing = co_await c.receive(100ms, is::chat());
                 notes::get().add(nothing ? "got something" : "receive gave up");
                 try {
                   co_await c.wait_for_stanza(100ms, is::chat());
                 } catch (const xmpp::error& e) {
                   note(e);
                   throw;
                 }
               }};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.wait"), 1u);
  EXPECT_EQ(notes::get().all(), (std::vector<std::string>{"receive gave up", "wait timeout"}));
}

TEST_F(failures, a_user_the_server_disconnects_ends_with_a_counted_reason) {
  xmpp_run run{1,
               [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await c.connect();
                 co_await go_online(c);
                 notes::get().add("online");
                 try {
                   // Nothing answers this: only the disconnect ends the wait
                   // (ejabberd's kick also sends a message with the reason).
                   co_await c.wait_for_stanza(20s, is::iq_with_id("never-sent"));
                 } catch (const xmpp::error& e) {
                   note(e);
                   throw;
                 }
               },
               {{"xmpp_resource", "kickme"}}};
  ASSERT_TRUE(wait_for_notes(1));
  const int rc = on_ejabberd() ? server_ctl("kick_session user_1 localhost kickme bye")
                               : server_ctl("c2s close user_1@localhost");
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  // A stream error (ejabberd: <conflict/>) is a stream failure; a plain close
  // of the stream or the connection fails the wait the user was in.
  EXPECT_EQ(run.counter("xmpp.failures.stream") + run.counter("xmpp.failures.wait"), 1u);
  const auto all = notes::get().all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[1].starts_with("wait ") || all[1].starts_with("stream stream-error")) << all[1];
}

TEST_F(failures, a_stanza_above_the_maximum_ends_the_connection) {
  xmpp_run run{2, [](user& u) -> task<> {
                 auto opts = xmpp::options::from(u);
                 opts.max_stanza_bytes = 2000;
                 xmpp::client c{u, opts};
                 co_await c.connect();
                 co_await go_online(c);
                 if (u.id() == 2) {
                   ++ready;
                   try {
                     co_await c.wait_for_stanza(5s, is::chat());
                     notes::get().add("received it");
                   } catch (const xmpp::error& e) {
                     note(e);
                   }
                   co_return;
                 }
                 const bool partner_online = co_await wait_for_count(u, ready, 1, 10s);
                 if (!partner_online)
                   throw std::runtime_error("user 2 did not come online");
                 c.send(stanzas::chat(user_jid(2), std::string(5000, 'x')));
                 co_await c.stop();
               }};
  EXPECT_EQ(run.ended(exit::normal), 2u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"stream stanza-too-large"});
  EXPECT_EQ(run.counter("xmpp.failures.stream"), 1u);
}
