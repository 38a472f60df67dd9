#include "amoc/xmpp/stream_framer.hpp"

#include <gtest/gtest.h>

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
