// The control API on the real scheduler, with the built-in dummy scenario.

#include "amoc/runtime.hpp"

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/settings.hpp"

using namespace std::chrono_literals;
using namespace amoc;

namespace {

struct runtime_test : ::testing::Test {
  config::store store;
  runtime rt{runtime::options::local(&store, 2)};

  runtime_test() {
    store.set_text("interarrival", "0");
    store.set_text("repeat_interval", "10ms");
  }

  std::uint64_t ended(const status& st, amoc::exit reason) { return st.users.ended[reason]; }
};

// Threads of this process named `name` now.
int threads_named(const std::string& name) {
  int n = 0;
  for (const auto& task : std::filesystem::directory_iterator{"/proc/self/task"}) {
    std::ifstream comm{task.path() / "comm"};
    std::string line;
    n += std::getline(comm, line) && line == name ? 1 : 0;
  }
  return n;
}

}  // namespace

TEST_F(runtime_test, runs_to_completion_and_reports_end_reasons) {
  store.set_text("dummy_sleep", "20ms");
  store.set_text("repeat_num", "2");
  ASSERT_FALSE(rt.start("dummy", 1, 50));
  auto st = rt.wait(10s);
  ASSERT_TRUE(st) << render(st.error());
  EXPECT_EQ(st->state, run_state::finished);
  auto full = rt.status();
  ASSERT_TRUE(full);
  EXPECT_EQ(full->users.started, 50u);
  EXPECT_EQ(ended(*full, amoc::exit::normal), 50u);
}

TEST_F(runtime_test, add_remove_and_stop) {
  store.set_text("dummy_sleep", "10s");
  ASSERT_FALSE(rt.start("dummy", 1, 10));
  ASSERT_FALSE(rt.add(5));
  std::this_thread::sleep_for(50ms);
  auto removed = rt.remove(3, true);
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 3u);
  ASSERT_FALSE(rt.stop(true));
  auto st = rt.wait(10s);
  ASSERT_TRUE(st);
  auto full = rt.status();
  ASSERT_TRUE(full);
  EXPECT_EQ(full->state, run_state::finished);
  EXPECT_EQ(full->users.started, 15u);
  EXPECT_EQ(ended(*full, amoc::exit::forced_stop), 15u);
  EXPECT_EQ(full->next_id, 16u);
}

TEST_F(runtime_test, wait_times_out_with_a_clear_error) {
  store.set_text("dummy_sleep", "1h");
  ASSERT_FALSE(rt.start("dummy", 1, 2));
  auto st = rt.wait(50ms);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error(), make_error(ec::timeout, "the run did not end within 50ms"));
}

TEST_F(runtime_test, destruction_stops_running_users) {
  // The fixture's runtime is destroyed with users sleeping for an hour; the
  // test passes if that returns promptly.
  store.set_text("dummy_sleep", "1h");
  ASSERT_FALSE(rt.start("dummy", 1, 1000));
}

TEST(runtime, node_threads_gives_a_node_its_worker_threads) {
  config::store store;
  EXPECT_EQ(node_threads(store), 0u) << "one per core by default";
  store.set_text("node_threads", "3");
  const auto before = threads_named("amoc.worker");
  {
    runtime rt{runtime::options::local(&store, node_threads(store))};
    // Each thread names itself once it runs.
    for (int i = 0; i < 200 && threads_named("amoc.worker") - before < 3; ++i)
      std::this_thread::sleep_for(10ms);
    EXPECT_EQ(threads_named("amoc.worker") - before, 3);
  }
  for (const auto* bad : {"-1", "1025"}) {
    store.set_text("node_threads", bad);
    try {
      (void)node_threads(store);
      ADD_FAILURE() << "node_threads " << bad << " was taken";
    } catch (const config::error& e) {
      EXPECT_EQ(e.key(), "node_threads");
      EXPECT_NE(std::string{e.what()}.find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(runtime, two_runtimes_live_side_by_side) {
  config::store a_store, b_store;
  for (auto* s : {&a_store, &b_store}) {
    s->set_text("interarrival", "0");
    s->set_text("repeat_num", "1");
    s->set_text("dummy_sleep", "1ms");
  }
  runtime a{runtime::options::local(&a_store, 1)};
  runtime b{runtime::options::local(&b_store, 1)};
  ASSERT_FALSE(a.start("dummy", 1, 10));
  ASSERT_FALSE(b.start("dummy", 1, 20));
  auto sa = a.wait(10s), sb = b.wait(10s);
  ASSERT_TRUE(sa && sb);
  EXPECT_EQ(a.status()->users.started, 10u);
  EXPECT_EQ(b.status()->users.started, 20u);
}

TEST_F(runtime_test, live_settings_change_a_running_run) {
  store.set_text("dummy_sleep", "5ms");
  store.set_text("repeat_num", "infinity");
  store.set_text("interarrival", "1h");
  ASSERT_FALSE(rt.start("dummy", 1, 20));
  // One user spawned, nineteen waiting an hour each: a faster pace lets them in.
  ASSERT_FALSE(rt.update_settings({{"interarrival", "1ms"}}));
  for (int i = 0; i < 200 && rt.status()->users.started < 20; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(rt.status()->users.started, 20u);
  // Users repeat forever until repeat_num says otherwise.
  ASSERT_FALSE(rt.update_settings({{"repeat_num", 1}}));
  auto st = rt.wait(10s);
  ASSERT_TRUE(st) << render(st.error());
  EXPECT_EQ(ended(*rt.status(), amoc::exit::normal), 20u);
}

TEST_F(runtime_test, live_settings_refuse_read_only_and_bad_values) {
  store.set_text("dummy_sleep", "1h");
  ASSERT_FALSE(rt.start("dummy", 1, 2));
  auto read_only = rt.update_settings({{"dummy_sleep", "1ms"}});
  EXPECT_EQ(read_only.code(), static_cast<std::uint8_t>(ec::read_only_setting));
  auto bad = rt.update_settings({{"repeat_interval", "-1s"}});
  EXPECT_EQ(bad.code(), static_cast<std::uint8_t>(ec::invalid_config));
  auto unknown = rt.update_settings({{"no_such_setting", 1}});
  EXPECT_NE(render(unknown).find("no_such_setting is not a setting"), std::string::npos);
  EXPECT_EQ(rt.update_settings({{"interarrival", "1ms"}}, {"node1"}).code(),
            static_cast<std::uint8_t>(ec::invalid_argument));
  EXPECT_EQ(store.get<duration>("repeat_interval"), std::chrono::milliseconds{10});
}

TEST_F(runtime_test, user_counts_and_ids_are_bounded_so_nothing_wraps) {
  constexpr auto most = defaults::runtime::max_users_per_request;
  auto far = rt.start("dummy", std::uint64_t{1} << 62, (std::uint64_t{1} << 62) + 2);
  EXPECT_NE(render(far).find("past the highest a start may name"), std::string::npos)
    << render(far);
  store.set_text("dummy_sleep", "1h");
  store.set_text("interarrival", "1h");
  ASSERT_FALSE(rt.start("dummy", 1, 1));
  for (int i = 0; i < 3; ++i) {
    auto too_many = rt.add(std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(too_many.code(), static_cast<std::uint8_t>(ec::invalid_argument));
    EXPECT_NE(render(too_many).find("more than the 10000000"), std::string::npos)
      << render(too_many);
  }
  EXPECT_EQ(rt.status()->users.pending, 0u);
  ASSERT_FALSE(rt.add(most));
  EXPECT_EQ(rt.status()->users.pending, most);
  ASSERT_FALSE(rt.stop(true));
}

TEST_F(runtime_test, live_settings_outside_a_run_are_kept_for_the_next) {
  ASSERT_FALSE(rt.update_settings({{"dummy_sleep", "1ms"}, {"repeat_num", 1}}));
  ASSERT_FALSE(rt.start("dummy", 1, 5));
  auto st = rt.wait(10s);
  ASSERT_TRUE(st) << render(st.error());
  EXPECT_EQ(st->state, run_state::finished);
}
