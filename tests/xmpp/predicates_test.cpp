#include "amoc/xmpp/predicates.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "amoc/xmpp/stanzas.hpp"

using namespace amoc::xmpp;

namespace {

// Stanzas as ejabberd and Prosody send them.
const stanza chat_from_alice{
  "<message xmlns='jabber:client' from='alice@localhost/phone' to='bob@localhost/desk' "
  "type='chat' id='m1'><body>hello</body></message>"};
const stanza chat_state{"<message from='alice@localhost/phone' type='chat'>"
                        "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>"};
const stanza normal_message{"<message from='alice@localhost/phone'><body>hello</body></message>"};
const stanza groupchat{"<message from='room@muc.localhost/alice' type='groupchat' id='g1'>"
                       "<body>hi all</body></message>"};
const stanza receipt{"<message from='bob@localhost/desk' id='r1'>"
                     "<received xmlns='urn:xmpp:receipts' id='m1'/></message>"};
const stanza mam_message{
  "<message to='alice@localhost/phone'><result xmlns='urn:xmpp:mam:2' queryid='q1' id='28482'>"
  "<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' "
  "stamp='2010-07-10T23:08:25Z'/><message from='bob@localhost' type='chat'><body>old</body>"
  "</message></forwarded></result></message>"};
const stanza mam_fin{
  "<iq type='result' id='mq1'><fin xmlns='urn:xmpp:mam:2' complete='true'>"
  "<set xmlns='http://jabber.org/protocol/rsm'><count>1</count></set></fin></iq>"};
const stanza available{"<presence from='alice@localhost/phone' to='bob@localhost'/>"};
const stanza unavailable{"<presence from='alice@localhost/phone' type='unavailable'/>"};
const stanza subscribe{"<presence from='alice@localhost' type='subscribe' id='s1'/>"};
const stanza iq_result{"<iq type='result' id='i1' to='alice@localhost/phone'/>"};
const stanza iq_error{
  "<iq type='error' id='i2' from='localhost'><error type='cancel'>"
  "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
  "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no such service</text></error></iq>"};
const stanza server_ping{
  "<iq from='localhost' type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>"};
const stanza roster_push{"<iq type='set' id='rp1'><query xmlns='jabber:iq:roster' ver='1'>"
                         "<item jid='bob@localhost' subscription='none'/></query></iq>"};
const stanza features{"<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                      "<mechanism>PLAIN</mechanism></mechanisms></stream:features>"};
const stanza stream_error{
  "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
  "<text xml:lang='en' xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Replaced by new connection"
  "</text></stream:error>"};
const stanza sasl_success{"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dj1ybUY5</success>"};
const stanza sasl_failure{"<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/>"
                          "<text xml:lang='en'>Invalid username or password</text></failure>"};
const stanza sasl_challenge{"<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj1m</challenge>"};
const stanza sm_ack{"<a xmlns='urn:xmpp:sm:3' h='3'/>"};
const stanza sm_request{"<r xmlns='urn:xmpp:sm:3'/>"};
const stanza sm_enabled{"<enabled xmlns='urn:xmpp:sm:3' id='abc' resume='true' max='300'/>"};
const stanza sm_resumed{"<resumed xmlns='urn:xmpp:sm:3' h='5' previd='abc'/>"};
const stanza sm_failed{"<failed xmlns='urn:xmpp:sm:3'><item-not-found "
                       "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>"};
const stanza other_sm_ack{"<a xmlns='urn:xmpp:sm:2' h='3'/>"};

const std::vector<const stanza*> all = {
  &chat_from_alice, &chat_state,   &normal_message, &groupchat,      &receipt,
  &mam_message,     &mam_fin,      &available,      &unavailable,    &subscribe,
  &iq_result,       &iq_error,     &server_ping,    &roster_push,    &features,
  &stream_error,    &sasl_success, &sasl_failure,   &sasl_challenge, &sm_ack,
  &sm_request,      &sm_enabled,   &sm_resumed,     &sm_failed,      &other_sm_ack};

// The stanzas of `all` that `p` accepts.
std::vector<const stanza*> accepted(const predicate& p) {
  std::vector<const stanza*> out;
  for (auto s : all)
    if (p(*s))
      out.push_back(s);
  return out;
}

using list = std::vector<const stanza*>;

}  // namespace

TEST(predicates, messages) {
  EXPECT_EQ(accepted(is::message()).size(), 6u);
  EXPECT_EQ(accepted(is::chat()), list{&chat_from_alice});
  EXPECT_EQ(accepted(is::chat_from("alice@localhost")), list{&chat_from_alice});
  EXPECT_EQ(accepted(is::chat_from("ALICE@localhost/phone")), list{&chat_from_alice});
  EXPECT_EQ(accepted(is::chat_from(jid::parse("alice@localhost/desk"))), list{});
  EXPECT_EQ(accepted(is::chat_from("bob@localhost")), list{});
  EXPECT_EQ(accepted(is::chat_with_body("hello")), list{&chat_from_alice});
  EXPECT_EQ(accepted(is::chat_with_body("hell")), list{});
  EXPECT_EQ(accepted(is::groupchat()), list{&groupchat});
  EXPECT_EQ(accepted(is::groupchat("room@muc.localhost")), list{&groupchat});
  EXPECT_EQ(accepted(is::groupchat("hall@muc.localhost")), list{});
  EXPECT_EQ(accepted(is::receipt_for("m1")), list{&receipt});
  EXPECT_EQ(accepted(is::receipt_for("m2")), list{});
  EXPECT_EQ(accepted(is::mam_result()), list{&mam_message});
  EXPECT_EQ(accepted(is::mam_result("q1")), list{&mam_message});
  EXPECT_EQ(accepted(is::mam_result("q2")), list{});
}

TEST(predicates, presence) {
  EXPECT_EQ(accepted(is::presence()), list{&available});
  EXPECT_EQ(accepted(is::presence("available")), list{&available});
  EXPECT_EQ(accepted(is::presence("unavailable")), list{&unavailable});
  EXPECT_EQ(accepted(is::presence_from("alice@localhost")), list{&available});
  EXPECT_EQ(accepted(is::presence_from("alice@localhost", "subscribe")), list{&subscribe});
  EXPECT_EQ(accepted(is::presence_from("alice@localhost/phone", "subscribe")), list{});
}

TEST(predicates, iq) {
  EXPECT_EQ(accepted(is::iq_result()), (list{&mam_fin, &iq_result}));
  EXPECT_EQ(accepted(is::iq_result("i1")), list{&iq_result});
  EXPECT_EQ(accepted(is::iq_error()), list{&iq_error});
  EXPECT_EQ(accepted(is::iq_error("i1")), list{});
  EXPECT_EQ(accepted(is::iq_with_id("p1")), list{&server_ping});
  EXPECT_EQ(accepted(is::iq_reply_to(stanza{"<iq type='get' id='i2'/>"})), list{&iq_error});
  EXPECT_EQ(accepted(is::iq_request("jabber:iq:roster")), list{&roster_push});
  EXPECT_EQ(accepted(is::iq_request("urn:xmpp:ping")), list{&server_ping});
  EXPECT_EQ(accepted(is::mam_fin()), list{&mam_fin});
  EXPECT_EQ(accepted(is::mam_fin("mq1")), list{&mam_fin});
  EXPECT_EQ(accepted(is::mam_fin("x")), list{});
  EXPECT_EQ(accepted(is::ping()), list{&server_ping});
  EXPECT_EQ(accepted(is::roster_push()), list{&roster_push});
  EXPECT_EQ(accepted(is::stanza_error()), list{&iq_error});
  EXPECT_EQ(accepted(is::stanza_error("service-unavailable")), list{&iq_error});
  EXPECT_EQ(accepted(is::stanza_error("item-not-found")), list{});
}

TEST(predicates, stream_sasl_and_stream_management) {
  EXPECT_EQ(accepted(is::stream_features()), list{&features});
  EXPECT_EQ(accepted(is::stream_error()), list{&stream_error});
  EXPECT_EQ(accepted(is::sasl_success()), list{&sasl_success});
  EXPECT_EQ(accepted(is::sasl_failure()), list{&sasl_failure});
  EXPECT_EQ(accepted(is::sasl_challenge()), list{&sasl_challenge});
  EXPECT_EQ(accepted(is::sm_ack()), list{&sm_ack});
  EXPECT_EQ(accepted(is::sm_request()), list{&sm_request});
  EXPECT_EQ(accepted(is::sm_enabled()), list{&sm_enabled});
  EXPECT_EQ(accepted(is::sm_resumed()), list{&sm_resumed});
  EXPECT_EQ(accepted(is::sm_failed()), list{&sm_failed});
}

TEST(predicates, generic_tests_and_combinators) {
  EXPECT_EQ(accepted(is::any()).size(), all.size());
  EXPECT_EQ(accepted(is::element("a", "urn:xmpp:sm:2")), list{&other_sm_ack});
  EXPECT_EQ(accepted(is::element("stream:features")), list{&features});
  EXPECT_EQ(accepted(is::with_child("received", "urn:xmpp:receipts")), list{&receipt});
  EXPECT_EQ(accepted(is::from("bob@localhost")), list{&receipt});
  EXPECT_EQ(accepted(is::all_of({is::message(), is::from("alice@localhost")})),
            (list{&chat_from_alice, &chat_state, &normal_message}));
  EXPECT_EQ(accepted(is::any_of({is::sm_ack(), is::sm_request()})), (list{&sm_ack, &sm_request}));
  EXPECT_EQ(accepted(is::all_of({is::iq_result(), is::negation(is::mam_fin())})), list{&iq_result});
}

TEST(predicates, bad_jids_throw_when_the_predicate_is_made) {
  EXPECT_THROW((void)is::chat_from("@localhost"), std::invalid_argument);
  EXPECT_THROW((void)is::presence_from("a@"), std::invalid_argument);
  EXPECT_THROW((void)is::groupchat("room@muc/"), std::invalid_argument);
}

TEST(predicates, malformed_stanzas_match_nothing_but_any) {
  const stanza broken{"<message type='chat'><body>x</message>"};
  EXPECT_FALSE(is::message()(broken));
  EXPECT_FALSE(is::chat()(broken));
  EXPECT_FALSE(is::stream_error()(broken));
  EXPECT_TRUE(is::any()(broken));
}

TEST(predicates, stream_error_condition) {
  const auto e = stream_error_condition(stream_error);
  EXPECT_EQ(e.condition, "conflict");
  EXPECT_EQ(e.text, "Replaced by new connection");
  // An application-specific condition may come first (RFC 6120 §4.9.4).
  const auto app =
    stream_error_condition(stanza{"<stream:error><too-many xmlns='urn:example'/><policy-violation "
                                  "xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"});
  EXPECT_EQ(app.condition, "policy-violation");
  EXPECT_EQ(stream_error_condition(stanza{"<stream:error/>"}).condition, "undefined-condition");
  // RFC 7395 frames it with an explicit namespace.
  EXPECT_EQ(stream_error_condition(
              stanza{"<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                     "<host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"})
              .condition,
            "host-unknown");
  EXPECT_EQ(stream_error_condition(chat_from_alice).condition, "");
}

TEST(predicates, sasl_failure_condition) {
  const auto e = sasl_failure_condition(sasl_failure);
  EXPECT_EQ(e.condition, "not-authorized");
  EXPECT_EQ(e.text, "Invalid username or password");
  EXPECT_EQ(
    sasl_failure_condition(stanza{"<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"}).condition,
    "undefined-condition");
  EXPECT_EQ(sasl_failure_condition(sasl_success).condition, "");
  EXPECT_EQ(sasl_failure_condition(sm_failed).condition, "");  // another namespace
}

TEST(predicates, stanza_error_condition) {
  const auto e = stanza_error_condition(iq_error);
  EXPECT_EQ(e.condition, "service-unavailable");
  EXPECT_EQ(e.text, "no such service");
  EXPECT_EQ(e.type, "cancel");
  const auto bounced = stanza_error_condition(
    stanza{"<message type='error' from='nobody@localhost'><body>x</body><error type='cancel' "
           "by='localhost'>"
           "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"});
  EXPECT_EQ(bounced.condition, "item-not-found");
  EXPECT_EQ(stanza_error_condition(stanza{"<iq type='error' id='x'/>"}).condition,
            "undefined-condition");
  EXPECT_EQ(stanza_error_condition(iq_result).condition, "");
}

TEST(predicates, match_what_the_builders_make) {
  // A round trip as a server relays it: a built stanza, given a from.
  auto built = stanzas::chat_with_timestamp("bob@localhost", "ping?");
  built.edit().append_attribute("from") = "alice@localhost/phone";
  EXPECT_TRUE(is::chat_from("alice@localhost")(built));
  EXPECT_TRUE(is::chat_with_body("ping?")(built));
  auto request = stanzas::roster_get();
  auto reply = stanzas::iq_result(request);
  EXPECT_TRUE(is::iq_reply_to(request)(reply));
  EXPECT_TRUE(is::iq_result(request.id())(reply));
}
