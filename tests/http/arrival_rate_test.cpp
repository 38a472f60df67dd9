#include "amoc/http/arrival_rate.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace amoc::http {
namespace {

using namespace std::chrono_literals;

double ms(duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

TEST(http_rate_plan, a_constant_rate_spaces_arrivals_evenly) {
  const rate_plan p{200, 0, 0s, 1s};
  EXPECT_EQ(p.validate(), "");
  EXPECT_DOUBLE_EQ(ms(*p.arrival(0)), 0);
  EXPECT_DOUBLE_EQ(ms(*p.arrival(1)), 5);
  EXPECT_DOUBLE_EQ(ms(*p.arrival(199)), 995);
  EXPECT_FALSE(p.arrival(200));  // at 1 s: the plan is over
  EXPECT_DOUBLE_EQ(p.arrivals_until(1s), 200);
}

TEST(http_rate_plan, a_ramp_integrates_its_rate) {
  const rate_plan p{300, 100, 2s, 0s};  // 100 -> 300 over 2 s: 400 arrivals, then 300/s
  EXPECT_DOUBLE_EQ(p.arrivals_until(2s), 400);
  EXPECT_DOUBLE_EQ(p.arrivals_until(1s), 150);  // 100 + 200/2/2... = 100*1 + 200*1/4
  EXPECT_NEAR(ms(*p.arrival(150)), 1000, 1e-6);
  EXPECT_NEAR(ms(*p.arrival(400)), 2000, 1e-6);
  EXPECT_NEAR(ms(*p.arrival(700)), 3000, 1e-6);
  // Arrivals come closer together as the rate rises.
  EXPECT_GT(ms(*p.arrival(1) - *p.arrival(0)), ms(*p.arrival(399) - *p.arrival(398)));
}

TEST(http_rate_plan, ramps_from_zero_and_down_to_zero) {
  const rate_plan up{100, 0, 1s, 0s};
  EXPECT_DOUBLE_EQ(up.arrivals_until(1s), 50);
  EXPECT_NEAR(ms(*up.arrival(50)), 1000, 1e-6);
  const rate_plan down{0, 100, 1s, 0s};
  EXPECT_TRUE(down.enabled());
  EXPECT_NEAR(ms(*down.arrival(25)), 292.893, 0.01);  // 100t - 50t^2 = 25
  EXPECT_FALSE(down.arrival(50));
}

TEST(http_rate_plan, splits_between_nodes_and_validates) {
  const rate_plan p{900, 300, 1s, 10s};
  const auto share = p.per_node(3);
  EXPECT_DOUBLE_EQ(share.rate, 300);
  EXPECT_DOUBLE_EQ(share.start_rate, 100);
  EXPECT_DOUBLE_EQ(share.arrivals_until(5s) * 3, p.arrivals_until(5s));
  EXPECT_FALSE(rate_plan{}.enabled());
  EXPECT_FALSE(rate_plan{}.arrival(0));
  EXPECT_NE(rate_plan{-1}.validate(), "");
  EXPECT_NE((rate_plan{1, 0, -1s}.validate()), "");
}

TEST(http_arrival_schedule, hands_out_each_arrival_once_across_threads) {
  arrival_schedule s{rate_plan{1000, 0, 0s, 1s}};
  std::atomic<int> got{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      while (s.next())
        ++got;
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(got.load(), 1000);
}

TEST(http_arrival_schedule, starts_its_clock_at_the_first_arrival) {
  arrival_schedule s{rate_plan{10, 0, 0s, 0s}};
  const auto before = arrival_schedule::clock::now();
  const auto first = *s.next();
  const auto second = *s.next();
  EXPECT_GE(first, before);
  EXPECT_LE(first, arrival_schedule::clock::now());
  EXPECT_EQ(second - first, 100ms);
}

}  // namespace
}  // namespace amoc::http
