#include "amoc/xmpp/stream_framer.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

using namespace amoc::xmpp;

namespace {

// A recorded client-side view of a session, with the awkward parts on purpose:
// '>' and '/' inside attribute values, self-closing and nested elements,
// character data with '>', a CDATA section, white-space keepalives.
const std::string header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                           "xmlns:stream='http://etherx.jabber.org/streams' id='a/b>c' "
                           "from='localhost' version='1.0' xml:lang='en'>";
const std::vector<std::string> elements = {
  "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
  "<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms>"
  "<sm xmlns='urn:xmpp:sm:3'/></stream:features>",
  "<presence from=\"user_1@localhost/res\" to='user_1@localhost/res'/>",
  "<message type='chat' to='user_2@localhost' id=\"m1\"><body>1 > 0 &amp; a/b</body></message>",
  "<iq type='result' id='x'><query xmlns='jabber:iq:roster'><item jid='a@b' "
  "name='&apos;q&quot;'/></query></iq>",
  "<message><body><![CDATA[<not-a-tag/> ]]> and more]]></body></message>",
  "<r xmlns='urn:xmpp:sm:3'/>",
};
const std::string closing = "</stream:stream>";

std::string recorded_stream() {
  std::string s = header + "\n";
  for (const auto& e : elements)
    s += e + " \r\n";
  return s + closing;
}

// Drains every frame the framer has now.
void drain(stream_framer& f, std::vector<std::string>& out) {
  while (auto fr = f.next())
    out.push_back(std::to_string(static_cast<int>(fr->kind)) + ":" + std::string{fr->xml});
}

std::vector<std::string> expected_frames() {
  std::vector<std::string> out{"0:" + header.substr(header.find("<stream:stream"))};
  for (const auto& e : elements)
    out.push_back("1:" + e);
  out.push_back("2:" + closing);
  return out;
}

std::vector<std::string> frames_of(const std::vector<std::string>& chunks) {
  stream_framer f{4096};
  std::vector<std::string> out;
  for (const auto& c : chunks) {
    f.feed(c);
    drain(f, out);
  }
  EXPECT_EQ(f.error(), framer_error::none) << f.error_message();
  EXPECT_EQ(f.buffered(), 0u);
  return out;
}

std::string failure_of(const std::string& bytes, std::size_t max = 4096) {
  stream_framer f{max};
  std::vector<std::string> out;
  f.feed(bytes);
  drain(f, out);
  return f.error_message();
}

}  // namespace

TEST(stream_framer, frames_a_recorded_stream_in_one_piece) {
  EXPECT_EQ(frames_of({recorded_stream()}), expected_frames());
}

TEST(stream_framer, frames_every_split_into_two_reads) {
  const auto stream = recorded_stream();
  for (std::size_t i = 1; i < stream.size(); ++i)
    ASSERT_EQ(frames_of({stream.substr(0, i), stream.substr(i)}), expected_frames())
      << "split at " << i << ": ..." << stream.substr(i > 10 ? i - 10 : 0, 20);
}

TEST(stream_framer, frames_a_stream_fed_byte_by_byte) {
  std::vector<std::string> bytes;
  for (char c : recorded_stream())
    bytes.emplace_back(1, c);
  EXPECT_EQ(frames_of(bytes), expected_frames());
}

TEST(stream_framer, starts_over_after_reset) {
  stream_framer f{4096};
  std::vector<std::string> out;
  f.feed(header + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  drain(f, out);
  ASSERT_EQ(out.size(), 2u);
  f.reset();  // STARTTLS: a new stream begins
  f.feed(header);
  drain(f, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].substr(0, 16), "0:<stream:stream");
}

TEST(stream_framer, refuses_a_frame_above_the_maximum_without_buffering_it) {
  stream_framer f{256};
  f.feed(header);
  ASSERT_TRUE(f.next());
  f.feed("<message><body>" + std::string(300, 'x'));
  EXPECT_FALSE(f.next());
  EXPECT_EQ(f.error(), framer_error::too_large);
  EXPECT_NE(f.error_message().find("256"), std::string::npos);
  f.feed(std::string(100000, 'y'));  // ignored after the failure
  EXPECT_LT(f.buffered(), 1024u);
}

TEST(stream_framer, whitespace_keepalives_do_not_accumulate) {
  stream_framer f{64};
  f.feed("<stream:stream>");
  ASSERT_TRUE(f.next());
  for (int i = 0; i < 1000; ++i) {
    f.feed("  \n");
    EXPECT_FALSE(f.next());
  }
  EXPECT_EQ(f.error(), framer_error::none) << f.error_message();
}

TEST(stream_framer, rejects_what_an_xmpp_stream_must_not_carry) {
  EXPECT_NE(failure_of(header + "<!-- hi --><presence/>").find("comments"), std::string::npos);
  EXPECT_NE(failure_of(header + "<?pi x?>").find("processing instruction"), std::string::npos);
  EXPECT_NE(failure_of(header + "hello").find("text outside"), std::string::npos);
  EXPECT_NE(failure_of("<presence/>").find("expected a stream header"), std::string::npos);
  EXPECT_NE(failure_of("<stream:stream/>").find("expected a stream header"), std::string::npos);
  EXPECT_NE(failure_of(header + "</message>").find("unexpected end tag"), std::string::npos);
  EXPECT_NE(failure_of("</stream:stream>").find("before the stream header"), std::string::npos);
  EXPECT_EQ(failure_of(header + "<message><body><![CDATA[x]]></body></message>"), "");
}

TEST(stream_framer, a_header_larger_than_the_maximum_is_refused) {
  EXPECT_NE(failure_of("<stream:stream " + std::string(300, ' '), 128).find("maximum"),
            std::string::npos);
}

TEST(stream_framer, a_frame_of_exactly_the_maximum_passes_one_byte_more_does_not) {
  // Found by tests/fuzz/stream_fuzzer.cpp: the last byte of a frame was not counted.
  const std::string element = "<message><body>" + std::string(18, 'x') + "</body></message>";
  ASSERT_EQ(element.size(), 50u);
  stream_framer exact{50};
  exact.feed("<stream:stream>" + element);
  ASSERT_TRUE(exact.next());
  auto f = exact.next();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->xml, element);
  stream_framer smaller{49};
  smaller.feed("<stream:stream>" + element);
  ASSERT_TRUE(smaller.next());
  EXPECT_FALSE(smaller.next());
  EXPECT_EQ(smaller.error(), framer_error::too_large);
}

TEST(stream_framer, a_cdata_opener_beyond_the_maximum_is_refused_before_it_is_buffered) {
  // Found by tests/fuzz/stream_fuzzer.cpp: waiting for the rest of "<![CDATA["
  // (or jumping over it) could leave up to 8 bytes more than the maximum held.
  for (std::string opener : {"<![CDAT", "<![CDATA["}) {
    stream_framer f{32};
    f.feed("<stream:stream>");
    ASSERT_TRUE(f.next());
    f.feed("<message><body>0123456789a" + opener);  // the full opener would end at byte 35
    EXPECT_FALSE(f.next());
    EXPECT_EQ(f.error(), framer_error::too_large) << opener;
  }
}

// ---- well-formedness: what a broken or hostile server may send after login ----

namespace {

// The failure framing `element` inside a stream gives ("" when it frames), fed
// whole and byte by byte (the checks are incremental: same outcome).
std::string element_failure(const std::string& element) {
  const auto whole = failure_of(header + element);
  stream_framer f{4096};
  std::vector<std::string> out;
  for (char c : header + element) {
    f.feed(std::string(1, c));
    drain(f, out);
  }
  EXPECT_EQ(f.error_message(), whole) << "byte by byte differs for " << element;
  return whole;
}

void expect_malformed(const std::string& element, const std::string& why) {
  const auto message = element_failure(element);
  EXPECT_NE(message.find(why), std::string::npos) << element << " gave: " << message;
}

}  // namespace

TEST(stream_framer, end_tags_must_match_their_start_tags) {
  expect_malformed("<message><body>hi</bodyy></message>",
                   "the end tag </bodyy> does not match <body>");
  expect_malformed("<message><body>hi</message>", "the end tag </message> does not match <body>");
  expect_malformed("<message><body>hi</></message>", "the end tag </> does not match <body>");
  expect_malformed("<message></message >x</message>", "text outside of a stanza");
  EXPECT_EQ(element_failure("<message><a:b x='1'><c/></a:b ></message\n>"), "");
}

TEST(stream_framer, start_tags_and_attributes_follow_xml_syntax) {
  expect_malformed("<message to=user></message>", "an attribute value without quotes");
  expect_malformed("<message to></message>", "an attribute without '=' and a value");
  expect_malformed("<message a='1'b='2'/>", "no white space between attributes");
  expect_malformed("<message a='1<'/>", "a '<' in an attribute value");
  expect_malformed("<message / >", "a '/' in a start tag not followed by '>'");
  expect_malformed("<message><1body/></message>", "a '<' that starts no tag");
  expect_malformed("<message>< body/></message>", "a '<' that starts no tag");
  expect_malformed("<message a='1' ?/>", "a character '?' in a start tag");
  expect_malformed("<message></message x>", "a character 'x' in an end tag");
  EXPECT_EQ(element_failure("<message a = '1' b=\"'\" c='\"'\n/>"), "");
}

TEST(stream_framer, only_predefined_entities_and_legal_character_references_pass) {
  EXPECT_EQ(element_failure("<m a='&lt;&#x41;&#65;'>&amp;&gt;&quot;&apos;&#x10FFFF;&#9;</m>"), "");
  expect_malformed("<m>&nbsp;</m>", "the entity &nbsp; is not one of the five XML predefines");
  expect_malformed("<m>a & b</m>", "a '&' that starts no entity or character reference");
  expect_malformed("<m>&#0;</m>", "&#0; refers to a character XML cannot carry");
  expect_malformed("<m>&#xD800;</m>", "refers to a character XML cannot carry");
  expect_malformed("<m>&#x110000;</m>", "refers to a character XML cannot carry");
  expect_malformed("<m>&#X41;</m>", "is not a character reference");
  expect_malformed("<m>&#;</m>", "is not a character reference");
  expect_malformed("<m a='&bogus;'/>", "the entity &bogus;");
  expect_malformed("<m>&ampampampampampamp;</m>", "a '&' that starts no entity");
}

TEST(stream_framer, control_characters_and_invalid_utf8_are_refused) {
  expect_malformed(std::string{"<m>a\0b</m>", 10}, "a control character '\\x00'");
  expect_malformed("<m>a\x1b[31m</m>", "a control character '\\x1b'");
  EXPECT_EQ(element_failure("<m>\t\r\n caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80</m>"), "");
  expect_malformed("<m>\xc3</m>", "invalid UTF-8");              // a truncated sequence
  expect_malformed("<m>\xc0\xaf</m>", "invalid UTF-8");          // overlong
  expect_malformed("<m>\xed\xa0\x80</m>", "invalid UTF-8");      // a surrogate
  expect_malformed("<m>\xf4\x90\x80\x80</m>", "invalid UTF-8");  // above U+10FFFF
  expect_malformed("<m a='\xff'/>", "invalid UTF-8");
  // The message quotes the bytes as \xHH: it goes to logs and JSON as it is.
  const auto message = element_failure("<m>\xff</m>");
  EXPECT_NE(message.find("\\xff"), std::string::npos) << message;
}

TEST(stream_framer, a_malformed_stanza_is_quoted_in_the_message) {
  const auto message = element_failure("<message from='x'><body>hi</bodyy></message>");
  EXPECT_NE(message.find("at \"<message from='x'><body>hi</bodyy>\""), std::string::npos)
    << message;
}

TEST(stream_framer, nesting_is_bounded_by_the_frame_size_alone) {
  // Deep nesting costs 4 bytes per open element beside the frame itself;
  // the frame maximum ends it.
  stream_framer f{1000};
  f.feed("<stream:stream>");
  ASSERT_TRUE(f.next());
  std::string deep;
  for (int i = 0; i < 300; ++i)
    deep += "<a>";
  f.feed(deep);
  EXPECT_FALSE(f.next());
  EXPECT_EQ(f.error(), framer_error::none);
  f.feed(deep);
  EXPECT_FALSE(f.next());
  EXPECT_EQ(f.error(), framer_error::too_large);
  std::string closed = "<m>";
  for (int i = 0; i < 100; ++i)
    closed += "<a>";
  for (int i = 0; i < 100; ++i)
    closed += "</a>";
  EXPECT_EQ(element_failure(closed + "</m>"), "");
}

TEST(stream_framer, end_tags_match_their_own_start_tags_beyond_the_inline_stack) {
  // The first open names are kept inline, deeper ones in a vector: distinct
  // names show that each end tag is compared with its own start tag.
  std::string open, close;
  for (int i = 1; i <= 10; ++i) {
    open += "<e" + std::to_string(i) + " a='x'>";
    close = "</e" + std::to_string(i) + ">" + close;
  }
  EXPECT_EQ(element_failure("<m>" + open + close + "</m>"), "");
  // Each depth around the boundary: the innermost end tag is wrong.
  for (int depth = 5; depth <= 9; ++depth) {
    std::string tags = "<m>", ends;
    for (int i = 1; i <= depth; ++i) {
      tags += "<e" + std::to_string(i) + ">";
      ends = "</e" + std::to_string(i) + ">" + ends;
    }
    const auto wrong = tags + "</e0>" + ends.substr(ends.find('>') + 1) + "</m>";
    EXPECT_NE(element_failure(wrong).find("does not match <e" + std::to_string(depth) + ">"),
              std::string::npos)
      << wrong << ": " << element_failure(wrong);
  }
}

TEST(stream_framer, checks_one_element_on_its_own_as_websocket_carries_it) {
  EXPECT_EQ(stream_framer::check_element("<message><body>x</body></message>", 4096), "");
  EXPECT_EQ(
    stream_framer::check_element("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>", 4096), "");
  EXPECT_NE(stream_framer::check_element("<message><body>x</body>", 4096).find("incomplete"),
            std::string::npos);
  EXPECT_NE(stream_framer::check_element("<a/><b/>", 4096).find("more than one element"),
            std::string::npos);
  EXPECT_NE(stream_framer::check_element("<a></b>", 4096).find("does not match"),
            std::string::npos);
  EXPECT_NE(
    stream_framer::check_element("<a>" + std::string(100, 'x') + "</a>", 64).find("maximum of 64"),
    std::string::npos);
}

TEST(stream_framer, long_runs_of_text_and_values_are_checked_at_every_offset) {
  // Runs of text and attribute values are passed 16 bytes at a time: every
  // byte that matters must still be seen wherever it falls in a block (and
  // the outcome must be the byte-by-byte one, which element_failure checks).
  const std::string pad(40, 'a');
  for (std::size_t k = 0; k <= pad.size(); ++k) {
    const auto text = [&](const std::string& x) {
      return "<m><b>" + pad.substr(0, k) + x + pad.substr(k) + "</b></m>";
    };
    const auto value = [&](const std::string& x) {
      return "<m a='" + pad.substr(0, k) + x + pad.substr(k) + "'/>";
    };
    SCOPED_TRACE("at offset " + std::to_string(k));
    for (const std::string ok :
         {"", "\t", "\r\n", "caf\xc3\xa9", "\xf0\x9f\x98\x80", "&amp;", "&#x41;", "~\x7f", ">"}) {
      EXPECT_EQ(element_failure(text(ok)), "");
      EXPECT_EQ(element_failure(value(ok)), "");
    }
    EXPECT_EQ(element_failure(value("\"")), "");  // the other quote
    expect_malformed(value("<"), "a '<' in an attribute value");
    expect_malformed(text("&bogus;"), "the entity &bogus;");
    expect_malformed(value("&bogus;"), "the entity &bogus;");
    expect_malformed(text("a & b"), "a '&' that starts no entity");
    for (const auto& make : {std::function{text}, std::function{value}}) {
      expect_malformed(make(std::string{"\0", 1}), "a control character '\\x00'");
      expect_malformed(make("\x1f"), "a control character '\\x1f'");
      expect_malformed(make("\xff"), "invalid UTF-8");
      expect_malformed(make("\xc3"), "invalid UTF-8");  // truncated by the next 'a'
      expect_malformed(make("\xe2\x82"), "invalid UTF-8");
    }
  }
}
