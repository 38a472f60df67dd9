#include "amoc/xmpp/stanzas.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <thread>

using namespace amoc::xmpp;
namespace st = amoc::xmpp::stanzas;
using namespace std::chrono_literals;

namespace {

// The stanza's XML, after checking that it is well-formed.
std::string xml_of(const stanza& s) {
  EXPECT_TRUE(s.parse()) << s.parse_error() << " in " << s.xml();
  return s.xml();
}

// The XML with the generated id replaced by "ID", for exact comparisons.
std::string with_fixed_id(const stanza& s) {
  auto text = xml_of(s);
  const auto at = text.find(" id='");
  if (at == std::string::npos)
    return text;
  const auto end = text.find('\'', at + 5);
  return text.replace(at + 5, end - at - 5, "ID");
}

std::string error_of(auto build) {
  try {
    (void)build();
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

}  // namespace

TEST(stanzas, ids_are_unique_and_short) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i)
    ids.insert(st::next_id());
  EXPECT_EQ(ids.size(), 10000u);
  EXPECT_LE(ids.begin()->size(), 15u);  // fits the small-string buffer
  std::string other_thread;
  std::thread{[&] { other_thread = st::next_id(); }}.join();
  EXPECT_EQ(ids.count(other_thread), 0u);
  EXPECT_NE(other_thread.substr(0, 8), ids.begin()->substr(0, 8));
}

TEST(stanzas, chat_message) {
  EXPECT_EQ(xml_of(st::chat("user_2@localhost", "hi", "m1")),
            "<message to='user_2@localhost' type='chat' id='m1'><body>hi</body></message>");
  EXPECT_EQ(with_fixed_id(st::chat("user_2@localhost", "hi")),
            "<message to='user_2@localhost' type='chat' id='ID'><body>hi</body></message>");
  EXPECT_NE(st::chat("a@b", "x").id(), st::chat("a@b", "x").id());
}

TEST(stanzas, escapes_text_and_attributes) {
  const auto s = st::chat("a'b@localhost", "<b>&\"'</b> ]]>", "i&d");
  EXPECT_EQ(xml_of(s), "<message to='a&apos;b@localhost' type='chat' id='i&amp;d'>"
                       "<body>&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt; ]]&gt;</body></message>");
  EXPECT_EQ(s.body(), "<b>&\"'</b> ]]>");
  EXPECT_EQ(s.to(), "a'b@localhost");
  EXPECT_EQ(st::chat("a@b", "tab\tand\nlines\r").body(), "tab\tand\nlines\n");
  EXPECT_EQ(st::chat("a@b", "ünïcödé ✓").body(), "ünïcödé ✓");
}

TEST(stanzas, refuses_control_characters_xml_cannot_carry) {
  EXPECT_NE(error_of([] {
              return st::chat("a@b", std::string_view{"x\0y", 3});
            }).find("U+0000"),
            std::string::npos);
  EXPECT_NE(error_of([] { return st::chat("a@b", "bell\x07"); }).find("U+0007"), std::string::npos);
}

TEST(stanzas, message_types) {
  EXPECT_EQ(xml_of(st::message("a@b", "", "x", "1")),
            "<message to='a@b' id='1'><body>x</body></message>");
  EXPECT_EQ(xml_of(st::message("a@b", "headline", "", "1")),
            "<message to='a@b' type='headline' id='1'/>");
  EXPECT_NE(error_of([] {
              return st::message("a@b", "shout", "x");
            }).find("message type 'shout' is not one of"),
            std::string::npos);
  EXPECT_EQ(xml_of(st::groupchat("room@muc.localhost", "hello all", "g")),
            "<message to='room@muc.localhost' type='groupchat' id='g'><body>hello "
            "all</body></message>");
}

TEST(stanzas, chat_with_timestamp_carries_its_send_time) {
  const auto sent = std::chrono::system_clock::time_point{1'700'000'000'123'456us};
  const auto s = st::chat_with_timestamp("b@localhost", "hi", sent, "t1");
  EXPECT_EQ(xml_of(s), "<message to='b@localhost' type='chat' id='t1'><body>hi</body>"
                       "<sent xmlns='urn:amoc:ttd' us='1700000000123456'/></message>");
  EXPECT_EQ(st::sent_timestamp(s), sent);
  const auto now = std::chrono::system_clock::now();
  const auto stamped = st::sent_timestamp(st::chat_with_timestamp("b@localhost", "x"));
  ASSERT_TRUE(stamped);
  EXPECT_LE(std::chrono::abs(*stamped - now), 1s);
}

TEST(stanzas, with_timestamp_adds_the_send_time_to_any_message) {
  const auto sent = std::chrono::system_clock::time_point{42us};
  const auto s = st::with_timestamp(st::groupchat("r@m", "x", "1"), sent);
  EXPECT_EQ(xml_of(s), "<message to='r@m' type='groupchat' id='1'><body>x</body>"
                       "<sent xmlns='urn:amoc:ttd' us='42'/></message>");
  EXPECT_EQ(st::sent_timestamp(s), sent);
  const auto empty = st::with_timestamp(st::message("a@b", "", "", "2"), sent);
  EXPECT_EQ(xml_of(empty),
            "<message to='a@b' id='2'><sent xmlns='urn:amoc:ttd' us='42'/></message>");
}

TEST(stanzas, sent_timestamp_reads_what_a_server_relays) {
  // Servers may reorder attributes and change quotes.
  const stanza relayed{"<message from='a@b/r' to=\"c@d\" type='chat' xmlns='jabber:client'>"
                       "<body>x</body><sent us=\"1000001\" xmlns=\"urn:amoc:ttd\"/></message>"};
  EXPECT_EQ(st::sent_timestamp(relayed), std::chrono::system_clock::time_point{1000001us});
  EXPECT_FALSE(st::sent_timestamp(stanza{"<message><body>x</body></message>"}));
  EXPECT_FALSE(st::sent_timestamp(stanza{"<message><sent xmlns='other' us='1'/></message>"}));
  EXPECT_FALSE(
    st::sent_timestamp(stanza{"<message><sent xmlns='urn:amoc:ttd' us='1x'/></message>"}));
  EXPECT_FALSE(st::sent_timestamp(stanza{"<message><sent xmlns='urn:amoc:ttd' us=''/></message>"}));
  EXPECT_FALSE(st::sent_timestamp(stanza{"<message><sent xmlns='urn:amoc:ttd'/></message>"}));
  EXPECT_FALSE(st::sent_timestamp(stanza{"not xml"}));
  // Found by the fuzzer: a number beyond the clock's range overflowed.
  EXPECT_FALSE(st::sent_timestamp(
    stanza{"<message><sent xmlns='urn:amoc:ttd' us='17953400630267280'/></message>"}));
  EXPECT_FALSE(st::sent_timestamp(
    stanza{"<message><sent xmlns='urn:amoc:ttd' us='99999999999999999999999'/></message>"}));
}

TEST(stanzas, add_child_works_on_empty_and_full_elements) {
  stanza empty{"<presence type='x/y'/>"};
  st::add_child(empty, "<c/>");
  EXPECT_EQ(xml_of(empty), "<presence type='x/y'><c/></presence>");
  stanza full{"<iq><a/></iq>\n"};
  st::add_child(full, "<b/>");
  EXPECT_EQ(xml_of(full), "<iq><a/><b/></iq>");
  stanza edited{"<message><body>x</body></message>"};
  edited.edit().append_attribute("id") = "e1";
  st::add_child(edited, "<c/>");
  EXPECT_EQ(xml_of(edited), "<message id=\"e1\"><body>x</body><c/></message>");
  stanza broken{""};
  EXPECT_THROW(st::add_child(broken, "<c/>"), std::invalid_argument);
}

TEST(stanzas, a_dropped_parse_keeps_the_text_and_its_edits) {
  stanza s{"<message to='a@b'><body>x</body></message>"};
  EXPECT_EQ(s.to(), "a@b");
  s.drop_parsed();
  EXPECT_EQ(s.xml(), "<message to='a@b'><body>x</body></message>");
  EXPECT_EQ(s.body(), "x");  // parsed again on demand
  s.edit().append_attribute("id") = "e1";
  s.drop_parsed();
  EXPECT_EQ(s.xml(), "<message to=\"a@b\" id=\"e1\"><body>x</body></message>");
  EXPECT_EQ(s.id(), "e1");
}

TEST(stanzas, presence) {
  EXPECT_EQ(xml_of(st::presence()), "<presence/>");
  EXPECT_EQ(xml_of(st::presence("available")), "<presence/>");
  EXPECT_EQ(xml_of(st::presence("unavailable")), "<presence type='unavailable'/>");
  EXPECT_EQ(xml_of(st::presence({}, {.show = "away", .status = "out & about", .priority = -1})),
            "<presence><show>away</show><status>out &amp; about</status>"
            "<priority>-1</priority></presence>");
  EXPECT_EQ(xml_of(st::presence_to("room@muc/nick")), "<presence to='room@muc/nick'/>");
  EXPECT_EQ(with_fixed_id(st::presence_to("b@localhost", "subscribe")),
            "<presence to='b@localhost' type='subscribe' id='ID'/>");
  EXPECT_EQ(xml_of(st::presence_to("b@localhost", "probe")),
            "<presence to='b@localhost' type='probe'/>");
  EXPECT_NE(error_of([] { return st::presence("online"); }).find("presence type 'online'"),
            std::string::npos);
  EXPECT_NE(error_of([] { return st::presence({}, {.show = "busy"}); }).find("presence show"),
            std::string::npos);
  EXPECT_NE(error_of([] { return st::presence({}, {.priority = 128}); }).find("-128..127"),
            std::string::npos);
}

TEST(stanzas, iq) {
  EXPECT_EQ(xml_of(st::iq("get", "<query xmlns='jabber:iq:version'/>", "localhost", "v1")),
            "<iq type='get' id='v1' to='localhost'><query xmlns='jabber:iq:version'/></iq>");
  EXPECT_EQ(with_fixed_id(st::iq_get("jabber:iq:version")),
            "<iq type='get' id='ID'><query xmlns='jabber:iq:version'/></iq>");
  EXPECT_EQ(xml_of(st::iq_set("jabber:iq:private", "<x xmlns='a'/>", "", "p")),
            "<iq type='set' id='p'><query xmlns='jabber:iq:private'><x xmlns='a'/></query></iq>");
  EXPECT_NE(error_of([] { return st::iq("fetch", "<a/>"); }).find("iq type 'fetch'"),
            std::string::npos);
  EXPECT_NE(error_of([] { return st::iq("get", ""); }).find("needs a payload"), std::string::npos);
}

TEST(stanzas, iq_replies_answer_the_request) {
  const stanza request{"<iq from='a@b/c' to='d@e/f' type='get' id='q1'>"
                       "<query xmlns='jabber:iq:version'/></iq>"};
  EXPECT_EQ(xml_of(st::iq_result(request)), "<iq type='result' id='q1' to='a@b/c'/>");
  EXPECT_EQ(xml_of(st::iq_result(request, "<query xmlns='jabber:iq:version'><name>amoc</name>"
                                          "</query>")),
            "<iq type='result' id='q1' to='a@b/c'><query xmlns='jabber:iq:version'>"
            "<name>amoc</name></query></iq>");
  EXPECT_EQ(xml_of(st::iq_error(request, "feature-not-implemented")),
            "<iq type='error' id='q1' to='a@b/c'><error type='cancel'><feature-not-implemented "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
  EXPECT_NE(error_of([&] { return st::iq_error(request, "oops"); }).find("condition 'oops'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { return st::iq_error(request, "gone", "later"); }).find("type 'later'"),
            std::string::npos);
  EXPECT_NE(error_of([] { return st::iq_result(stanza{"<iq type='get'/>"}); }).find("no id"),
            std::string::npos);
}

TEST(stanzas, roster) {
  EXPECT_EQ(with_fixed_id(st::roster_get()),
            "<iq type='get' id='ID'><query xmlns='jabber:iq:roster'/></iq>");
  EXPECT_EQ(with_fixed_id(st::roster_add("b@localhost", "Bob", {"Friends", "A&B"})),
            "<iq type='set' id='ID'><query xmlns='jabber:iq:roster'><item jid='b@localhost' "
            "name='Bob'><group>Friends</group><group>A&amp;B</group></item></query></iq>");
  EXPECT_EQ(with_fixed_id(st::roster_add("b@localhost")),
            "<iq type='set' id='ID'><query xmlns='jabber:iq:roster'><item jid='b@localhost'/>"
            "</query></iq>");
  EXPECT_EQ(with_fixed_id(st::roster_remove("b@localhost")),
            "<iq type='set' id='ID'><query xmlns='jabber:iq:roster'><item jid='b@localhost' "
            "subscription='remove'/></query></iq>");
}

TEST(stanzas, ping_and_disco) {
  EXPECT_EQ(with_fixed_id(st::ping()), "<iq type='get' id='ID'><ping xmlns='urn:xmpp:ping'/></iq>");
  EXPECT_EQ(with_fixed_id(st::ping("localhost")),
            "<iq type='get' id='ID' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
  const stanza server_ping{"<iq from='localhost' to='a@localhost/r' id='s2c1' type='get'>"
                           "<ping xmlns='urn:xmpp:ping'/></iq>"};
  EXPECT_EQ(xml_of(st::pong(server_ping)), "<iq type='result' id='s2c1' to='localhost'/>");
  EXPECT_EQ(with_fixed_id(st::disco_info("localhost")),
            "<iq type='get' id='ID' to='localhost'><query "
            "xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  EXPECT_EQ(with_fixed_id(st::disco_items("pubsub.localhost", "princely_musings")),
            "<iq type='get' id='ID' to='pubsub.localhost'><query "
            "xmlns='http://jabber.org/protocol/disco#items' node='princely_musings'/></iq>");
}

TEST(stanzas, receipts) {
  auto m = st::chat("b@localhost", "x", "m7");
  st::request_receipt(m);
  EXPECT_EQ(xml_of(m), "<message to='b@localhost' type='chat' id='m7'><body>x</body>"
                       "<request xmlns='urn:xmpp:receipts'/></message>");
  const stanza received{"<message from='a@localhost/r' to='b@localhost/s' id='m7' type='chat'>"
                        "<body>x</body><request xmlns='urn:xmpp:receipts'/></message>"};
  EXPECT_EQ(with_fixed_id(st::receipt_for(received)),
            "<message to='a@localhost/r' id='ID'><received xmlns='urn:xmpp:receipts' "
            "id='m7'/></message>");
}

TEST(stanzas, mam_query_with_form_and_rsm) {
  EXPECT_EQ(with_fixed_id(st::mam_query("q1")),
            "<iq type='set' id='ID'><query xmlns='urn:xmpp:mam:2' queryid='q1'/></iq>");
  EXPECT_EQ(with_fixed_id(st::mam_query("q2", "b@localhost", 10, "09af3", "room@muc")),
            "<iq type='set' id='ID' to='room@muc'><query xmlns='urn:xmpp:mam:2' queryid='q2'>"
            "<x xmlns='jabber:x:data' type='submit'>"
            "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>"
            "<field var='with'><value>b@localhost</value></field></x>"
            "<set xmlns='http://jabber.org/protocol/rsm'><max>10</max><after>09af3</after></set>"
            "</query></iq>");
  const auto start = std::chrono::system_clock::time_point{1'262'304'000s};  // 2010-01-01
  EXPECT_EQ(with_fixed_id(st::mam_query(
              "q3", {.start = start, .end = start + 1500ms, .max = 5, .last_page = true})),
            "<iq type='set' id='ID'><query xmlns='urn:xmpp:mam:2' queryid='q3'>"
            "<x xmlns='jabber:x:data' type='submit'>"
            "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>"
            "<field var='start'><value>2010-01-01T00:00:00Z</value></field>"
            "<field var='end'><value>2010-01-01T00:00:01.500000Z</value></field></x>"
            "<set xmlns='http://jabber.org/protocol/rsm'><max>5</max><before/></set>"
            "</query></iq>");
  EXPECT_NE(error_of([] {
              return st::mam_query("q", {.after = "a", .before = "b"});
            }).find("exclude each other"),
            std::string::npos);
}

TEST(stanzas, muc) {
  EXPECT_EQ(xml_of(st::muc_join("room@muc.localhost", "nick")),
            "<presence to='room@muc.localhost/nick'><x xmlns='http://jabber.org/protocol/muc'>"
            "<history maxstanzas='0'/></x></presence>");
  EXPECT_EQ(xml_of(st::muc_join("room@muc.localhost", "nick", std::nullopt)),
            "<presence to='room@muc.localhost/nick'><x xmlns='http://jabber.org/protocol/muc'/>"
            "</presence>");
  EXPECT_EQ(xml_of(st::muc_leave("room@muc.localhost", "nick")),
            "<presence to='room@muc.localhost/nick' type='unavailable'/>");
  EXPECT_NE(error_of([] { return st::muc_join("room@muc/x", "nick"); }).find("must be bare"),
            std::string::npos);
  EXPECT_NE(error_of([] { return st::muc_join("room@muc", ""); }).find("empty MUC nickname"),
            std::string::npos);
}

TEST(stanzas, stream_framing) {
  EXPECT_EQ(st::stream_header("localhost"),
            "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xml:lang='en' "
            "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
  EXPECT_EQ(st::stream_header("localhost", "", "a@localhost"),
            "<?xml version='1.0'?><stream:stream to='localhost' from='a@localhost' version='1.0' "
            "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
  EXPECT_EQ(st::stream_close(), "</stream:stream>");
  EXPECT_EQ(xml_of(st::ws_open("localhost")),
            "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0' "
            "xml:lang='en'/>");
  EXPECT_EQ(xml_of(st::ws_close()), "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
  EXPECT_THROW((void)st::stream_header(""), std::invalid_argument);
}

TEST(stanzas, tls_and_sasl) {
  EXPECT_EQ(xml_of(st::starttls()), "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  EXPECT_EQ(xml_of(st::sasl_auth("PLAIN", "AHUAcA==")),
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AHUAcA==</auth>");
  EXPECT_EQ(xml_of(st::sasl_auth("ANONYMOUS", "")),
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='ANONYMOUS'>=</auth>");
  EXPECT_EQ(xml_of(st::sasl_auth("EXTERNAL", std::nullopt)),
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'/>");
  EXPECT_EQ(xml_of(st::sasl_response("Yz1iaXdz")),
            "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>Yz1iaXdz</response>");
  EXPECT_EQ(xml_of(st::sasl_response("")), "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  EXPECT_EQ(xml_of(st::sasl_abort()), "<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
}

TEST(stanzas, bind_and_session) {
  EXPECT_EQ(with_fixed_id(st::bind()),
            "<iq type='set' id='ID'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
  EXPECT_EQ(with_fixed_id(st::bind("amoc<1>")),
            "<iq type='set' id='ID'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
            "<resource>amoc&lt;1&gt;</resource></bind></iq>");
  EXPECT_EQ(with_fixed_id(st::session()),
            "<iq type='set' id='ID'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
}

TEST(stanzas, stream_management) {
  EXPECT_EQ(xml_of(st::sm_enable()), "<enable xmlns='urn:xmpp:sm:3'/>");
  EXPECT_EQ(xml_of(st::sm_enable(true)), "<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
  EXPECT_EQ(xml_of(st::sm_request()), "<r xmlns='urn:xmpp:sm:3'/>");
  EXPECT_EQ(xml_of(st::sm_ack(4294967295u)), "<a xmlns='urn:xmpp:sm:3' h='4294967295'/>");
  EXPECT_EQ(xml_of(st::sm_resume("some-long-sm-id", 7)),
            "<resume xmlns='urn:xmpp:sm:3' h='7' previd='some-long-sm-id'/>");
}

TEST(stanzas, in_band_registration) {
  EXPECT_EQ(with_fixed_id(st::registration_form()),
            "<iq type='get' id='ID'><query xmlns='jabber:iq:register'/></iq>");
  EXPECT_EQ(with_fixed_id(st::register_account("user_1", "p<w>d")),
            "<iq type='set' id='ID'><query xmlns='jabber:iq:register'><username>user_1</username>"
            "<password>p&lt;w&gt;d</password></query></iq>");
  EXPECT_EQ(with_fixed_id(st::remove_account()),
            "<iq type='set' id='ID'><query xmlns='jabber:iq:register'><remove/></query></iq>");
  EXPECT_THROW((void)st::register_account("", "x"), std::invalid_argument);
}
