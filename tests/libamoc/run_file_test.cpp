#include "amoc/execute.hpp"
#include "amoc/result_json.hpp"
#include "amoc/run_file.hpp"

#include <gtest/gtest.h>

#include "amoc/error.hpp"
#include "amoc/runtime.hpp"

using namespace std::chrono_literals;
using namespace amoc;
using json = nlohmann::json;

namespace {

std::string problem_of(const json& doc) {
  auto run = parse_run_file(doc, "run.json");
  EXPECT_FALSE(run);
  return run ? "" : render(run.error());
}

}  // namespace

TEST(run_file, parses_a_complete_file) {
  auto run = parse_run_file(json::parse(R"({"scenario": "dummy", "users": [3, 9],
    "settings": {"interarrival": "5ms"}, "duration": "2s", "graceful_stop_timeout": 500})"),
                            "run.json");
  ASSERT_TRUE(run) << render(run.error());
  EXPECT_EQ(run->scenario, "dummy");
  EXPECT_EQ(run->first_id, 3u);
  EXPECT_EQ(run->last_id, 9u);
  EXPECT_EQ(run->settings["interarrival"], "5ms");
  EXPECT_EQ(run->max_duration, duration{2s});
  EXPECT_EQ(run->graceful_stop_timeout, duration{500ms});
}

TEST(run_file, names_each_problem) {
  EXPECT_NE(problem_of(json::array()).find("top level must be a JSON object"), std::string::npos);
  EXPECT_NE(problem_of({{"users", {1, 2}}}).find("\"scenario\""), std::string::npos);
  EXPECT_NE(problem_of({{"scenario", "d"}}).find("missing \"users\""), std::string::npos);
  EXPECT_NE(problem_of({{"scenario", "d"}, {"users", {0, 2}}}).find("positive integers"),
            std::string::npos);
  EXPECT_NE(problem_of({{"scenario", "d"}, {"users", {5, 2}}}).find("greater than last id"),
            std::string::npos);
  EXPECT_NE(problem_of({{"scenario", "d"}, {"users", {1, 2}}, {"duration", "soon"}})
              .find("\"duration\" must be a positive duration"),
            std::string::npos);
  EXPECT_NE(
    problem_of({{"scenario", "d"}, {"users", {1, 2}}, {"usrs", 1}}).find("unknown key \"usrs\""),
    std::string::npos);
  EXPECT_NE(problem_of({{"scenario", "d"}, {"users", {1, 2}}, {"settings", 3}})
              .find("\"settings\" must be an object"),
            std::string::npos);
}

TEST(run_file, reports_unreadable_and_malformed_files) {
  auto missing = load_run_file("/nonexistent/run.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(render(missing.error()).find("/nonexistent/run.json: cannot open"), std::string::npos);
}

TEST(run_file, execute_stops_at_duration_gracefully_then_by_force) {
  config::store store;
  runtime rt{runtime::options::local(&store, 2)};
  run_file run;
  run.scenario = "dummy";
  run.first_id = 1;
  run.last_id = 20;
  run.settings = {{"interarrival", 0}, {"dummy_sleep", "1h"}};
  run.max_duration = 100ms;
  run.graceful_stop_timeout = 100ms;
  int progress_calls = 0;
  auto result = execute(
    rt, run, [&](const status&, duration) { ++progress_calls; }, 20ms);
  ASSERT_TRUE(result) << render(result.error());
  EXPECT_TRUE(result->stopped_by_duration);
  EXPECT_TRUE(result->forced);
  EXPECT_EQ(result->final_status.state, run_state::finished);
  EXPECT_EQ(result->final_status.users.ended.forced_stop, 20u);
  EXPECT_GE(progress_calls, 5);
  EXPECT_GE(result->wall_time, duration{200ms});
  auto doc = to_json(run, *result);
  EXPECT_EQ(doc["users"]["started"], 20);
  EXPECT_EQ(doc["users"]["ended"]["forced_stop"], 20);
  EXPECT_EQ(doc["state"], "finished");
}

TEST(run_file, execute_returns_start_errors) {
  config::store store;
  runtime rt{runtime::options::local(&store, 1)};
  run_file run;
  run.scenario = "dummy";
  run.settings = {{"repeat_num", "lots"}};
  auto result = execute(rt, run, {}, 20ms);
  ASSERT_FALSE(result);
  EXPECT_NE(render(result.error()).find("repeat_num"), std::string::npos);
}
