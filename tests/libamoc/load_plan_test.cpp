// Ramp plans: validation that names the stage, the steps a plan yields, and
// a run that follows its stages; user_rate; the dry run's plan.

#include "amoc/load_plan.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/run_file.hpp"
#include "amoc/runtime.hpp"
#include "amoc/settings.hpp"

using namespace std::chrono_literals;
using namespace amoc;
using json = nlohmann::json;

namespace {

std::string problem_of(const char* stages) {
  auto plan = parse_stages(json::parse(stages), "run.json");
  EXPECT_FALSE(plan) << stages;
  return plan ? "" : render(plan.error());
}

load_plan plan_of(const char* stages) {
  auto plan = parse_stages(json::parse(stages), "run.json");
  EXPECT_TRUE(plan) << render(plan.error());
  return plan ? *plan : load_plan{};
}

}  // namespace

TEST(load_plan, bad_stages_are_named) {
  EXPECT_NE(problem_of("[]").find("non-empty list"), std::string::npos);
  EXPECT_NE(problem_of(R"([{"hold": "5s"}])").find("stage 1: the first stage must start users"),
            std::string::npos);
  EXPECT_NE(problem_of(R"([{"ramp_to": 5, "over": "1s"}, {"ramp_to": -1, "over": "1s"}])")
              .find("stage 2: \"ramp_to\" must be a number of users >= 0"),
            std::string::npos);
  EXPECT_NE(
    problem_of(R"([{"ramp_to": 5, "over": "1s"}, {"ramp_to": 3}])").find("stage 2: a ramp needs"),
    std::string::npos);
  EXPECT_NE(problem_of(R"([{"ramp_to": 5, "over": "1s"}, {"hold": "soon"}])")
              .find("stage 2: \"hold\" must be a positive duration"),
            std::string::npos);
  EXPECT_NE(problem_of(R"([{"ramp_to": 5, "over": "1s"}, {"ramp_to": 5, "over": "1s"}])")
              .find("stage 2: ramp_to 5 changes nothing"),
            std::string::npos);
  EXPECT_NE(problem_of(R"([{"ramp_to": 5, "over": "1s"}, {"ramp_to": 0, "over": "1s"},
                           {"ramp_to": 5, "over": "1s"}])")
              .find("stage 2: ramp_to 0 ends the run"),
            std::string::npos);
  EXPECT_NE(problem_of(R"([{"ramp_to": 5, "over": "1s", "hold": "1s"}])").find("stage 1:"),
            std::string::npos);
  EXPECT_NE(
    problem_of(R"([{"ramp_to": 5, "over": "1s", "speed": 2}])").find("unknown key \"speed\""),
    std::string::npos);
}

TEST(load_plan, ramps_are_even_and_removals_end_with_the_stage) {
  auto plan =
    plan_of(R"([{"ramp_to": 4, "over": "1s"}, {"hold": "1s"}, {"ramp_to": 2, "over": "1s"}])");
  EXPECT_EQ(plan.total(), duration{3s});
  EXPECT_EQ(plan.ids_needed(), 4u);
  auto steps = plan.steps();
  ASSERT_EQ(steps.size(), 6u);
  const duration at[] = {0ms, 250ms, 500ms, 750ms, 2500ms, 3000ms};
  const std::int64_t delta[] = {1, 1, 1, 1, -1, -1};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].at, at[i]) << i;
    EXPECT_EQ(steps[i].delta, delta[i]) << i;
  }
}

TEST(load_plan, close_steps_merge_and_ids_are_never_reused) {
  auto plan = plan_of(R"([{"ramp_to": 1000, "over": "1s"}, {"ramp_to": 500, "over": "1s"},
                          {"ramp_to": 800, "over": "1s"}])");
  EXPECT_EQ(plan.ids_needed(), 1300u) << "a ramp up after a ramp down takes new ids";
  auto steps = plan.steps(10ms);
  EXPECT_EQ(steps.front().delta, 10) << "ten starts within the first 10 ms";
  std::int64_t total = 0;
  for (const auto& s : steps)
    total += s.delta;
  EXPECT_EQ(total, 800);
}

TEST(load_plan, run_file_stages_bound_the_ids) {
  auto run = parse_run_file(json::parse(R"({"scenario": "dummy",
    "stages": [{"ramp_to": 10, "over": "1s"}]})"),
                            "run.json");
  ASSERT_TRUE(run) << render(run.error());
  EXPECT_EQ(run->first_id, 1u);
  EXPECT_EQ(run->last_id, 10u);
  auto narrow = parse_run_file(json::parse(R"({"scenario": "dummy", "users": [1, 5],
    "stages": [{"ramp_to": 10, "over": "1s"}]})"),
                               "run.json");
  ASSERT_FALSE(narrow);
  EXPECT_NE(render(narrow.error()).find("allows only 5"), std::string::npos);
}

TEST(load_plan, a_run_follows_its_stages) {
  config::store store;
  runtime rt{runtime::options::local(&store, 2)};
  auto run = parse_run_file(json::parse(R"({"scenario": "dummy",
    "settings": {"interarrival": 0, "dummy_sleep": "10ms", "repeat_interval": "10ms"},
    "stages": [{"ramp_to": 6, "over": "300ms"}, {"hold": "200ms"}, {"ramp_to": 2, "over": "200ms"},
               {"ramp_to": 4, "over": "100ms"}, {"ramp_to": 0, "over": "200ms"}]})"),
                            "run.json");
  ASSERT_TRUE(run) << render(run.error());
  std::uint64_t peak = 0;
  auto result = execute(
    rt, *run, [&](const status& st, duration) { peak = std::max(peak, st.users.alive()); }, 10ms);
  ASSERT_TRUE(result) << render(result.error());
  const auto& st = result->final_status;
  EXPECT_EQ(st.state, run_state::finished);
  EXPECT_EQ(st.users.started, 8u) << "6, then 2 more with new ids";
  EXPECT_EQ(st.next_id, 9u);
  EXPECT_EQ(st.users.ended[static_cast<int>(amoc::exit::graceful_stop) - 1], 8u);
  EXPECT_EQ(peak, 6u);
  EXPECT_FALSE(result->stopped_by_duration) << "the plan ended with no user left";
  EXPECT_GE(result->wall_time, duration{1s});
  EXPECT_LT(result->wall_time, duration{3s});
}

TEST(load_plan, a_plan_ending_with_users_stops_them_when_it_ends) {
  config::store store;
  runtime rt{runtime::options::local(&store, 1)};
  auto run = parse_run_file(json::parse(R"({"scenario": "dummy", "graceful_stop_timeout": "100ms",
    "settings": {"interarrival": 0, "dummy_sleep": "1h"},
    "stages": [{"ramp_to": 3, "over": "100ms"}, {"hold": "200ms"}]})"),
                            "run.json");
  ASSERT_TRUE(run);
  auto result = execute(rt, *run, {}, 10ms);
  ASSERT_TRUE(result) << render(result.error());
  EXPECT_TRUE(result->stopped_by_duration);
  EXPECT_EQ(result->final_status.users.started, 3u);
}

TEST(load_plan, user_rate_paces_the_cluster) {
  config::store store;
  store.declare(builtin_variables());
  EXPECT_EQ(node_interarrival(store), duration{50ms}) << "the interarrival default";
  store.set("user_rate", 600);
  EXPECT_EQ(node_interarrival(store), duration{100ms}) << "600 a minute on one node";
  store.set("node_count", 3);
  EXPECT_EQ(node_interarrival(store), duration{300ms}) << "each of 3 nodes starts a third";
}

TEST(load_plan, dry_run_names_ids_times_and_nodes) {
  config::store store;
  store.declare(builtin_variables());
  auto run = parse_run_file(json::parse(R"({"scenario": "dummy", "nodes": ["a:1", "b:2"],
    "stages": [{"ramp_to": 4, "over": "1s"}, {"ramp_to": 1, "over": "300ms"}]})"),
                            "run.json");
  ASSERT_TRUE(run);
  const auto text = dry_run(*run, store);
  EXPECT_NE(text.find("+0.000s  start 1: 1 -> a:1"), std::string::npos) << text;
  EXPECT_NE(text.find("+0.250s  start 1: 2 -> b:2"), std::string::npos) << text;
  EXPECT_NE(text.find("+0.750s  start 1: 4 -> b:2"), std::string::npos) << text;
  EXPECT_NE(text.find("+1.300s  stop the newest 1"), std::string::npos) << text;
  run->stages = {};
  run->last_id = 5;
  store.set("user_rate", 60);
  const auto paced = dry_run(*run, store);
  EXPECT_NE(paced.find("one user every 2s per node"), std::string::npos) << paced;
  EXPECT_NE(paced.find("+4.000s  start 1: 5 -> a:1"), std::string::npos) << paced;
}
