#include "links/frame_guard.hpp"

#include <string>

#include <gtest/gtest.h>

namespace {

using amoc::links::frame_guard;

// A BASP header: operation, 2 padding bytes, flags, then big-endian payload
// length, operation data, source and destination actor ids.
std::string header(std::uint8_t op, std::uint32_t payload, std::uint64_t data = 0,
                   std::uint64_t source = 0, std::uint64_t dest = 0) {
  std::string h(32, '\0');
  h[0] = static_cast<char>(op);
  auto put = [&](std::size_t at, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
      h[at + i] = static_cast<char>((v >> (8 * (bytes - 1 - i))) & 0xff);
  };
  put(4, payload, 4);
  put(8, data, 8);
  put(16, source, 8);
  put(24, dest, 8);
  return h;
}

std::string feed(frame_guard& g, const std::string& bytes) {
  return g.feed(std::as_bytes(std::span{bytes.data(), bytes.size()}));
}

TEST(frame_guard, passes_a_handshake_and_messages_in_any_split) {
  const auto stream = header(1, 10) + std::string(10, 'x') + header(2, 5, 0, 7, 9)
                      + std::string(5, 'y') + header(6, 0);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    frame_guard g{frame_guard::peer::dialling};
    EXPECT_EQ(feed(g, stream.substr(0, cut)), "");
    EXPECT_EQ(feed(g, stream.substr(cut)), "") << cut;
    EXPECT_TRUE(g.handshake_done());
  }
}

TEST(frame_guard, the_handshake_is_done_only_once_its_payload_passed) {
  frame_guard g{frame_guard::peer::dialled};
  EXPECT_EQ(feed(g, header(0, 4, 1)), "");
  EXPECT_FALSE(g.handshake_done());
  EXPECT_EQ(feed(g, "abcd"), "");
  EXPECT_TRUE(g.handshake_done());
}

TEST(frame_guard, refuses_a_first_message_that_is_not_the_expected_handshake) {
  frame_guard dialling{frame_guard::peer::dialling};
  EXPECT_NE(feed(dialling, header(0, 4, 1)).find("not a BASP handshake"), std::string::npos);
  frame_guard data_first{frame_guard::peer::dialling};
  EXPECT_NE(feed(data_first, header(2, 4, 0, 1, 2)).find("not a BASP handshake"),
            std::string::npos);
}

TEST(frame_guard, refuses_oversized_messages_with_a_tighter_limit_before_the_handshake) {
  frame_guard early{frame_guard::peer::dialling};
  EXPECT_EQ(feed(early, header(1, 0xffffffffu)),
            "a message of 4294967295 bytes, over the 64 KiB limit before the handshake");
  frame_guard later{frame_guard::peer::dialling};
  EXPECT_EQ(feed(later, header(1, 3) + "abc"), "");
  EXPECT_EQ(feed(later, header(2, amoc::links::max_frame_bytes, 0, 1, 2)), "");
  frame_guard over{frame_guard::peer::dialling};
  EXPECT_EQ(feed(over, header(1, 3) + "abc" + header(2, amoc::links::max_frame_bytes + 1, 0, 1, 2)),
            "a message of 67108865 bytes, over the 64 MiB limit");
}

// What CAF 0.17's BASP would crash on or misread.
TEST(frame_guard, refuses_malformed_headers) {
  for (const auto& bad : {header(1, 0),           // a handshake without payload: segfault
                          header(7, 0),           // no such operation
                          header(1, 4, 0, 1, 0),  // a client handshake with actor ids
                          header(6, 0, 1)}) {     // a heartbeat with data
    frame_guard g{frame_guard::peer::dialling};
    EXPECT_NE(feed(g, bad), "");
  }
  frame_guard g{frame_guard::peer::dialling};
  EXPECT_EQ(feed(g, header(1, 1) + "x"), "");
  EXPECT_NE(feed(g, header(2, 0, 0, 1, 2)), "");  // a message without payload
}

TEST(frame_guard, stays_failed) {
  frame_guard g{frame_guard::peer::dialling};
  const auto why = feed(g, std::string(32, '\xff'));
  EXPECT_EQ(why, "not a BASP message (operation 255)");
  EXPECT_EQ(feed(g, header(1, 1) + "x"), why);
}

}  // namespace
