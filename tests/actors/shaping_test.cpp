// Throttles and coordinators in a running node, in simulated time: rates,
// changes, gradual changes, pauses, parallel limits, coordinator timeouts.

#include <algorithm>

#include "amoc/coordinator.hpp"
#include "amoc/throttle.hpp"
#include "fixture.hpp"
#include "shaping_node.hpp"
#include "test_scenarios.hpp"

using namespace std::chrono_literals;
using namespace amoc;
using namespace amoc::test;

namespace {

struct shaping_test : node_test {
  shaping_test() {
    recorder::get().reset();
    store.set_text("interarrival", "0");
    store.set_text("repeat_interval", "1ms");
  }

  std::uint64_t executions() { return metrics.counter("throttle.t.executions").value(); }

  // Calls the API as scenario code of this run would, then lets the node react.
  template <class F>
  void as_scenario(F&& f) {
    auto* node = static_cast<amoc::detail::shaping_node*>(recorder::get().shaping);
    ASSERT_NE(node, nullptr);
    {
      amoc::detail::shaping_node::scope in{node};
      f();
    }
    run();
  }

  // Executions during the next `span` of simulated time.
  std::uint64_t during(duration span) {
    const auto before = executions();
    advance(span);
    return executions() - before;
  }
};

}  // namespace

TEST_F(shaping_test, a_rate_holds_for_any_number_of_users) {
  store.set_text("t_rate", "10");
  ASSERT_FALSE(start("t_throttle", 1, 50));
  // Within every second: 10 actions, never a burst of the 50 users.
  EXPECT_LE(during(1ms), 1u) << "no burst at the start";
  for (int second = 0; second < 5; ++second) {
    const auto n = during(1s);
    EXPECT_GE(n, 9u);
    EXPECT_LE(n, 11u);
  }
  EXPECT_NEAR(static_cast<double>(during(10s)), 100.0, 1.0);
  EXPECT_GE(metrics.counter("throttle.t.requests").value(), executions());
}

TEST_F(shaping_test, change_rate_applies_to_waiting_users) {
  store.set_text("t_rate", "10");
  ASSERT_FALSE(start("t_throttle", 1, 20));
  advance(2s);
  as_scenario([] { throttle::change_rate("t", throttle::limit::rate(50, 1s)); });
  EXPECT_NEAR(static_cast<double>(during(4s)), 200.0, 2.0);
  as_scenario([] { throttle::change_rate("t", throttle::limit::interarrival(500ms)); });
  EXPECT_NEAR(static_cast<double>(during(4s)), 8.0, 1.0);
}

TEST_F(shaping_test, change_rate_gradually_steps_from_one_rate_to_the_other) {
  store.set_text("t_rate", "10");
  ASSERT_FALSE(start("t_throttle", 1, 100));
  as_scenario([] {
    throttle::change_rate_gradually("t", throttle::limit::rate(10, 1s),
                                    throttle::limit::rate(50, 1s), throttle::gradual::steps(4, 2s));
  });
  // 10/s for 2 s, then 20, 30, 40, and 50 from 8 s on.
  const double expected[] = {20, 40, 60, 80, 100, 100};
  for (double e : expected)
    EXPECT_NEAR(static_cast<double>(during(2s)), e, 2.0);
  // A later change_rate ends the ramp.
  as_scenario([] {
    throttle::change_rate_gradually("t", throttle::limit::rate(50, 1s),
                                    throttle::limit::rate(10, 1s), throttle::gradual::over(10s));
    throttle::change_rate("t", throttle::limit::rate(5, 1s));
  });
  EXPECT_NEAR(static_cast<double>(during(10s)), 50.0, 2.0);
}

TEST_F(shaping_test, pause_resume_unlock_and_stop) {
  store.set_text("t_rate", "10");
  ASSERT_FALSE(start("t_throttle", 1, 20));
  advance(1s);
  as_scenario([] { throttle::pause("t"); });
  EXPECT_EQ(during(3s), 0u) << "paused";
  as_scenario([] { throttle::resume("t"); });
  EXPECT_NEAR(static_cast<double>(during(3s)), 30.0, 1.0);
  as_scenario([] { throttle::unlock("t"); });
  EXPECT_GT(during(10ms), 100u) << "unlocked: every user goes at once, again and again";
  as_scenario([] { throttle::change_rate("t", throttle::limit::rate(10, 1s)); });
  EXPECT_NEAR(static_cast<double>(during(2s)), 20.0, 1.0) << "a change ends the unlock";
  as_scenario([] { throttle::stop("t"); });
  advance(10ms);
  EXPECT_EQ(current().users.ended[amoc::exit::scenario_error], 20u)
    << "stop lets the waiting users go; waiting at a stopped throttle is a scenario error";
}

TEST_F(shaping_test, bad_calls_throw_with_a_clear_message) {
  store.set_text("t_rate", "10");
  ASSERT_FALSE(start("t_throttle", 1, 1));
  as_scenario([] {
    EXPECT_THROW(throttle::pause("nope"), std::invalid_argument);
    EXPECT_THROW(throttle::start("t", throttle::limit::rate(20, 1s)), std::invalid_argument);
    EXPECT_NO_THROW(throttle::start("t", throttle::limit::rate(10, 1s)));
    EXPECT_THROW(throttle::start("x", throttle::limit::rate(-1, 1s)), std::invalid_argument);
    EXPECT_THROW(throttle::change_rate_gradually("t", throttle::limit::rate(1, 1s),
                                                 throttle::limit::parallel(3),
                                                 throttle::gradual::steps(2, 1s)),
                 std::invalid_argument);
  });
  EXPECT_THROW(throttle::pause("t"), std::logic_error) << "outside scenario code";
}

TEST_F(shaping_test, a_parallel_limit_bounds_running_actions) {
  store.set_text("t_parallel", "3");
  store.set_text("t_sleep", "1s");
  ASSERT_FALSE(start("t_throttle", 1, 10));
  // Three actions of one second at a time: three per second.
  EXPECT_NEAR(static_cast<double>(during(10s)), 30.0, 3.0);
  EXPECT_EQ(current().users.alive(), 10u);
}

TEST_F(shaping_test, a_parallel_place_is_freed_when_its_user_is_killed) {
  store.set_text("t_parallel", "1");
  store.set_text("t_sleep", "1h");
  ASSERT_FALSE(start("t_throttle", 1, 2));
  advance(10ms);
  EXPECT_EQ(executions(), 1u);
  EXPECT_EQ(remove(1, true), 1u) << "the waiting user 2 goes first (newest)";
  advance(10ms);
  EXPECT_EQ(executions(), 1u);
  // Stopping the user holding the place frees it (nobody waits now).
  EXPECT_EQ(remove(1, true), 1u);
  advance(10ms);
  EXPECT_EQ(current().users.alive(), 0u);
}

TEST_F(shaping_test, coordinator_pairs_users_and_times_out_the_odd_one) {
  store.set_text("repeat_num", "1");
  store.set_text("interarrival", "100ms");
  ASSERT_FALSE(start("t_coordinate", 1, 3));
  advance(1s);
  auto& seen = recorder::get().coordinated;
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"1 coordinate 2 peer 2", "2 coordinate 2 peer 1"}));
  advance(4s);
  EXPECT_EQ(seen.size(), 2u) << "the timeout counts from the last add (at 200 ms)";
  advance(300ms);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen.back(), "3 timeout 1 peer 0") << "a lone user is paired with nobody";
  advance(100ms);
  EXPECT_EQ(current().state, run_state::finished);
}

TEST_F(shaping_test, coordinator_stop_and_reset_resume_waiting_users) {
  store.set_text("repeat_num", "1");
  ASSERT_FALSE(start("t_coordinate", 1, 1));
  advance(10ms);
  as_scenario([] { coordinator::reset("c"); });
  advance(10ms);
  ASSERT_EQ(recorder::get().coordinated.size(), 1u);
  EXPECT_EQ(recorder::get().coordinated[0], "1 reset 1 peer 0");
}
