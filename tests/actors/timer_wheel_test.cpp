#include "timer_wheel.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace std::chrono_literals;
using amoc::detail::timer_hook;
using amoc::detail::timer_wheel;

namespace {

using tp = timer_wheel::time_point;
const tp t0{10s};

std::vector<timer_hook*> expire(timer_wheel& w, tp now, bool* more = nullptr) {
  std::vector<timer_hook*> fired;
  const bool left = w.expire(now, [&](timer_hook& h) { fired.push_back(&h); });
  if (more)
    *more = left;
  return fired;
}

}  // namespace

TEST(timer_wheel, fires_at_the_deadline_not_before) {
  timer_wheel w{1ms, 16};
  timer_hook a;
  EXPECT_TRUE(w.arm(a, t0, t0 + 5ms)) << "an idle wheel asks for its ticker";
  EXPECT_TRUE(expire(w, t0 + 4ms).empty());
  bool more = false;
  EXPECT_EQ(expire(w, t0 + 5ms, &more), (std::vector<timer_hook*>{&a}));
  EXPECT_FALSE(more) << "nothing left: the ticker may stop";
  EXPECT_FALSE(a.linked());
}

TEST(timer_wheel, a_short_timer_after_a_long_one_is_not_delayed) {
  timer_wheel w{1ms, 16};
  timer_hook longer, shorter;
  EXPECT_TRUE(w.arm(longer, t0, t0 + 1h));
  EXPECT_FALSE(w.arm(shorter, t0, t0 + 2ms)) << "already ticking";
  EXPECT_EQ(expire(w, t0 + 2ms), (std::vector<timer_hook*>{&shorter}));
  EXPECT_EQ(w.armed(), 1u);
}

TEST(timer_wheel, timers_longer_than_one_turn_wait_for_their_round) {
  timer_wheel w{1ms, 16};
  timer_hook a;
  (void)w.arm(a, t0, t0 + 40ms);  // 2.5 turns of 16 slots
  for (auto t = t0 + 1ms; t < t0 + 40ms; t += 1ms)
    ASSERT_TRUE(expire(w, t).empty()) << (t - t0).count();
  EXPECT_EQ(expire(w, t0 + 40ms).size(), 1u);
}

TEST(timer_wheel, a_late_tick_catches_up) {
  timer_wheel w{1ms, 16};
  timer_hook a, b, c;
  (void)w.arm(a, t0, t0 + 3ms);
  (void)w.arm(b, t0, t0 + 9ms);
  (void)w.arm(c, t0, t0 + 100ms);
  EXPECT_EQ(expire(w, t0 + 50ms).size(), 2u);
  EXPECT_EQ(expire(w, t0 + 100ms).size(), 1u);
}

TEST(timer_wheel, rearming_moves_and_disarming_removes) {
  timer_wheel w{1ms, 16};
  timer_hook a, b;
  (void)w.arm(a, t0, t0 + 3ms);
  (void)w.arm(a, t0, t0 + 8ms);
  (void)w.arm(b, t0, t0 + 3ms);
  w.disarm(b);
  EXPECT_EQ(w.armed(), 1u);
  EXPECT_TRUE(expire(w, t0 + 7ms).empty());
  EXPECT_EQ(expire(w, t0 + 8ms), (std::vector<timer_hook*>{&a}));
  w.disarm(a);  // disarming an expired hook is harmless
}

TEST(timer_wheel, rounds_deadlines_up_to_the_resolution) {
  timer_wheel w{10ms, 16};
  timer_hook a;
  (void)w.arm(a, t0, t0 + 11ms);
  EXPECT_TRUE(expire(w, t0 + 19ms).empty());
  EXPECT_EQ(expire(w, t0 + 20ms).size(), 1u);
}
