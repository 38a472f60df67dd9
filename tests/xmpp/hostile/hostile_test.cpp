// The XMPP client against a hostile server (hostile_server.py, a real process
// on 127.0.0.1): real users in an amoc runtime log in, then the server sends
// malformed XML, floods, never answers, or asks for absurd work. Each case
// checks the phase and message the user ends with, how soon, and the memory
// the process needed.

#include <gtest/gtest.h>

#include <atomic>
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

// When the (last) user caught its error, seconds since the epoch.
std::atomic<double> caught_at{0};

class hostile : public ::testing::Test {
protected:
  hostile() {
    notes::get().clear();
    caught_at = 0;
  }
};

// Runs `body`, noting "<phase> <condition>: <message>" of the xmpp::error it throws.
template <class Body>
task<> noting_the_error(Body body) {
  try {
    co_await body();
    notes::get().add("no error");
  } catch (const xmpp::error& e) {
    caught_at = now_s();
    notes::get().add(std::string{to_string(e.phase())} + " " + e.condition() + ": " + e.what());
    throw;
  }
}

nlohmann::json on(const hostile_server& server, nlohmann::json more = nlohmann::json::object()) {
  more["xmpp_port"] = server.port();
  return more;
}

std::string only_note() {
  const auto all = notes::get().all();
  return all.size() == 1 ? all[0] : "notes: " + std::to_string(all.size());
}

// A user that logs in and waits up to 10 s for a stanza that never comes.
task<> wait_for_a_chat(user& u) {
  xmpp::client c{u, xmpp::options::from(u)};
  co_await noting_the_error([&]() -> task<> {
    co_await c.connect();
    (void)co_await c.wait_for_stanza(10s, is::chat());
  });
}

}  // namespace

TEST_F(hostile, malformed_xml_wakes_a_waiting_user_at_once_in_phase_stream) {
  hostile_server server{"malformed"};
  xmpp_run run{1, wait_for_a_chat, on(server)};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.stream"), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.wait"), 0u);
  const auto note = only_note();
  EXPECT_TRUE(note.starts_with("stream malformed-xml: xmpp stream: malformed-xml (the end tag "
                               "</message> does not match <body>"))
    << note;
  const auto sent = server.wait_for("sent-misbehaviour", 1s);
  ASSERT_TRUE(sent);
  const double detection_ms = (caught_at - hostile_server::time_of(*sent)) * 1000;
  std::printf("malformed XML: the waiting user had the error %.1f ms after it was sent\n",
              detection_ms);
  EXPECT_LT(detection_ms, 500);  // "at once": the wait itself would last 10 s
}

TEST_F(hostile, malformed_xml_is_counted_and_closed_while_the_user_sleeps) {
  hostile_server server{"malformed"};
  xmpp_run run{1,
               [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await c.connect();
                 co_await u.sleep(3s);  // does not look at the connection meanwhile
                 co_await c.stop();
               },
               on(server)};
  const auto sent = server.wait_for("sent-misbehaviour", 5s);
  const auto closed = server.wait_for("client-closed", 2s);
  ASSERT_TRUE(sent && closed);
  const double close_ms =
    (hostile_server::time_of(*closed) - hostile_server::time_of(*sent)) * 1000;
  EXPECT_EQ(run.counter("xmpp.failures.stream"), 1u) << "counted before the user wakes";
  std::printf("malformed XML: the connection was closed %.1f ms after it was sent\n", close_ms);
  EXPECT_LT(close_ms, 500);
  // stop() throws the failure the user was not told about, as a wait would have.
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.stream"), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.close"), 0u);
}

TEST_F(hostile, a_connection_closed_mid_stanza_wakes_the_waiting_user_at_once) {
  hostile_server server{"close-mid-stanza"};
  xmpp_run run{1, wait_for_a_chat, on(server)};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.wait"), 1u);
  EXPECT_TRUE(only_note().starts_with("wait connection-closed")) << only_note();
  EXPECT_NE(only_note().find("in the middle of a stanza, after 82 bytes of it"), std::string::npos)
    << only_note();
  const auto sent = server.wait_for("sent-misbehaviour", 1s);
  ASSERT_TRUE(sent);
  EXPECT_LT(caught_at - hostile_server::time_of(*sent), 0.5);
}

TEST_F(hostile, a_server_that_never_answers_sasl_fails_after_the_step_timeout) {
  hostile_server server{"silent-sasl"};
  const auto started = now_s();
  xmpp_run run{1, wait_for_a_chat, on(server, {{"xmpp_step_timeout", "500ms"}})};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.sasl"), 1u);
  EXPECT_EQ(run.counter("xmpp.login_failures"), 1u);
  EXPECT_TRUE(only_note().starts_with("sasl timeout")) << only_note();
  EXPECT_GE(caught_at - started, 0.5);
  EXPECT_LT(caught_at - started, 3.0);
}

TEST_F(hostile, a_server_that_never_closes_its_stream_fails_stop_after_its_timeout) {
  hostile_server server{"never-close"};
  xmpp_run run{1,
               [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await noting_the_error([&]() -> task<> {
                   co_await c.connect();
                   co_await c.stop(300ms);
                 });
               },
               on(server)};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.close"), 1u);
  EXPECT_TRUE(only_note().starts_with("close timeout")) << only_note();
}

TEST_F(hostile, endless_stream_features_end_at_the_stanza_maximum) {
  hostile_server server{"endless-features"};
  xmpp_run run{1, wait_for_a_chat, on(server)};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.stream"), 1u);
  EXPECT_TRUE(only_note().starts_with("stream stanza-too-large")) << only_note();
}

TEST_F(hostile, features_trickled_byte_by_byte_do_not_stretch_the_step_timeout) {
  hostile_server server{"trickle-features"};
  const auto started = now_s();
  xmpp_run run{1, wait_for_a_chat, on(server, {{"xmpp_step_timeout", "500ms"}})};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.stream"), 1u);
  EXPECT_TRUE(only_note().starts_with("stream timeout")) << only_note();
  EXPECT_LT(caught_at - started, 3.0);
}

TEST_F(hostile, a_scram_iteration_count_above_the_cap_is_refused_without_computing_it) {
  hostile_server server{"scram-iterations"};
  const auto started = now_s();
  xmpp_run run{1, wait_for_a_chat,
               on(server, {{"xmpp_sasl_mechanisms", nlohmann::json::array({"SCRAM-SHA-256"})}})};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.sasl"), 1u);
  const auto note = only_note();
  EXPECT_TRUE(note.starts_with("sasl bad-challenge")) << note;
  EXPECT_NE(note.find("iteration count 1000000000 above the limit of 1000000"), std::string::npos)
    << note;
  EXPECT_LT(caught_at - started, 2.0);  // 10^9 rounds of PBKDF2 would take minutes
}

TEST_F(hostile, a_scram_challenge_that_is_not_base64_is_refused) {
  hostile_server server{"scram-garbage"};
  xmpp_run run{1, wait_for_a_chat,
               on(server, {{"xmpp_sasl_mechanisms", nlohmann::json::array({"SCRAM-SHA-256"})}})};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.sasl"), 1u);
  EXPECT_TRUE(only_note().starts_with("sasl bad-base64")) << only_note();
}

TEST_F(hostile, the_unread_limit_is_the_xmpp_max_unread_bytes_setting) {
  hostile_server server{"flood", {"--stanza-bytes", "300"}};
  xmpp_run run{1,
               [](user& u) -> task<> {
                 xmpp::client c{u, xmpp::options::from(u)};
                 co_await noting_the_error([&]() -> task<> {
                   co_await c.connect();
                   // Refuses every stanza the server sends: they stay unread.
                   (void)co_await c.wait_for_stanza(10s, is::iq_with_id("never-sent"));
                 });
               },
               on(server, {{"xmpp_max_unread_bytes", 65536}})};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.receive"), 1u);
  const auto note = only_note();
  EXPECT_TRUE(note.starts_with("receive unread-overflow: xmpp receive: unread-overflow (more "
                               "than 65536 bytes of stanzas received and not read"))
    << note;
  const auto sent = server.wait_for("sent-misbehaviour", 1s);
  ASSERT_TRUE(sent);
  EXPECT_LT(caught_at - hostile_server::time_of(*sent), 1.0);  // not the 10 s of the wait
}

// ---- BOSH (XEP-0124): bad HTTP answers fail the login in phase stream ---------

namespace {

// A BOSH user whose login fails: notes the error (see noting_the_error).
task<> bosh_login(user& u) {
  xmpp::client c{u, xmpp::options::from(u)};
  co_await noting_the_error([&]() -> task<> { co_await c.connect(); });
}

nlohmann::json over_bosh(const hostile_server& server) {
  return on(server, {{"xmpp_transport", "bosh"}, {"xmpp_bosh_path", "/bosh"}});
}

void expect_bosh_failure(const char* mode, const std::string& expected) {
  hostile_server server{mode};
  xmpp_run run{1, bosh_login, over_bosh(server)};
  EXPECT_EQ(run.ended(exit::scenario_error), 1u);
  EXPECT_EQ(run.counter("xmpp.failures.stream"), 1u);
  EXPECT_EQ(run.counter("xmpp.login_failures"), 1u);
  EXPECT_TRUE(only_note().starts_with(expected)) << only_note();
  // The client closed its HTTP connection: the server saw it go.
  EXPECT_TRUE(server.wait_for("client-closed", 2s));
}

}  // namespace

TEST_F(hostile, bosh_http_404_is_an_http_error_in_phase_stream) {
  expect_bosh_failure("bosh-404", "stream http-error: xmpp stream: http-error (HTTP 404 Not Found "
                                  "from POST http://127.0.0.1:");
}

TEST_F(hostile, bosh_garbage_body_is_a_bad_body_in_phase_stream) {
  expect_bosh_failure("bosh-garbage", "stream bad-bosh-body: xmpp stream: bad-bosh-body (not XML");
}

TEST_F(hostile, bosh_html_page_is_a_bad_body_in_phase_stream) {
  expect_bosh_failure("bosh-html", "stream bad-bosh-body: xmpp stream: bad-bosh-body (<html "
                                   "xmlns=''> where a BOSH <body");
}

TEST_F(hostile, bosh_terminate_with_a_condition_names_it) {
  expect_bosh_failure("bosh-terminate", "stream bosh-terminate: host-unknown: xmpp stream: "
                                        "bosh-terminate: host-unknown (the server ended the BOSH "
                                        "session with condition 'host-unknown')");
}
