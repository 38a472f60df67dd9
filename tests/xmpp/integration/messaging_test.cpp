// Stanzas between real users through the real server: chat verified on the
// receiving side, iq round trips, roster, MUC, MAM, and stream management.

#include "harness.hpp"

#include "amoc/xmpp/stanzas.hpp"
#include "amoc/xmpp/steps.hpp"

using namespace amoc;
using namespace amoc::test;
using namespace std::chrono_literals;
namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;
namespace is = amoc::xmpp::is;

namespace {

std::atomic<int> online{0};

class messaging : public ::testing::Test {
protected:
  messaging() {
    notes::get().clear();
    online = 0;
  }
};

// Logs in, says it is available and waits for the other user to be online.
task<> connect_both_online(user& u, xmpp::client& c) {
  co_await c.connect();
  co_await go_online(c);
  ++online;
  const bool both = co_await wait_for_count(u, online, 2, 10s);
  if (!both)
    throw std::runtime_error("the other user did not come online");
}

std::uint64_t partner(const user& u) { return u.id() == 1 ? 2 : 1; }

task<> chat_back_and_forth(user& u) {
  xmpp::client c{u, xmpp::options::from(u)};
  co_await connect_both_online(u, c);
  c.send(stanzas::chat_with_timestamp(user_jid(partner(u)), "hello " + std::to_string(u.id())));
  auto msg = co_await c.wait_for_stanza(5s, is::chat_from(user_jid(partner(u))));
  notes::get().add(std::to_string(u.id()) + " got '" + std::string{msg.body()} + "'");
  co_await c.stop();
}

}  // namespace

TEST_F(messaging, chat_arrives_on_the_other_side_with_its_delivery_time) {
  xmpp_run run{2, chat_back_and_forth};
  EXPECT_EQ(run.ended(exit::normal), 2u);
  auto all = notes::get().all();
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"1 got 'hello 2'", "2 got 'hello 1'"}));
  EXPECT_EQ(run.counter("xmpp.messages_sent"), 2u);
  EXPECT_EQ(run.counter("xmpp.messages_received"), 2u);
  EXPECT_EQ(run.runtime().metrics().histogram("xmpp.ttd").snapshot().count(), 2u);
}

TEST_F(messaging, chat_over_websocket) {
  xmpp_run run{2,
               chat_back_and_forth,
               {{"xmpp_port", 5280},
                {"xmpp_transport", "websocket"},
                {"xmpp_websocket_path", websocket_path()}}};
  EXPECT_EQ(run.ended(exit::normal), 2u);
  EXPECT_EQ(notes::get().all().size(), 2u);
}

TEST_F(messaging, ping_and_disco_round_trips) {
  xmpp_run run{1, [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await c.connect();
                 auto pong = co_await c.send_iq_and_wait_for_result(stanzas::ping(), 5s);
                 auto info = co_await c.send_iq_and_wait_for_result(
                   stanzas::disco_info(c.settings().domain), 5s);
                 const bool has_ping =
                   info.child("query").find_child_by_attribute("feature", "var", "urn:xmpp:ping");
                 notes::get().add(std::string{pong.type()} + (has_ping ? " ping" : " no-ping"));
                 co_await c.stop();
               }};
  EXPECT_EQ(run.ended(exit::normal), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"result ping"});
}

TEST_F(messaging, roster_add_get_remove) {
  xmpp_run run{
    1, [](user& u) -> task<> {
      xmpp::client c{u, xmpp::options::from(u)};
      co_await c.connect();
      const auto contact = user_jid(42);
      co_await c.send_iq_and_wait_for_result(stanzas::roster_add(contact, "Forty-two"), 5s);
      auto roster = co_await c.send_iq_and_wait_for_result(stanzas::roster_get(), 5s);
      const bool listed =
        roster.child("query").find_child_by_attribute("item", "jid", contact.c_str());
      co_await c.send_iq_and_wait_for_result(stanzas::roster_remove(contact), 5s);
      auto after = co_await c.send_iq_and_wait_for_result(stanzas::roster_get(), 5s);
      const bool gone =
        !after.child("query").find_child_by_attribute("item", "jid", contact.c_str());
      notes::get().add(std::string{listed ? "listed" : "missing"} + (gone ? " gone" : " kept"));
      co_await c.stop();
    }};
  EXPECT_EQ(run.ended(exit::normal), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"listed gone"});
}

TEST_F(messaging, muc_join_and_groupchat) {
  xmpp_run run{2, [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await c.connect();
                 const std::string room = "amoc-test@muc.localhost";
                 const auto nick = "nick" + std::to_string(u.id());
                 // User 1 creates the room; a new room stays locked until its
                 // owner accepts the default configuration (XEP-0045 §10.1.2).
                 if (u.id() == 2) {
                   const bool created = co_await wait_for_count(u, online, 1, 10s);
                   if (!created)
                     throw std::runtime_error("user 1 did not create the room");
                 }
                 c.send(stanzas::muc_join(room, nick));
                 co_await c.wait_for_stanza(5s, is::presence_from(room + "/" + nick));
                 if (u.id() == 1)
                   co_await c.send_iq_and_wait_for_result(
                     stanzas::iq("set",
                                 "<query xmlns='http://jabber.org/protocol/muc#owner'>"
                                 "<x xmlns='jabber:x:data' type='submit'/></query>",
                                 room),
                     5s);
                 ++online;
                 const bool both_joined = co_await wait_for_count(u, online, 2, 10s);
                 if (!both_joined)
                   throw std::runtime_error("the other user did not join");
                 if (u.id() == 1)
                   c.send(stanzas::groupchat(room, "hello room"));
                 auto msg = co_await c.wait_for_stanza(5s, is::groupchat(room));
                 notes::get().add(std::string{msg.body()});
                 co_await c.stop();
               }};
  EXPECT_EQ(run.ended(exit::normal), 2u);
  EXPECT_EQ(notes::get().all(), (std::vector<std::string>{"hello room", "hello room"}));
}

TEST_F(messaging, mam_returns_archived_messages) {
  if (!on_ejabberd())
    GTEST_SKIP() << "MAM is tested on ejabberd";
  xmpp_run run{1, [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await c.connect();
                 const auto peer = user_jid(77);
                 for (int i = 0; i < 3; ++i)
                   c.send(stanzas::chat(peer, "archived " + std::to_string(i)));
                 // The archive is written asynchronously: an iq round trip later it is there.
                 co_await c.send_iq_and_wait_for_result(stanzas::ping(), 5s);
                 auto query = stanzas::mam_query("q1", peer, 10);
                 c.send(query);
                 int results = 0;
                 while (co_await c.receive(2s, is::mam_result("q1")))
                   ++results;
                 auto fin = co_await c.wait_for_stanza(5s, is::iq_with_id(query.id()));
                 notes::get().add(std::to_string(results) + " " + std::string{fin.type()});
                 co_await c.stop();
               }};
  EXPECT_EQ(run.ended(exit::normal), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"3 result"});
}

TEST_F(messaging, stream_management_acks_what_was_sent) {
  xmpp_run run{1,
               [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await c.connect();
                 for (int i = 0; i < 5; ++i)
                   c.send(stanzas::chat(user_jid(u.id()), "to myself"));
                 const bool all_acked = co_await c.request_ack(5s);
                 notes::get().add(all_acked
                                    ? "acked " + std::to_string(c.stream_management().outbound)
                                    : "not acked");
                 co_await c.stop();
               },
               {{"xmpp_stream_management", true}}};
  EXPECT_EQ(run.ended(exit::normal), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"acked 5"});
}

TEST_F(messaging, stream_resumption_after_a_lost_connection) {
  xmpp_run run{1,
               [](user& u) -> task<> {
                 auto opts = xmpp::options::from(u);
                 xmpp::sm_state state;
                 {
                   xmpp::client first{u, opts};
                   co_await first.connect();
                   first.send(stanzas::presence());
                   (void)co_await first.request_ack(5s);
                   state = first.stream_management();
                   first.kill();  // the TCP connection drops, the session waits
                 }
                 xmpp::client second{u, opts};
                 co_await second.connect_with(xmpp::steps::start_stream, xmpp::steps::authenticate,
                                              xmpp::steps::resume(state));
                 notes::get().add(state.id.empty() ? "no id" : "resumed");
                 // The server's h in <resumed/>: it handled the one presence sent.
                 notes::get().add("outbound "
                                  + std::to_string(second.stream_management().outbound));
                 co_await second.stop();
               },
               {{"xmpp_stream_management", true}, {"xmpp_stream_resumption", true}}};
  EXPECT_EQ(run.ended(exit::normal), 1u);
  EXPECT_EQ(notes::get().all(), (std::vector<std::string>{"resumed", "outbound 1"}));
}

TEST_F(messaging, account_registration_and_removal) {
  xmpp_run run{1,
               [](user& u) -> task<> {
                 const auto opts = xmpp::options::from(u);
                 {
                   xmpp::client c{u, opts};
                   co_await c.connect_with(xmpp::steps::start_stream, xmpp::steps::register_account,
                                           xmpp::steps::authenticate, xmpp::steps::bind);
                   notes::get().add("registered " + c.jid().full());
                   co_await xmpp::steps::remove_account(c);
                   c.kill();
                 }
                 xmpp::client again{u, opts};
                 try {
                   co_await again.connect();
                   notes::get().add("still there");
                 } catch (const xmpp::error& e) {
                   notes::get().add(std::string{to_string(e.phase())} + " " + e.condition());
                 }
               },
               {},
               5000 + static_cast<std::uint64_t>(::getpid() % 1000)};
  EXPECT_EQ(run.ended(exit::normal), 1u);
  const auto all = notes::get().all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].starts_with("registered user_")) << all[0];
  EXPECT_EQ(all[1], "sasl not-authorized");
}
