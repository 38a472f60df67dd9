#include "amoc/config.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using amoc::count;
using amoc::duration;
using amoc::parse_duration;

TEST(duration, parses_every_unit) {
  EXPECT_EQ(parse_duration("10ns"), duration{10ns});
  EXPECT_EQ(parse_duration("250us"), duration{250us});
  EXPECT_EQ(parse_duration("50ms"), duration{50ms});
  EXPECT_EQ(parse_duration("2s"), duration{2s});
  EXPECT_EQ(parse_duration("3m"), duration{3min});
  EXPECT_EQ(parse_duration("1h"), duration{1h});
}

TEST(duration, bare_number_means_milliseconds) {
  EXPECT_EQ(parse_duration("75"), duration{75ms});
  EXPECT_EQ(parse_duration("0"), duration::zero());
  EXPECT_EQ(parse_duration("1.5"), duration{1500us});
}

TEST(duration, parses_decimals_exactly) {
  EXPECT_EQ(parse_duration("1.5s"), duration{1500ms});
  EXPECT_EQ(parse_duration("0.25h"), duration{15min});
  EXPECT_EQ(parse_duration("2.5m"), duration{150s});
  EXPECT_EQ(parse_duration("0.001ms"), duration{1us});
  EXPECT_EQ(parse_duration("1.000000001s"), duration{1'000'000'001ns});
  EXPECT_EQ(parse_duration("1.5ns"), duration{1ns});  // below a nanosecond rounds down
}

TEST(duration, trims_whitespace) {
  EXPECT_EQ(parse_duration("  50ms\t\n"), duration{50ms});
  EXPECT_EQ(parse_duration(" 2 s "), duration{2s});
}

TEST(duration, rejects_garbage_and_negatives) {
  for (const char* text : {"", "  ", "abc", "-5ms", "-1", "+5ms", "5 m s", "5sec", "ms", "1.s",
                           ".5s", "1..5s", "5S", "1e3ms", "5ms5", "5ms!"})
    EXPECT_EQ(parse_duration(text), std::nullopt) << '"' << text << '"';
}

TEST(duration, rejects_overflow) {
  EXPECT_EQ(parse_duration("3000000h"), std::nullopt);
  EXPECT_EQ(parse_duration("99999999999999999999999ns"), std::nullopt);
  EXPECT_EQ(parse_duration("9223372036854775807ns"), duration::max());
  EXPECT_EQ(parse_duration("9223372036854775808ns"), std::nullopt);
}

TEST(duration, renders_shortest_exact_unit) {
  EXPECT_EQ(amoc::to_string(duration{50ms}), "50ms");
  EXPECT_EQ(amoc::to_string(duration{2s}), "2s");
  EXPECT_EQ(amoc::to_string(duration{60s}), "1m");
  EXPECT_EQ(amoc::to_string(duration{90min}), "90m");
  EXPECT_EQ(amoc::to_string(duration{2h}), "2h");
  EXPECT_EQ(amoc::to_string(duration{250us}), "250us");
  EXPECT_EQ(amoc::to_string(duration{10ns}), "10ns");
  EXPECT_EQ(amoc::to_string(duration{1500ms}), "1500ms");
  EXPECT_EQ(amoc::to_string(duration::zero()), "0ms");
  EXPECT_EQ(amoc::to_string(duration{-3s}), "-3s");
}

TEST(duration, round_trips) {
  for (auto d : {duration{1ns}, duration{1001us}, duration{61s}, duration{25h}, duration::max()})
    EXPECT_EQ(parse_duration(amoc::to_string(d)), d) << amoc::to_string(d);
}

TEST(count, renders_infinity_or_number) {
  EXPECT_EQ(amoc::to_string(count::infinity()), "infinity");
  EXPECT_EQ(amoc::to_string(count{42}), "42");
  EXPECT_EQ(amoc::to_string(count{0}), "0");
  EXPECT_TRUE(count{}.infinite());
  EXPECT_FALSE(count{7}.infinite());
}
