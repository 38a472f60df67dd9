// The throttle table without actors: slots, shares, pauses, parallel places.

#include <gtest/gtest.h>

#include <vector>

#include "throttle_table.hpp"

using namespace std::chrono_literals;
using namespace amoc;
using amoc::detail::throttle_spec;
using amoc::detail::throttle_table;

namespace {

// An action waiting at the table: remembers being let through.
struct action final : throttle::detail::request {
  explicit action(bool keeps_place = false) : request(keeps_place) {}
  void grant() noexcept override { granted = true; }
  bool granted = false;
};

struct throttle_table_test : ::testing::Test {
  using tp = throttle_table::time_point;
  tp t0 = tp{} + 1h;
  throttle_table table;

  // Counts how many of `n` back-to-back requests at `now` pass at once.
  int passing(int n, tp now) {
    int passed = 0;
    for (int i = 0; i < n; ++i) {
      auto& w = actions.emplace_back(std::make_unique<action>());
      passed += table.acquire("t", *w, now) ? 1 : 0;
    }
    return passed;
  }

  std::vector<std::unique_ptr<action>> actions;

  ~throttle_table_test() override { table.clear(); }
};

}  // namespace

TEST_F(throttle_table_test, a_rate_lets_actions_through_one_gap_apart) {
  ASSERT_TRUE(table.define("t", throttle::limit::rate(10, 1s)));
  EXPECT_EQ(passing(5, t0), 1) << "one at once, the rest queue: no burst";
  EXPECT_EQ(table.queued("t"), 4u);
  auto next = table.release_due(t0 + 50ms);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, t0 + 100ms) << "the next slot is 100 ms after the first";
  EXPECT_EQ(table.queued("t"), 4u);
  next = table.release_due(t0 + 100ms);
  EXPECT_EQ(table.queued("t"), 3u);
  // A late tick does not shift the slots: the one after is still at +200 ms.
  next = table.release_due(t0 + 190ms);
  EXPECT_EQ(*next, t0 + 200ms);
  table.release_due(t0 + 230ms);
  EXPECT_EQ(*table.release_due(t0 + 230ms), t0 + 300ms) << "slots stay absolute after a late tick";
}

TEST_F(throttle_table_test, an_idle_throttle_does_not_burst_afterwards) {
  table.define("t", throttle::limit::rate(10, 1s));
  EXPECT_EQ(passing(1, t0), 1);
  EXPECT_EQ(passing(3, t0 + 10s), 1) << "ten idle seconds are not saved up";
}

TEST_F(throttle_table_test, a_late_tick_catches_up_a_little_not_a_lot) {
  table.define("t", throttle::limit::rate(1000, 1s));
  EXPECT_EQ(passing(6, t0), 1);
  table.release_due(t0 + 10ms);
  EXPECT_EQ(table.queued("t"), 0u) << "slots missed by 10 ms of lateness still go";
  EXPECT_EQ(passing(3, t0 + 10ms), 3) << "the slots up to +10 ms were not all used";
  EXPECT_EQ(passing(3, t0 + 1s), 1) << "a second behind is idleness, not lateness";
}

TEST_F(throttle_table_test, nodes_share_the_rate) {
  table.set_nodes(4);
  table.define("t", throttle::limit::rate(100, 1s));
  passing(3, t0);
  EXPECT_EQ(*table.release_due(t0), t0 + 40ms) << "a quarter of 100/s: one every 40 ms";
}

TEST_F(throttle_table_test, pause_holds_and_resume_releases) {
  table.define("t", throttle::limit::rate(1000, 1s));
  table.apply("t", throttle_spec{throttle::limit::rate(1000, 1s), true, false}, t0);
  EXPECT_EQ(passing(2, t0), 0);
  EXPECT_FALSE(table.release_due(t0 + 1s)) << "paused: nothing is due";
  table.apply("t", throttle_spec{throttle::limit::rate(1000, 1s), false, false}, t0 + 1s);
  EXPECT_EQ(table.queued("t"), 1u) << "one slot at the resume, the next a gap later";
  table.release_due(t0 + 1s + 1ms);
  EXPECT_EQ(table.queued("t"), 0u);
}

TEST_F(throttle_table_test, unlock_lets_everything_through_and_stop_frees_waiters) {
  table.define("t", throttle::limit::rate(0, 1s));
  EXPECT_EQ(passing(3, t0), 0) << "rate 0 blocks";
  table.apply("t", throttle_spec{throttle::limit::rate(0, 1s), false, true}, t0);
  EXPECT_EQ(table.queued("t"), 0u) << "unlocked: the queue drains";
  EXPECT_TRUE(actions.back()->granted);
  EXPECT_EQ(passing(3, t0), 3);
  table.apply("t", throttle_spec{throttle::limit::rate(0, 1s), false, false}, t0);
  EXPECT_EQ(passing(2, t0), 0);
  table.apply("t", std::nullopt, t0);
  EXPECT_FALSE(table.contains("t"));
  EXPECT_EQ(table.queued("t"), 0u);
}

TEST_F(throttle_table_test, a_parallel_limit_counts_running_actions) {
  table.define("t", throttle::limit::parallel(2));
  action a{true}, b{true}, c{true};
  EXPECT_TRUE(table.acquire("t", a, t0));
  EXPECT_TRUE(table.acquire("t", b, t0));
  EXPECT_FALSE(table.acquire("t", c, t0));
  table.finished("t", t0);
  EXPECT_TRUE(c.granted) << "a finished action hands its place on";
  EXPECT_EQ(table.queued("t"), 0u);
}

TEST_F(throttle_table_test, define_refuses_another_limit) {
  EXPECT_TRUE(table.define("t", throttle::limit::rate(10, 1s)));
  EXPECT_TRUE(table.define("t", throttle::limit::rate(10, 1s)));
  EXPECT_FALSE(table.define("t", throttle::limit::rate(20, 1s)));
}
