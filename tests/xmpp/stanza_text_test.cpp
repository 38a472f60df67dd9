// A received stanza answers name, attribute, has_child and child_attribute
// from its text until it is parsed (xml_scan.hpp): the answers must be
// pugixml's, including where the scanner gives up and parses instead.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "amoc/xmpp/namespaces.hpp"
#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanzas.hpp"

using namespace amoc::xmpp;

namespace {

struct answers {
  std::string name, type, from, missing, body_child, ttd_child, us, stamp, chat;
  bool operator==(const answers&) const = default;
};

answers ask(const stanza& s) {
  const auto stamp = stanzas::sent_timestamp(s);
  return {std::string{s.name()},
          std::string{s.type()},
          std::string{s.from()},
          std::string{s.attribute("missing")},
          s.has_child("body") ? "yes" : "no",
          s.has_child("sent", stanzas::ttd_xmlns) ? "yes" : "no",
          std::string{s.child_attribute("sent", stanzas::ttd_xmlns, "us")},
          stamp ? std::to_string(stamp->time_since_epoch().count()) : "none",
          is::chat()(s) ? "chat" : "other"};
}

// What a stanza answers from its text, then what its DOM answers.
void expect_same_answers(const std::string& xml) {
  stanza text{xml, {}, stanza::checked};
  const auto from_text = ask(text);
  // The root's start tag is read once and remembered: asked again, or after
  // a move or a copy, the answers stay the same.
  EXPECT_EQ(ask(text), from_text) << xml;
  const stanza copied{text};
  EXPECT_EQ(ask(copied), from_text) << xml;
  const stanza moved{std::move(text)};
  EXPECT_EQ(ask(moved), from_text) << xml;
  const stanza dom{xml};
  ASSERT_TRUE(dom.parse()) << dom.parse_error() << " in " << xml;
  const auto from_dom = ask(dom);
  EXPECT_EQ(from_text, from_dom) << xml << "\n text: " << from_text.name << " " << from_text.type
                                 << " " << from_text.us << " " << from_text.chat
                                 << "\n dom: " << from_dom.name << " " << from_dom.type << " "
                                 << from_dom.us << " " << from_dom.chat;
}

}  // namespace

TEST(stanza_text, answers_as_its_dom_does) {
  const std::vector<std::string> cases{
    // What ejabberd relays of amoc's chat.
    "<message xml:lang='en' to='user_2@localhost/res' from='user_1@localhost/res' type='chat' "
    "id='a1'><body>hello from user_1@localhost/res</body><sent xmlns='urn:amoc:ttd' "
    "us='1765000000123456'/></message>",
    // Double quotes, spaces around '=', a '>' and a '/' inside values.
    "<message type = \"chat\" from=\"a@b/c>d/\"><body>x</body><sent xmlns=\"urn:amoc:ttd\" "
    "us=\"42\"/></message>",
    // A carbon's <sent/> first (another namespace), then the stamp.
    "<message type='chat'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
    "<message type='chat'><body>in</body><sent xmlns='urn:amoc:ttd' us='7'/></message>"
    "</forwarded></sent><body>out</body><sent xmlns='urn:amoc:ttd' us='9'/></message>",
    // A stamp only inside a forwarded message: none at the top.
    "<message from='muc@x'><result xmlns='urn:xmpp:mam:2'><forwarded xmlns='urn:xmpp:forward:0'>"
    "<message type='chat'><body>old</body><sent xmlns='urn:amoc:ttd' us='5'/></message>"
    "</forwarded></result></message>",
    // References and whitespace in values: pugixml decodes them.
    "<message type='ch&#97;t' from='a&apos;b'><body>x</body></message>",
    "<message type='chat' from='a\tb'><body/></message>",
    // CDATA and text with '>' in it.
    "<message type='chat'><body><![CDATA[<sent xmlns='urn:amoc:ttd' us='1'/>]]></body></message>",
    "<message type='chat'><body>a > b</body><sent xmlns='urn:amoc:ttd' us='12x'/></message>",
    // Empty root, prefixed names, a nonza, a stamp without `us`.
    "<presence from='user_1@localhost/res'/>",
    "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><bind/></stream:features>",
    "<message type='normal'><sent xmlns='urn:amoc:ttd'/><body>b</body></message>",
    "<iq type='result' id='x1'><query xmlns='jabber:iq:roster'/></iq>",
  };
  for (const auto& xml : cases)
    expect_same_answers(xml);
}

TEST(stanza_text, a_start_tag_beyond_64_kb_is_read_each_time) {
  // Where the start tag ends is kept in 16 bits; a longer one is not kept.
  // This one ends 65,536 bytes after " a='b'": kept cut to 16 bits, its end
  // would fall right after that attribute, and `type` would read as absent.
  const std::string head = "<message a='b' z='";
  const std::string tail = "' type='chat'>";
  const std::string z(65'551 - head.size() - tail.size(), 'z');
  expect_same_answers(head + z + tail
                      + "<body>x</body><sent xmlns='urn:amoc:ttd' us='42'/></message>");
  const std::string from(70'000, 'f');
  expect_same_answers("<message type='chat' from='" + from
                      + "'><body>x</body><sent "
                        "xmlns='urn:amoc:ttd' us='42'/></message>");
}

TEST(stanza_text, unchecked_text_is_parsed_first) {
  // Built from text nobody checked: malformed reads as an element without name.
  const stanza broken{"<message type='chat'><body>x</message>"};
  EXPECT_EQ(broken.name(), "");
  EXPECT_EQ(broken.type(), "");
  EXPECT_FALSE(broken.has_child("body"));
}

TEST(stanza_text, parsed_or_edited_stanzas_answer_from_their_dom) {
  stanza s{"<message type='chat' from='a@b'><body>x</body></message>", {}, stanza::checked};
  EXPECT_EQ(s.type(), "chat");
  s.edit().attribute("type").set_value("groupchat");
  EXPECT_EQ(s.type(), "groupchat");
  s.drop_parsed();
  EXPECT_EQ(s.type(), "groupchat");  // the text was written anew
  EXPECT_EQ(s.attribute("from"), "a@b");
  EXPECT_FALSE(s.has_child("sent"));
  EXPECT_TRUE(s.has_child("body"));
}

TEST(stanza_text, an_edit_that_shortens_the_root_tag_is_read_anew) {
  // The root's start tag, once read, is remembered; text written anew after
  // an edit must be read again, or the old end would cut into the content.
  stanza s{"<message type='groupchat' from='a@b'><body>x</body></message>", {}, stanza::checked};
  EXPECT_TRUE(s.has_child("body"));
  s.edit().attribute("type").set_value("chat");
  s.drop_parsed();
  EXPECT_EQ(s.type(), "chat");
  EXPECT_TRUE(s.has_child("body"));
  EXPECT_EQ(s.attribute("from"), "a@b");
}
