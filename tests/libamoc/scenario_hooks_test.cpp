// The scenario's run-level hooks, asked by `execute` on the master:
// should_continue() stops the run, next_user_batch() adds batches of users.

#include <atomic>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"
#include "amoc/execute.hpp"
#include "amoc/runtime.hpp"
#include "amoc/scenario.hpp"

using namespace std::chrono_literals;
using namespace amoc;

namespace {

std::atomic<int> checks{0};
std::atomic<int> stop_after{1000};
std::vector<std::pair<std::uint64_t, std::uint64_t>> asked;  // (i, previous), master thread only

class t_hooks final : public scenario {
public:
  task<> start(user& u) override { co_await u.sleep(1h); }
  bool should_continue() override { return ++checks < stop_after; }
  std::uint64_t next_user_batch(std::uint64_t i, std::uint64_t previous) override {
    asked.emplace_back(i, previous);
    return i == 3 ? 0 : previous + 1;
  }
};

caf::expected<run_result> run_with(const char* doc) {
  config::store store;
  runtime rt{runtime::options::local(&store, 1)};
  auto run = parse_run_file(nlohmann::json::parse(doc), "run.json");
  EXPECT_TRUE(run) << render(run.error());
  return execute(rt, *run, {}, 10ms);
}

}  // namespace

AMOC_REGISTER_SCENARIO(t_hooks, "t_hooks", "asks its run-level hooks", {});

TEST(scenario_hooks, should_continue_false_stops_the_run) {
  checks = 0;
  stop_after = 3;
  auto result =
    run_with(R"({"scenario": "t_hooks", "users": [1, 2], "graceful_stop_timeout": "50ms",
    "settings": {"interarrival": 0, "scenario_checking_interval": "50ms"}})");
  ASSERT_TRUE(result) << render(result.error());
  EXPECT_EQ(checks.load(), 3) << "asked until it said no, then not again";
  EXPECT_EQ(result->final_status.state, run_state::finished);
  EXPECT_TRUE(result->stopped_by_scenario);
  EXPECT_TRUE(result->forced) << "users sleeping an hour outlive the graceful stop timeout";
  EXPECT_GE(result->wall_time, duration{150ms});
  EXPECT_LT(result->wall_time, duration{5s});
}

TEST(scenario_hooks, next_user_batch_adds_users_until_it_returns_zero) {
  checks = 0;
  stop_after = 1000;
  asked.clear();
  auto result = run_with(R"({"scenario": "t_hooks", "users": [1, 2], "batches": 5,
    "duration": "600ms", "graceful_stop_timeout": "50ms",
    "settings": {"interarrival": 0, "add_batch_interval": "100ms"}})");
  ASSERT_TRUE(result) << render(result.error());
  using batch = std::pair<std::uint64_t, std::uint64_t>;
  EXPECT_EQ(asked, (std::vector<batch>{{1, 2}, {2, 3}, {3, 4}}))
    << "previous starts at the run's users";
  EXPECT_EQ(result->final_status.users.started, 2u + 3u + 4u);
}
