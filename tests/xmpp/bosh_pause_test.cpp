// BOSH session pause (XEP-0124 §10) without the network: `maxpause` read from
// the session creation answers captured from ejabberd 23.01 (announces 120 s)
// and Prosody 0.12.3 (announces none: it does not support pausing), the pause
// request's body, and the window holding every request until the resume.

#include "bosh_body.hpp"
#include "bosh_window.hpp"

#include <gtest/gtest.h>

#include "amoc/xmpp/stanza.hpp"

using namespace amoc::xmpp;
using namespace amoc::xmpp::detail::bosh;

namespace {

constexpr std::size_t max_element = 1 << 20;

// Captured from ejabberd 23.01 (mod_bosh) with curl, session creation.
constexpr std::string_view ejabberd_created =
  "<body xmpp:version='1.0' authid='3515729959591461388' "
  "xmlns='http://jabber.org/protocol/httpbind' sid='9da69811a3d2a43bb4e663b8798ee1b441c9b9e8' "
  "wait='60' ver='1.11' polling='2' inactivity='30' hold='1' xmpp:restartlogic='true' "
  "requests='2' secure='true' maxpause='120' xmlns:xmpp='urn:xmpp:xbosh' "
  "xmlns:stream='http://etherx.jabber.org/streams' from='localhost'><stream:features><mechanisms "
  "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"
  "</stream:features></body>";

// Captured from Prosody 0.12.3 (mod_bosh) with curl, session creation: no maxpause.
constexpr std::string_view prosody_created =
  "<body xmlns='http://jabber.org/protocol/httpbind' wait='60' hold='1' "
  "xmlns:stream='http://etherx.jabber.org/streams' sid='01b8aab6-1ca3-4a6e-af13-ba12bb84f312' "
  "requests='2' polling='5' from='localhost' secure='true' "
  "authid='01b8aab6-1ca3-4a6e-af13-ba12bb84f312' ver='1.6' inactivity='60' "
  "xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'><stream:features xmlns='jabber:client'>"
  "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
  "</mechanisms></stream:features></body>";

response parsed(std::string_view text) {
  std::string why;
  auto r = parse_response(text, max_element, why);
  EXPECT_TRUE(r) << why;
  return r.value_or(response{});
}

// A window whose session was created by `creation`, with one poll held.
window held_window(std::string_view creation) {
  window w{"localhost", 100, 1, 60};
  w.open_stream();
  auto create = w.next();
  EXPECT_TRUE(create);
  w.created(parsed(creation));
  w.answered(create->rid, std::string{creation});
  EXPECT_TRUE(w.next_answer());
  auto poll = w.next();
  EXPECT_TRUE(poll && poll->rid == 101u);
  return w;
}

}  // namespace

TEST(bosh_pause, ejabberd_announces_maxpause_and_prosody_does_not) {
  EXPECT_EQ(parsed(ejabberd_created).maxpause, 120u);
  EXPECT_EQ(parsed(prosody_created).maxpause, std::nullopt);
  EXPECT_EQ(held_window(ejabberd_created).maxpause(), 120u);
  EXPECT_EQ(held_window(prosody_created).maxpause(), std::nullopt);
}

TEST(bosh_pause, a_maxpause_that_is_not_a_number_is_refused_by_name) {
  std::string why;
  EXPECT_FALSE(parse_response("<body xmlns='http://jabber.org/protocol/httpbind' maxpause='2m'/>",
                              max_element, why));
  EXPECT_NE(why.find("maxpause='2m' is not a number"), std::string::npos) << why;
}

TEST(bosh_pause, the_pause_request_names_sid_rid_and_seconds) {
  const auto xml = pause_request("s1", 7, 3);
  EXPECT_EQ(xml, "<body rid='7' sid='s1' xmlns='http://jabber.org/protocol/httpbind' pause='3'/>");
  stanza s{xml};
  ASSERT_TRUE(s.parse()) << s.parse_error();
  EXPECT_EQ(s.attribute("pause"), "3");
}

TEST(bosh_pause, nothing_goes_while_paused_and_the_resume_takes_the_next_rid) {
  auto w = held_window(ejabberd_created);
  w.send("<message id='before'/>");
  w.pause(3);
  const auto before = w.next();
  ASSERT_TRUE(before);
  EXPECT_NE(before->body.find("id='before'"), std::string::npos) << "what was queued goes first";
  EXPECT_EQ(w.next(), std::nullopt) << "the window (2) is full";
  w.answered(101, "<body xmlns='http://jabber.org/protocol/httpbind'/>");
  const auto pause = w.next();
  ASSERT_TRUE(pause);
  EXPECT_EQ(pause->rid, 103u);
  EXPECT_EQ(pause->kind, request_kind::pause);
  EXPECT_EQ(pause->body, pause_request("9da69811a3d2a43bb4e663b8798ee1b441c9b9e8", 103, 3));
  EXPECT_FALSE(w.paused()) << "request 102 is still out";
  w.send("<message id='during'/>");
  EXPECT_EQ(w.next(), std::nullopt) << "no stanza and no poll while paused";
  w.answered(102, "<body/>");
  w.answered(103, "<body/>");  // as XEP-0124 §10 says: the pause request answered at once
  EXPECT_TRUE(w.paused());
  EXPECT_EQ(w.next(), std::nullopt) << "still no poll: it would end the pause";
  EXPECT_EQ(w.resume(), std::nullopt) << "nothing left out to forget";
  EXPECT_FALSE(w.paused());
  const auto resumed = w.next();
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->rid, 104u) << "the session goes on with the next rid";
  EXPECT_NE(resumed->body.find("id='during'"), std::string::npos) << "sent while paused";
  EXPECT_EQ(w.next(), std::nullopt) << "104 is the request the server holds (hold 1)";
  w.answered(104, "<body/>");
  const auto poll = w.next();
  ASSERT_TRUE(poll);
  EXPECT_EQ(poll->rid, 105u);
  EXPECT_EQ(poll->body.find("pause"), std::string::npos) << "one pause, not two";
  for (std::uint64_t rid = 101; rid <= 104; ++rid) {
    const auto a = w.next_answer();
    EXPECT_TRUE(a) << "answer to " << rid << ", in rid order";
  }
  EXPECT_FALSE(w.next_answer());
}

// ejabberd 23.01 answers the held poll at once and never the pause request
// (seen with curl: it stays open until the client gives up, the session goes
// on after the resume): the resume forgets it and its rid in the answers' order.
TEST(bosh_pause, a_pause_request_left_unanswered_is_forgotten_on_resume) {
  auto w = held_window(ejabberd_created);
  w.pause(1);
  const auto pause = w.next();
  ASSERT_TRUE(pause);
  EXPECT_EQ(pause->rid, 102u);
  EXPECT_NE(pause->body.find("pause='1'"), std::string::npos);
  EXPECT_FALSE(w.paused()) << "the held poll (101) is not answered yet";
  w.answered(101, "<body/>");
  EXPECT_TRUE(w.paused()) << "only the pause request is out";
  EXPECT_EQ(w.outstanding(), 1u);
  EXPECT_EQ(w.resume(), 102u);
  EXPECT_EQ(w.outstanding(), 0u);
  const auto poll = w.next();
  ASSERT_TRUE(poll);
  EXPECT_EQ(poll->rid, 103u);
  w.answered(103, "<body><message/></body>");
  w.answered(102, "late");  // after the resume: ignored
  const auto first = w.next_answer();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "<body/>") << "101";
  const auto next = w.next_answer();
  ASSERT_TRUE(next) << "102 skipped, 103 handed out";
  EXPECT_EQ(next->body, "<body><message/></body>");
  EXPECT_FALSE(w.next_answer());
}
