// Logging in against the real server: every SASL mechanism, STARTTLS, direct
// TLS, WebSocket, and the failures a load test must count per phase.

#include "harness.hpp"

#include "amoc/error.hpp"
#include "amoc/xmpp/error.hpp"

using namespace amoc;
using namespace amoc::test;
namespace xmpp = amoc::xmpp;

namespace {

task<> login_and_stop(user& u) {
  xmpp::client c{u, xmpp::options::from(u)};
  co_await c.connect();
  notes::get().add(std::string{c.jid().bare()} + (c.secure() ? " secure" : " plain"));
  co_await c.stop();
}

// Notes the phase and condition of an XMPP failure, then lets it end the user.
task<> login_noting_failure(user& u) {
  xmpp::client c{u, xmpp::options::from(u)};
  try {
    co_await c.connect();
  } catch (const xmpp::error& e) {
    notes::get().add(std::string{to_string(e.phase())} + " " + e.condition());
    throw;
  }
}

class login : public ::testing::Test {
protected:
  login() { notes::get().clear(); }
};

void expect_logged_in(xmpp_run& run, std::uint64_t users, const char* how) {
  EXPECT_EQ(run.ended(exit::normal), users);
  EXPECT_EQ(run.counter("xmpp.logins"), users);
  const auto all = notes::get().all();
  ASSERT_EQ(all.size(), users);
  for (const auto& n : all)
    EXPECT_TRUE(n.ends_with(how)) << n;
}

}  // namespace

TEST_F(login, with_each_sasl_mechanism) {
  for (const char* mechanism : {"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"}) {
    SCOPED_TRACE(mechanism);
    notes::get().clear();
    xmpp_run run{3, login_and_stop, {{"xmpp_sasl_mechanisms", {mechanism}}}};
    expect_logged_in(run, 3, " plain");
  }
}

TEST_F(login, with_starttls_required) {
  xmpp_run run{2,
               login_and_stop,
               {{"xmpp_port", 5224},
                {"xmpp_starttls", "required"},
                {"xmpp_sasl_mechanisms", {"SCRAM-SHA-256"}}}};
  expect_logged_in(run, 2, " secure");
  EXPECT_EQ(run.counter("xmpp.failures.tls"), 0u);
}

TEST_F(login, with_direct_tls) {
  xmpp_run run{2, login_and_stop, {{"xmpp_port", 5223}, {"xmpp_transport", "tls"}}};
  expect_logged_in(run, 2, " secure");
}

TEST_F(login, over_websocket) {
  xmpp_run run{2,
               login_and_stop,
               {{"xmpp_port", 5280},
                {"xmpp_transport", "websocket"},
                {"xmpp_websocket_path", websocket_path()}}};
  expect_logged_in(run, 2, " plain");
}

TEST_F(login, over_secure_websocket) {
  xmpp_run run{2,
               login_and_stop,
               {{"xmpp_port", 5443},
                {"xmpp_transport", "websocket_tls"},
                {"xmpp_websocket_path", websocket_path()}}};
  expect_logged_in(run, 2, " secure");
}

TEST_F(login, wrong_password_is_a_counted_sasl_failure) {
  xmpp_run run{1, login_noting_failure, {{"xmpp_password_prefix", "wrong_"}}};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.sasl"), 1u);
  EXPECT_EQ(run.counter("xmpp.login_failures"), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"sasl not-authorized"});
}

TEST_F(login, a_closed_port_is_a_counted_connect_failure) {
  xmpp_run run{1, login_noting_failure, {{"xmpp_port", 5299}}};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.connect"), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"connect connect-failed"});
}

TEST_F(login, starttls_off_where_the_server_requires_it_is_a_tls_failure) {
  xmpp_run run{1, login_noting_failure, {{"xmpp_port", 5224}, {"xmpp_starttls", "off"}}};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.tls"), 1u);
  EXPECT_EQ(run.counter("xmpp.login_failures"), 1u);
  EXPECT_EQ(notes::get().all(), std::vector<std::string>{"tls starttls-required-by-server"});
}

TEST_F(login, anonymous_when_there_is_no_username) {
  xmpp_run run{2, [](user& u) -> task<> {
                 auto opts = xmpp::options::from(u);
                 opts.domain = "anon.localhost";
                 opts.username.clear();
                 xmpp::client c{u, std::move(opts)};
                 co_await c.connect();
                 notes::get().add(std::string{c.jid().bare()} + " plain");
                 co_await c.stop();
               }};
  expect_logged_in(run, 2, " plain");
}

TEST_F(login, pipelined_with_each_sasl_mechanism) {
  for (const char* mechanism : {"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"}) {
    SCOPED_TRACE(mechanism);
    notes::get().clear();
    xmpp_run run{
      3, login_and_stop, {{"xmpp_pipelining", true}, {"xmpp_sasl_mechanisms", {mechanism}}}};
    expect_logged_in(run, 3, " plain");
    // The phases are still timed one by one.
    EXPECT_EQ(run.runtime().metrics().histogram("xmpp.login.bind").snapshot().count(), 3u);
  }
}

TEST_F(login, pipelined_after_starttls_and_over_websocket) {
  {
    xmpp_run run{2,
                 login_and_stop,
                 {{"xmpp_pipelining", true}, {"xmpp_port", 5224}, {"xmpp_starttls", "required"}}};
    expect_logged_in(run, 2, " secure");
  }
  notes::get().clear();
  xmpp_run run{2,
               login_and_stop,
               {{"xmpp_pipelining", true},
                {"xmpp_port", 5280},
                {"xmpp_transport", "websocket"},
                {"xmpp_websocket_path", websocket_path()}}};
  expect_logged_in(run, 2, " plain");
}

TEST_F(login, pipelined_with_a_mechanism_the_server_lacks_is_a_sasl_failure) {
  xmpp_run run{1,
               login_noting_failure,
               {{"xmpp_pipelining", true}, {"xmpp_sasl_mechanisms", {"SCRAM-SHA-512-NOPE"}}}};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.login_failures"), 1u);
}
