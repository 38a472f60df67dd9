// The user supervisor, driven through a local node in simulated time.

#include <algorithm>

#include "fixture.hpp"
#include "test_scenarios.hpp"

using namespace std::chrono_literals;
using namespace amoc;
using namespace amoc::test;

namespace {

struct supervisor_test : node_test {
  supervisor_test() { recorder::get().reset(); }
  std::vector<std::uint64_t> started_ids() { return recorder::get().iterations_started; }
  std::vector<std::uint64_t> destroyed_ids() { return recorder::get().frames_destroyed; }
};

}  // namespace

TEST_F(supervisor_test, spawns_users_one_interarrival_apart) {
  store.set_text("interarrival", "100ms");
  store.set_text("t_sleep", "1h");
  ASSERT_FALSE(start("t_sleep", 1, 5));
  EXPECT_EQ(current().users.started, 1u);
  EXPECT_EQ(current().users.pending, 4u);
  advance(99ms);
  EXPECT_EQ(current().users.started, 1u) << "not before the interarrival";
  advance(1ms);
  EXPECT_EQ(current().users.started, 2u);
  advance(300ms);
  EXPECT_EQ(current().users.started, 5u);
  EXPECT_EQ(current().users.running, 5u);
  EXPECT_EQ(started_ids(), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
}

TEST_F(supervisor_test, zero_interarrival_spawns_all_at_once_in_batches) {
  store.set_text("interarrival", "0");
  store.set_text("t_sleep", "1h");
  ASSERT_FALSE(start("t_sleep", 1, 5000));  // more than one spawn batch
  auto st = current();
  EXPECT_EQ(st.users.started, 5000u);
  EXPECT_EQ(st.users.running, 5000u);
  EXPECT_EQ(st.users.pending, 0u);
}

TEST_F(supervisor_test, repeats_after_repeat_interval_repeat_num_times) {
  store.set_text("interarrival", "0");
  store.set_text("t_sleep", "100ms");
  store.set_text("repeat_interval", "1s");
  store.set_text("repeat_num", "3");
  ASSERT_FALSE(start("t_sleep", 1, 2));
  advance(100ms);
  EXPECT_EQ(recorder::get().iterations_done.size(), 2u);
  EXPECT_EQ(current().users.waiting, 2u);
  advance(999ms);
  EXPECT_EQ(recorder::get().iterations_started.size(), 2u) << "not before repeat_interval";
  advance(1ms);
  EXPECT_EQ(recorder::get().iterations_started.size(), 4u);
  advance(2200ms);
  EXPECT_EQ(recorder::get().iterations_done.size(), 6u);
  EXPECT_EQ(ended(amoc::exit::normal), 2u);
  EXPECT_EQ(current().state, run_state::finished);
  EXPECT_EQ(recorder::get().terminates, 1);
}

TEST_F(supervisor_test, graceful_remove_lets_the_newest_finish_their_iteration) {
  store.set_text("interarrival", "0");
  store.set_text("t_sleep", "10s");
  store.set_text("repeat_interval", "0");
  ASSERT_FALSE(start("t_sleep", 1, 5));
  EXPECT_EQ(remove(2, false), 2u);
  EXPECT_EQ(current().users.stopping, 2u);
  EXPECT_EQ(current().users.running, 3u);
  advance(10s, 100ms);
  EXPECT_EQ(ended(amoc::exit::graceful_stop), 2u);
  EXPECT_TRUE(destroyed_ids().empty()) << "graceful stop must not cut an iteration";
  // The stopped users (4 and 5) finished their iteration and did not start again.
  auto starts = started_ids();
  EXPECT_EQ(std::count(starts.begin(), starts.end(), 5u), 1);
  EXPECT_EQ(std::count(starts.begin(), starts.end(), 1u), 2);
  EXPECT_EQ(current().users.alive(), 3u);
}

TEST_F(supervisor_test, forced_remove_destroys_the_newest_coroutines_at_once) {
  store.set_text("interarrival", "0");
  store.set_text("t_sleep", "1h");
  ASSERT_FALSE(start("t_sleep", 1, 5));
  EXPECT_EQ(remove(2, true), 2u);
  run();
  EXPECT_EQ(ended(amoc::exit::forced_stop), 2u);
  auto destroyed = destroyed_ids();
  std::sort(destroyed.begin(), destroyed.end());
  EXPECT_EQ(destroyed, (std::vector<std::uint64_t>{4, 5}));
  EXPECT_EQ(current().users.running, 3u);
}

TEST_F(supervisor_test, remove_takes_pending_users_before_running_ones) {
  store.set_text("interarrival", "1s");
  store.set_text("t_sleep", "1h");
  ASSERT_FALSE(start("t_sleep", 1, 5));
  EXPECT_EQ(remove(3, true), 3u);
  auto st = current();
  EXPECT_EQ(st.users.pending, 1u);
  EXPECT_EQ(st.users.running, 1u);
  EXPECT_EQ(st.users.ended_total(), 0u) << "never-started users did not end";
  advance(5s, 100ms);
  EXPECT_EQ(started_ids(), (std::vector<std::uint64_t>{1, 2}));
}

TEST_F(supervisor_test, a_scenario_error_ends_only_that_user) {
  store.set_text("interarrival", "0");
  store.set_text("repeat_interval", "0");
  store.set_text("repeat_num", "3");
  store.set_text("t_throw_at", "2");
  ASSERT_FALSE(start("t_throw", 1, 4));
  advance(100ms);
  EXPECT_EQ(ended(amoc::exit::scenario_error), 4u);
  EXPECT_EQ(recorder::get().iterations_done.size(), 4u) << "first iterations completed";
  EXPECT_EQ(current().state, run_state::finished);
}

TEST_F(supervisor_test, users_finishing_without_awaiting_repeat_and_end) {
  store.set_text("interarrival", "0");
  store.set_text("repeat_interval", "10ms");
  store.set_text("repeat_num", "5");
  ASSERT_FALSE(start("t_instant", 1, 3));
  advance(100ms);
  EXPECT_EQ(recorder::get().iterations_done.size(), 15u);
  EXPECT_EQ(ended(amoc::exit::normal), 3u);
}

TEST_F(supervisor_test, nested_tasks_resume_their_callers) {
  store.set_text("interarrival", "0");
  store.set_text("repeat_num", "1");
  ASSERT_FALSE(start("t_nested", 1, 2));
  advance(20ms);
  EXPECT_EQ(recorder::get().iterations_done.size(), 2u);
  EXPECT_EQ(ended(amoc::exit::normal), 2u);
  EXPECT_TRUE(destroyed_ids().empty());
}

TEST_F(supervisor_test, forced_stop_destroys_nested_frames) {
  store.set_text("interarrival", "0");
  ASSERT_FALSE(start("t_nested", 1, 1));
  EXPECT_EQ(remove(1, true), 1u);
  run();
  EXPECT_EQ(destroyed_ids(), (std::vector<std::uint64_t>{1}));
}
