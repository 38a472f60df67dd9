#include "timer_wheel.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

using namespace std::chrono_literals;
using amoc::detail::timer_hook;
using amoc::detail::timer_wheel;

namespace {

using tp = timer_wheel::time_point;
const tp t0{10s};

std::vector<timer_hook*> expire(timer_wheel& w, tp now, std::optional<tp>* next = nullptr) {
  std::vector<timer_hook*> fired;
  const auto wake = w.expire(now, [&](timer_hook& h) { fired.push_back(&h); });
  if (next)
    *next = wake;
  return fired;
}

}  // namespace

TEST(timer_wheel, fires_at_the_deadline_not_before) {
  timer_wheel w{1ms, 16};
  timer_hook a;
  EXPECT_TRUE(w.arm(a, t0, t0 + 5ms)) << "an idle wheel asks for its ticker";
  EXPECT_TRUE(expire(w, t0 + 4ms).empty());
  std::optional<tp> next;
  EXPECT_EQ(expire(w, t0 + 5ms, &next), (std::vector<timer_hook*>{&a}));
  EXPECT_FALSE(next) << "nothing left: the ticker may stop";
  EXPECT_FALSE(w.planned_wake());
  EXPECT_FALSE(a.linked());
}

TEST(timer_wheel, a_short_timer_after_a_long_one_is_not_delayed) {
  timer_wheel w{1ms, 16};
  timer_hook longer, shorter;
  EXPECT_TRUE(w.arm(longer, t0, t0 + 1h));
  EXPECT_TRUE(w.arm(shorter, t0, t0 + 2ms)) << "due before the plan: the ticker must look again";
  EXPECT_EQ(w.planned_wake(), t0 + 2ms);
  EXPECT_EQ(expire(w, t0 + 2ms), (std::vector<timer_hook*>{&shorter}));
  EXPECT_EQ(w.armed(), 1u);
}

TEST(timer_wheel, timers_longer_than_one_turn_wait_for_their_round) {
  timer_wheel w{1ms, 16};
  timer_hook a;
  (void)w.arm(a, t0, t0 + 160ms);  // 2.5 turns of 64 slots (16 is rounded up to a word)
  for (auto t = t0 + 1ms; t < t0 + 160ms; t += 1ms)
    ASSERT_TRUE(expire(w, t).empty()) << (t - t0).count();
  EXPECT_EQ(expire(w, t0 + 160ms).size(), 1u);
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

TEST(timer_wheel, the_ticker_sleeps_until_the_next_occupied_slot) {
  timer_wheel w{1ms, 65536};
  timer_hook a, b;
  EXPECT_TRUE(w.arm(a, t0, t0 + 30s));
  EXPECT_EQ(w.planned_wake(), t0 + 30s) << "one wakeup in 30 s, not 30,000";
  EXPECT_FALSE(w.arm(b, t0, t0 + 45s)) << "later than the plan: nothing to tell the ticker";
  std::optional<tp> next;
  EXPECT_EQ(expire(w, t0 + 30s, &next), (std::vector<timer_hook*>{&a}));
  EXPECT_EQ(next, t0 + 45s);
  EXPECT_EQ(expire(w, t0 + 45s, &next), (std::vector<timer_hook*>{&b}));
  EXPECT_FALSE(next);
}

TEST(timer_wheel, a_disarmed_timer_leaves_no_wakeup_behind) {
  timer_wheel w{1ms, 64};
  timer_hook a, b;
  (void)w.arm(a, t0, t0 + 5ms);
  (void)w.arm(b, t0, t0 + 40ms);
  w.disarm(a);
  std::optional<tp> next;
  EXPECT_TRUE(expire(w, t0 + 5ms, &next).empty());
  EXPECT_EQ(next, t0 + 40ms) << "slot 5 is empty again: the next wake is b's";
}

TEST(timer_wheel, the_next_slot_is_found_across_the_end_of_the_wheel) {
  timer_wheel w{1ms, 128};
  timer_hook a, b;
  const tp start{std::chrono::milliseconds{100 * 128 + 120}};  // slot 120 of 128
  (void)w.arm(a, start, start + 5ms);                          // slot 125
  (void)w.arm(b, start, start + 20ms);                         // slot 12, after the wrap
  std::optional<tp> next;
  EXPECT_EQ(expire(w, start + 5ms, &next).size(), 1u);
  EXPECT_EQ(next, start + 20ms);
  EXPECT_EQ(expire(w, start + 20ms, &next), (std::vector<timer_hook*>{&b}));
}

TEST(timer_wheel, a_timer_beyond_one_turn_wakes_the_ticker_once_per_turn_at_most) {
  timer_wheel w{1ms, 64};
  timer_hook a;
  (void)w.arm(a, t0, t0 + 200ms);  // 3 turns and 8 slots away
  int wakeups = 0;
  std::optional<tp> next = w.planned_wake();
  while (next && wakeups < 10) {
    ++wakeups;
    (void)expire(w, *next, &next);
  }
  EXPECT_FALSE(next) << "fired";
  EXPECT_LE(wakeups, 4);
}

TEST(timer_wheel, its_own_timer_expires_like_a_hook_and_rings_its_callback) {
  timer_wheel w{1ms, 16};
  int rung = 0;
  w.set_own([&] { ++rung; });
  timer_hook user;
  EXPECT_TRUE(w.arm_own(t0, t0 + 3ms)) << "an idle wheel asks for its ticker";
  EXPECT_FALSE(w.arm(user, t0, t0 + 5ms));
  const auto fired = expire(w, t0 + 3ms);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_TRUE(w.is_own(*fired.front()));
  EXPECT_FALSE(w.is_own(user));
  w.ring_own();
  EXPECT_EQ(rung, 1);
  EXPECT_TRUE(w.arm_own(t0 + 3ms, t0 + 4ms)) << "earlier than the user's: the plan moves";
  w.disarm_own();
  EXPECT_EQ(expire(w, t0 + 5ms), (std::vector<timer_hook*>{&user}))
    << "a disarmed own timer does not fire";
}
