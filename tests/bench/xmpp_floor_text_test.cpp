// The floor client's text handling (xmpp_floor_text.hpp, xmpp_floor_stanzas.hpp):
// what it counts as a received chat must be what amoc counts (is::chat():
// a message of type chat with a body), on bytes split anywhere.

#include <gtest/gtest.h>

#include <string>

#include "xmpp_floor_stanzas.hpp"
#include "xmpp_floor_text.hpp"

namespace fc = floor_client;

namespace {

const std::string chat =
  "<message xml:lang='en' to='user_2@localhost' from='user_1@localhost/amoc' type='chat' "
  "id='floor-1-0'><sent xmlns='urn:amoc:ttd' us='1796569963245997'/><body>hello</body></message>";

}  // namespace

TEST(FloorText, ElementEndNeedsTheWholeElement) {
  for (std::size_t cut = 1; cut < chat.size(); ++cut)
    EXPECT_EQ(fc::element_end(chat.substr(0, cut), 0), 0u) << "cut at " << cut;
  EXPECT_EQ(fc::element_end(chat + "<presence/>", 0), chat.size());
}

TEST(FloorText, ElementEndOfShortForms) {
  EXPECT_EQ(fc::element_end("<presence from='a'/><x/>", 0), 20u);
  EXPECT_EQ(fc::element_end("</stream:stream>", 0), 16u);
  EXPECT_EQ(fc::element_end("<?xml version='1.0'?><stream:stream id='1'>", 0), 21u);
  EXPECT_EQ(fc::element_end("<stream:stream id='1'><stream:features>", 0), 22u);
  // A child's closing tag with a longer name does not end the element.
  EXPECT_EQ(fc::element_end("<iq><iqx></iqx></iq>", 0), 20u);
}

TEST(FloorText, ChatsAreMessagesOfTypeChatWithABody) {
  EXPECT_EQ(fc::chat_sent_us(chat), 1796569963245997);
  std::string dq = chat;
  for (auto& c : dq)
    if (c == '\'')
      c = '"';
  EXPECT_EQ(fc::chat_sent_us(dq), 1796569963245997);
  EXPECT_EQ(fc::chat_sent_us("<message type='chat'><body>no stamp</body></message>"), 0);
  EXPECT_FALSE(fc::chat_sent_us("<message type='error'><body>x</body></message>"));
  EXPECT_FALSE(fc::chat_sent_us("<message type='chat'><active/></message>"));
  EXPECT_FALSE(fc::chat_sent_us("<message type='headline'><body>x</body></message>"));
}

TEST(FloorText, SessionOnlyWhenRequired) {
  EXPECT_FALSE(fc::session_required("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"));
  EXPECT_FALSE(fc::session_required(
    "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>"));
  EXPECT_TRUE(fc::session_required("<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/>"));
  EXPECT_TRUE(fc::session_required(
    "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'></session><x><optional/></x>"));
}

TEST(FloorText, AuthIsSaslPlainOfTheUsersCredentials) {
  fc::stanzas::buffer out;
  // base64("\0user_1\0password_1")
  EXPECT_EQ(fc::stanzas::auth(out, 1),
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
            "AHVzZXJfMQBwYXNzd29yZF8x</auth>");
  char b64[8];
  EXPECT_EQ(fc::base64("ab", b64), 4u);
  EXPECT_STREQ(b64, "YWI=");
}

TEST(FloorText, ChatCarriesAmocsTimestamp) {
  fc::stanzas::buffer out;
  const auto text = fc::stanzas::chat(out, "localhost", 3, 4, 7, 42);
  EXPECT_EQ(text, "<message to='user_4@localhost' type='chat' id='floor-3-7'><body>hello from "
                  "user_3@localhost/amoc</body><sent xmlns='urn:amoc:ttd' us='42'/></message>");
  EXPECT_EQ(fc::chat_sent_us(text), 42);
}

TEST(FloorText, HistogramPercentilesWithinOnePercent) {
  static fc::histogram h;  // 37 KB: not on the stack
  h.touch();
  EXPECT_EQ(h.percentile(99), 0);
  for (int us = 1; us <= 100'000; ++us)
    h.record(us);
  EXPECT_NEAR(h.percentile(50), 50'000, 500);
  EXPECT_NEAR(h.percentile(99), 99'000, 990);
  EXPECT_EQ(h.percentile(0.0001), 1);
  h.record(-5);                     // a clock step backwards counts as 0
  h.record(std::int64_t{1} << 50);  // beyond the range: the last bucket
  EXPECT_GT(h.percentile(100), 1e10);
}
