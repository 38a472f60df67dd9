// BOSH framing without the network: the request bodies, reading the server's
// answers (captured from ejabberd 23.01 and Prosody 0.12), and the request
// window's rules (rid sequence, at most `requests` outstanding, restart
// alone, terminate last, answers handed out in rid order).

#include "bosh_body.hpp"
#include "bosh_window.hpp"

#include <gtest/gtest.h>

#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanza.hpp"

using namespace amoc::xmpp;
using namespace amoc::xmpp::detail::bosh;

namespace {

constexpr std::size_t max_element = 1 << 20;

// Captured from ejabberd 23.01 (mod_bosh), session creation.
constexpr std::string_view ejabberd_created =
  "<body xmpp:version='1.0' authid='2468969128410502498' "
  "xmlns='http://jabber.org/protocol/httpbind' sid='01f2b857a53481217b3a6deacffce0edfea644b6' "
  "wait='5' ver='1.11' polling='2' inactivity='30' hold='1' xmpp:restartlogic='true' "
  "requests='2' secure='true' maxpause='120' xmlns:xmpp='urn:xmpp:xbosh' "
  "xmlns:stream='http://etherx.jabber.org/streams' from='localhost'><stream:features><mechanisms "
  "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-512"
  "</mechanism></mechanisms><register xmlns='http://jabber.org/features/iq-register'/>"
  "</stream:features></body>";

std::string attr_of(const std::string& xml, const char* name) {
  stanza s{xml};
  EXPECT_TRUE(s.parse()) << s.parse_error() << " in " << xml;
  return std::string{s.attribute(name)};
}

response created(unsigned requests, unsigned hold) {
  response r;
  r.sid = "s1";
  r.requests = requests;
  r.hold = hold;
  r.wait = 30;
  return r;
}

// A window whose session exists (the creation request sent and answered).
window open_window(unsigned requests = 2, unsigned hold = 1) {
  window w{"localhost", 100, hold, 60};
  w.open_stream();
  auto create = w.next();
  EXPECT_TRUE(create && create->kind == request_kind::create);
  w.created(created(requests, hold));
  w.answered(create->rid, "<body/>");
  EXPECT_TRUE(w.next_answer());
  return w;
}

}  // namespace

TEST(bosh_body, session_request_asks_for_an_xmpp_session) {
  const auto xml = session_request({"localhost", 42, 1, 60});
  EXPECT_EQ(xml, "<body content='text/xml; charset=utf-8' hold='1' rid='42' to='localhost' "
                 "ver='1.11' wait='60' xml:lang='en' xmpp:version='1.0' "
                 "xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'/>");
  EXPECT_EQ(attr_of(xml, "rid"), "42");
}

TEST(bosh_body, requests_carry_sid_rid_and_payload) {
  EXPECT_EQ(payload_request("abc", 7, ""),
            "<body rid='7' sid='abc' xmlns='http://jabber.org/protocol/httpbind'/>");
  EXPECT_EQ(
    payload_request("abc", 8, "<presence/>"),
    "<body rid='8' sid='abc' xmlns='http://jabber.org/protocol/httpbind'><presence/></body>");
  EXPECT_EQ(attr_of(restart_request("abc", 9, "localhost"), "xmpp:restart"), "true");
  EXPECT_EQ(attr_of(terminate_request("abc", 10, ""), "type"), "terminate");
  EXPECT_EQ(attr_of(payload_request("a'b", 1, ""), "sid"), "a'b") << "escaped";
}

TEST(bosh_body, reads_ejabberds_session_creation) {
  std::string why;
  const auto r = parse_response(ejabberd_created, max_element, why);
  ASSERT_TRUE(r) << why;
  EXPECT_EQ(r->sid, "01f2b857a53481217b3a6deacffce0edfea644b6");
  EXPECT_EQ(r->requests, 2u);
  EXPECT_EQ(r->hold, 1u);
  EXPECT_EQ(r->wait, 5u);
  EXPECT_EQ(r->type, "");
  ASSERT_EQ(r->children.size(), 1u);
  stanza features{r->children[0]};
  ASSERT_TRUE(features.parse()) << features.parse_error();
  EXPECT_TRUE(is::stream_features()(features)) << r->children[0];
}

TEST(bosh_body, keeps_each_child_whole_and_white_space_in_text) {
  std::string why;
  const auto r = parse_response(
    "<body xmlns='http://jabber.org/protocol/httpbind'>\n  <message xmlns='jabber:client' "
    "to='a@b' type='chat'><body>  two &amp; spaces </body></message>\n<iq type='result' "
    "id='x'/></body>",
    max_element, why);
  ASSERT_TRUE(r) << why;
  ASSERT_EQ(r->children.size(), 2u);
  EXPECT_EQ(r->children[0], "<message xmlns='jabber:client' to='a@b' type='chat'><body>  two "
                            "&amp; spaces </body></message>");
  EXPECT_EQ(r->children[1], "<iq type='result' id='x'/>");
}

TEST(bosh_body, reads_a_terminate_with_its_condition) {
  std::string why;
  const auto r = parse_response("<body xmlns='http://jabber.org/protocol/httpbind' "
                                "type='terminate' condition='item-not-found'/>",
                                max_element, why);
  ASSERT_TRUE(r) << why;
  EXPECT_EQ(r->type, "terminate");
  EXPECT_EQ(r->condition, "item-not-found");
}

TEST(bosh_body, refuses_what_is_not_a_bosh_body_and_says_why) {
  const std::pair<std::string_view, std::string_view> cases[] = {
    {"", "an empty HTTP body"},
    {"garbage", "not XML"},
    {"<body xmlns='http://jabber.org/protocol/httpbind'><message>", "not XML"},
    {"<html><body>Not Found</body></html>", "<html xmlns=''> where a BOSH <body"},
    {"<body xmlns='jabber:client'/>", "<body xmlns='jabber:client'> where a BOSH"},
    {"<body xmlns='http://jabber.org/protocol/httpbind'/><body "
     "xmlns='http://jabber.org/protocol/httpbind'/>",
     "more than one element"},
    {"<body xmlns='http://jabber.org/protocol/httpbind' requests='two'/>",
     "requests='two' is not a number"},
  };
  for (const auto& [text, expected] : cases) {
    std::string why;
    EXPECT_FALSE(parse_response(text, max_element, why)) << text;
    EXPECT_NE(why.find(expected), std::string::npos) << text << ": " << why;
  }
}

TEST(bosh_body, refuses_a_child_above_the_size_bound) {
  std::string why;
  const std::string big = "<body xmlns='http://jabber.org/protocol/httpbind'><message><body>"
                          + std::string(2000, 'x') + "</body></message></body>";
  EXPECT_FALSE(parse_response(big, 1000, why));
  EXPECT_NE(why.find("1000"), std::string::npos) << why;
}

TEST(bosh_window, nothing_goes_before_the_session_exists) {
  window w{"localhost", 100, 1, 60};
  EXPECT_FALSE(w.next()) << "no stream opened yet";
  w.send("<presence/>");
  w.open_stream();
  const auto create = w.next();
  ASSERT_TRUE(create);
  EXPECT_EQ(create->rid, 100u);
  EXPECT_EQ(create->kind, request_kind::create);
  EXPECT_FALSE(w.next()) << "waits for the sid";
  w.created(created(2, 1));
  w.answered(100, "<body/>");
  const auto next = w.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->rid, 101u);
  EXPECT_EQ(attr_of(next->body, "sid"), "s1");
  EXPECT_NE(next->body.find("<presence/>"), std::string::npos);
}

TEST(bosh_window, holds_one_poll_and_never_exceeds_the_window) {
  auto w = open_window(2, 1);
  const auto poll = w.next();
  ASSERT_TRUE(poll);
  EXPECT_EQ(poll->rid, 101u);
  EXPECT_EQ(poll->body, payload_request("s1", 101, ""));
  EXPECT_FALSE(w.next()) << "one request held is enough";
  w.send("<message/>");
  w.send("<iq/>");
  const auto data = w.next();
  ASSERT_TRUE(data);
  EXPECT_EQ(data->rid, 102u);
  EXPECT_NE(data->body.find("<message/><iq/>"), std::string::npos) << "queued stanzas go together";
  w.send("<presence/>");
  EXPECT_EQ(w.outstanding(), 2u);
  EXPECT_FALSE(w.next()) << "two outstanding: the window is full";
  w.answered(101, "<body/>");
  const auto more = w.next();
  ASSERT_TRUE(more);
  EXPECT_EQ(more->rid, 103u);
  EXPECT_LE(w.outstanding(), w.requests());
}

TEST(bosh_window, uses_at_most_hold_plus_one_of_a_larger_window) {
  auto w = open_window(10, 1);
  EXPECT_EQ(w.requests(), 2u);
}

TEST(bosh_window, restart_goes_alone_and_terminate_last) {
  auto w = open_window();
  w.open_stream();  // after SASL success
  w.send("<iq id='bind'/>");
  const auto restart = w.next();
  ASSERT_TRUE(restart);
  EXPECT_EQ(restart->kind, request_kind::restart);
  EXPECT_EQ(restart->body.find("<iq"), std::string::npos);
  const auto bind = w.next();
  ASSERT_TRUE(bind);
  EXPECT_EQ(bind->kind, request_kind::payload);
  EXPECT_NE(bind->body.find("<iq id='bind'/>"), std::string::npos);
  w.answered(restart->rid, "<body/>");
  w.send("<presence type='unavailable'/>");
  w.terminate();
  const auto end = w.next();
  ASSERT_TRUE(end);
  EXPECT_EQ(end->kind, request_kind::terminate);
  EXPECT_NE(end->body.find("<presence type='unavailable'/>"), std::string::npos);
  EXPECT_TRUE(w.terminating());
  w.send("<message/>");
  EXPECT_FALSE(w.next()) << "nothing after the terminate";
}

TEST(bosh_window, hands_answers_out_in_rid_order) {
  auto w = open_window();
  const auto a = w.next();  // the poll
  w.send("<message/>");
  const auto b = w.next();
  ASSERT_TRUE(a && b);
  w.answered(b->rid, "second");
  EXPECT_FALSE(w.next_answer()) << "the earlier rid is still out";
  w.answered(a->rid, "first");
  const auto first = w.next_answer();
  const auto second = w.next_answer();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "first");
  EXPECT_EQ(second->body, "second");
  EXPECT_FALSE(w.next_answer());
  w.answered(12345, "unknown rid");
  EXPECT_FALSE(w.next_answer());
}
