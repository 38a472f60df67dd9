// amoc run's metrics: thresholds in the run file, sampling during execute,
// the built-in user metrics and the result document.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/execute.hpp"
#include "amoc/result_json.hpp"
#include "amoc/run_file.hpp"
#include "amoc/runtime.hpp"

using namespace std::chrono_literals;
using namespace amoc;
using json = nlohmann::json;

namespace {

run_file dummy_run(std::uint64_t users, json thresholds = nullptr) {
  json doc = {
    {"scenario", "dummy"},
    {"users", {1, users}},
    {"settings",
     {{"interarrival", 0}, {"repeat_num", 2}, {"repeat_interval", 0}, {"dummy_sleep", "30ms"}}}};
  if (!thresholds.is_null())
    doc["thresholds"] = thresholds;
  auto run = parse_run_file(doc, "run.json");
  EXPECT_TRUE(run) << (run ? "" : render(run.error()));
  return *run;
}

}  // namespace

TEST(run_metrics, thresholds_are_validated_with_the_run_file) {
  auto bad = parse_run_file(json::parse(R"({"scenario": "dummy", "users": [1, 2],
    "thresholds": {"xmpp.ttd": ["p99 < soon"]}})"),
                            "run.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(render(bad.error()).find("run.json: threshold \"p99 < soon\" of xmpp.ttd"),
            std::string::npos);
  auto not_list = parse_run_file(json::parse(R"({"scenario": "dummy", "users": [1, 2],
    "thresholds": {"xmpp.ttd": 5}})"),
                                 "run.json");
  ASSERT_FALSE(not_list);
  EXPECT_NE(render(not_list.error()).find("thresholds of xmpp.ttd must be a list"),
            std::string::npos);
  auto one = parse_run_file(json::parse(R"({"scenario": "dummy", "users": [1, 2],
    "thresholds": {"xmpp.ttd": "p99 < 1s", "c": ["count == 0", "rate < 5"]}})"),
                            "run.json");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->thresholds.size(), 3u);
}

TEST(run_metrics, execute_samples_user_metrics_and_evaluates_thresholds) {
  runtime rt;
  auto run = dummy_run(30, {{"users.started", {"count == 30"}},
                            {"users.ended.normal", {"count == 30"}},
                            {"users.running", {"max == 30", "value == 0"}},
                            {"users.ended.scenario_error", {"count > 0"}}});
  execute_options opts;
  opts.metrics_interval = 20ms;
  int samples = 0;
  opts.on_sample = [&](const metrics::interval&) { ++samples; };
  std::vector<std::string> events;
  opts.on_event = [&](std::string_view e) { events.emplace_back(e); };
  auto result = execute(rt, run, opts);
  ASSERT_TRUE(result) << render(result.error());
  EXPECT_EQ(result->metrics.counters.at("users.started"), 30u);
  EXPECT_EQ(result->metrics.counters.at("users.ended.normal"), 30u);
  EXPECT_EQ(result->metrics.gauges.at("users.running"), 0);
  EXPECT_GE(samples, 2);
  // The series starts at t = 0; every later point is exported.
  EXPECT_EQ(static_cast<std::size_t>(samples) + 1, result->series.size());
  EXPECT_EQ(result->series.ends_ms().front(), 0u);
  EXPECT_EQ(events, (std::vector<std::string>{"start", "stop"}));
  ASSERT_EQ(result->thresholds.size(), 5u);
  for (const auto& t : result->thresholds)
    EXPECT_EQ(t.passed, t.criterion.metric != "users.ended.scenario_error")
      << t.criterion.metric << " " << t.criterion.expression << ": " << t.describe();
  EXPECT_TRUE(result->thresholds_crossed());

  const auto doc = to_json(run, *result);
  EXPECT_EQ(doc["metrics"]["counters"]["users.started"]["total"], 30);
  EXPECT_EQ(doc["series"]["t_s"].size(), result->series.size());
  EXPECT_EQ(doc["series"]["gauges"]["users.running"].size(), result->series.size());
  EXPECT_EQ(doc["thresholds"].size(), 5u);
  EXPECT_EQ(doc["thresholds"][0]["passed"].is_boolean(), true);
}

TEST(run_metrics, a_new_run_starts_from_zero) {
  runtime rt;
  auto run = dummy_run(10);
  auto first = execute(rt, run, nullptr, 10ms);
  ASSERT_TRUE(first) << render(first.error());
  EXPECT_EQ(first->metrics.counters.at("users.started"), 10u);
  rt.metrics().counter("leftover").add(5);
  auto second = execute(rt, run, nullptr, 10ms);
  ASSERT_TRUE(second) << render(second.error());
  EXPECT_EQ(second->metrics.counters.at("users.started"), 10u);
  EXPECT_EQ(second->metrics.counters.at("leftover"), 0u);
}

// A run shorter than metrics_interval still reports its peak users and a
// series from t = 0: the executor samples at least every second and notes the
// users it sees between samples.
TEST(run_metrics, a_short_run_reports_its_peak_whatever_the_interval) {
  runtime rt;
  auto run = parse_run_file(json::parse(R"({"scenario": "dummy", "users": [1, 300],
    "settings": {"interarrival": 0, "dummy_sleep": "1h"},
    "duration": "700ms", "graceful_stop_timeout": "100ms"})"),
                            "run.json");
  ASSERT_TRUE(run) << render(run.error());
  execute_options opts;
  opts.metrics_interval = 10s;
  auto result = execute(rt, *run, opts);
  ASSERT_TRUE(result) << render(result.error());
  const auto doc = to_json(*run, *result);
  EXPECT_EQ(doc["metrics"]["gauges"]["users.running"]["max"], 300) << doc["metrics"]["gauges"];
  EXPECT_EQ(doc["metrics"]["gauges"]["users.running"]["value"], 0);
  ASSERT_GE(doc["series"]["t_s"].size(), 2u);
  EXPECT_EQ(doc["series"]["t_s"][0], 0.0);
}
