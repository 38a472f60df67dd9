// Ramp plans: validation that names the stage, the steps a plan yields, and
// a run that follows its stages; user_rate; the dry run's plan.

#include "amoc/load_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/execute.hpp"
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

namespace {

// The steps as the plan defines them, user by user (what steps() computes in groups).
std::vector<load_step> steps_one_by_one(const load_plan& plan, duration resolution) {
  std::vector<load_step> out;
  duration start{};
  std::uint64_t users = 0;
  for (const auto& s : plan.stages) {
    if (s.ramp_to && *s.ramp_to != users) {
      const bool up = *s.ramp_to > users;
      const auto n = up ? *s.ramp_to - users : users - *s.ramp_to;
      for (std::uint64_t k = 0; k < n; ++k) {
        const auto at = start
                        + duration{static_cast<duration::rep>(static_cast<__int128>(s.span.count())
                                                              * (up ? k : k + 1) / n)};
        if (!out.empty() && at - out.back().at < resolution && (out.back().delta > 0) == up)
          out.back().delta += up ? 1 : -1;
        else
          out.push_back({at, up ? 1 : -1});
      }
      users = *s.ramp_to;
    }
    start += s.span;
  }
  return out;
}

}  // namespace

TEST(load_plan, steps_in_groups_are_the_steps_user_by_user) {
  const char* plans[] = {
    R"([{"ramp_to": 7, "over": "1s"}, {"ramp_to": 3, "over": "13ms"}, {"hold": "5ms"},
        {"ramp_to": 1000, "over": "3s"}, {"ramp_to": 0, "over": "777ms"}])",
    R"([{"ramp_to": 12345, "over": "10s"}, {"ramp_to": 12000, "over": "1ms"},
        {"ramp_to": 99, "over": "2s"}])",
    R"([{"ramp_to": 3, "over": "10ms"}, {"ramp_to": 5, "over": "3ms"}, {"ramp_to": 4, "over": "9ms"}])",
  };
  for (const char* text : plans)
    for (auto resolution : {duration{1ms}, duration{10ms}, duration{333us}}) {
      const auto plan = plan_of(text);
      const auto got = plan.steps(resolution);
      const auto want = steps_one_by_one(plan, resolution);
      ASSERT_EQ(got.size(), want.size()) << text;
      for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].at, want[i].at) << text << " step " << i;
        EXPECT_EQ(got[i].delta, want[i].delta) << text << " step " << i;
      }
    }
}

TEST(load_plan, a_ramp_to_a_trillion_users_has_one_step_per_resolution) {
  const auto plan = plan_of(R"([{"ramp_to": 1000000000000, "over": "10s"}, {"hold": "1s"},
                                {"ramp_to": 0, "over": "10s"}])");
  const auto started = std::chrono::steady_clock::now();
  const auto steps = plan.steps(10ms);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_GE(steps.size(), 2000u) << "10 s of starts and 10 s of stops, 10 ms apart";
  EXPECT_LE(steps.size(), 2002u);
  std::int64_t up = 0, down = 0;
  for (const auto& s : steps)
    (s.delta > 0 ? up : down) += s.delta;
  EXPECT_EQ(up, 1000000000000);
  EXPECT_EQ(down, -1000000000000);
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
  EXPECT_EQ(st.users.ended.graceful_stop, 8u);
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

TEST(load_plan, a_dry_run_of_a_trillion_users_is_a_summary) {
  config::store store;
  auto run = parse_run_file(json::parse(R"({"scenario": "dummy", "users": [1, 1000000000000],
    "nodes": ["a:1", "b:2", "c:3"], "settings": {"interarrival": "50ms"}})"),
                            "run.json");
  ASSERT_TRUE(run);
  const auto started = std::chrono::steady_clock::now();
  const auto text = dry_run(*run, store);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 100ms);
  EXPECT_NE(text.find("+0.000s  start 3: 1 -> a:1, 2 -> b:2, 3 -> c:3"), std::string::npos) << text;
  EXPECT_NE(text.find("... 333333333304 more lines ..."), std::string::npos) << text;
  EXPECT_NE(text.find("start 1: 1000000000000 -> a:1"), std::string::npos) << text;
  EXPECT_NE(text.find("333333333334 starts, the last at +16666666666.650s (192901.2 days)"),
            std::string::npos)
    << text;
  EXPECT_NE(text.find("users per node: a:1 333333333334 (1..1000000000000/3), b:2 333333333333"),
            std::string::npos)
    << text;
  EXPECT_LT(std::count(text.begin(), text.end(), '\n'), 40) << text;
}

TEST(load_plan, a_dry_run_of_stages_counts_per_stage_and_node) {
  config::store store;
  auto run = parse_run_file(json::parse(R"({"scenario": "dummy", "nodes": ["a:1", "b:2"],
    "stages": [{"ramp_to": 1000000, "over": "1h"}, {"ramp_to": 10, "over": "1m"}]})"),
                            "run.json");
  ASSERT_TRUE(run);
  const auto text = dry_run(*run, store);
  EXPECT_NE(text.find("stage 1: ramp to 1000000 users over 1h (starts 1000000)"), std::string::npos)
    << text;
  EXPECT_NE(text.find("stage 2: ramp to 10 users over 1m (stops 999990)"), std::string::npos)
    << text;
  EXPECT_NE(text.find("users per node: a:1 500000 (1..999999/2), b:2 500000 (2..1000000/2)"),
            std::string::npos)
    << text;
  EXPECT_NE(text.find("+3659.990s  stop the newest 161 (gracefully)\n339322 steps"),
            std::string::npos)
    << text;
}
