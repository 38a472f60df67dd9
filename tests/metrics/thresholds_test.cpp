#include "amoc/thresholds.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "amoc/error.hpp"
#include "amoc/metrics_on_demand.hpp"

using namespace std::chrono_literals;
using namespace amoc;

namespace {

threshold parsed(std::string_view metric, std::string_view text) {
  auto t = parse_threshold(metric, text);
  EXPECT_TRUE(t) << text << ": " << (t ? "" : render(t.error()));
  return t ? *t : threshold{};
}

std::string problem(std::string_view text) {
  auto t = parse_threshold("m", text);
  EXPECT_FALSE(t) << text;
  return t ? "" : render(t.error());
}

struct run_data {
  metrics::registry reg;
  metrics::sampler sampler{reg};

  threshold_result check(std::string_view metric, std::string_view text, duration wall = 10s) {
    sampler.sample(wall);
    return evaluate(parsed(metric, text), sampler.totals(), sampler.series(), wall);
  }
};

}  // namespace

TEST(thresholds, parses_the_documented_forms) {
  auto p99 = parsed("xmpp.ttd", "p99 < 500ms");
  EXPECT_EQ(p99.agg, threshold::aggregation::percentile);
  EXPECT_EQ(p99.percentile, 99);
  EXPECT_EQ(p99.op, threshold::comparison::lt);
  EXPECT_EQ(p99.limit, 500'000);  // µs
  EXPECT_TRUE(p99.limit_is_duration);

  EXPECT_EQ(parsed("h", "p(99.9) <= 1.5s").percentile, 99.9);
  EXPECT_EQ(parsed("h", "p99.9<=2s").limit, 2'000'000);
  EXPECT_EQ(parsed("h", "mean < 250").limit, 250'000);  // a bare latency is ms
  EXPECT_EQ(parsed("h", "avg < 250us").limit, 250);
  EXPECT_EQ(parsed("h", "max < 3µs").limit, 3);
  EXPECT_EQ(parsed("c", "count == 0").agg, threshold::aggregation::count);
  EXPECT_EQ(parsed("c", "count != 3").op, threshold::comparison::ne);
  EXPECT_EQ(parsed("c", "rate >= 100/s").limit, 100);
  EXPECT_EQ(parsed("c", "rate > 2.5").op, threshold::comparison::gt);
  EXPECT_EQ(parsed("g", "value >= 10").agg, threshold::aggregation::value);
  auto min = parsed("g", "  min   >   0  ");
  EXPECT_EQ(min.expression, "min   >   0");
  EXPECT_FALSE(min.limit_is_duration);
}

TEST(thresholds, rejects_bad_expressions_naming_them) {
  EXPECT_NE(problem("p99 500ms").find("threshold \"p99 500ms\" of m: no comparison operator"),
            std::string::npos);
  EXPECT_NE(problem("median < 5ms").find("unknown aggregation \"median\""), std::string::npos);
  EXPECT_NE(problem("p0 < 5ms").find("unknown aggregation \"p0\""), std::string::npos);
  EXPECT_NE(problem("p101 < 5ms").find("unknown aggregation"), std::string::npos);
  EXPECT_NE(problem("< 5ms").find("no aggregation"), std::string::npos);
  EXPECT_NE(problem("count ==").find("no value"), std::string::npos);
  EXPECT_NE(problem("count == 5ms").find("plain number"), std::string::npos);
  EXPECT_NE(problem("rate > fast").find("\"fast\" is not a number"), std::string::npos);
  EXPECT_NE(problem("p99 < soon").find("\"soon\" is not a duration"), std::string::npos);
  EXPECT_NE(problem("p99 =< 5ms").find("no comparison operator"), std::string::npos);
  EXPECT_NE(problem("count = 0").find("(<, <=, >, >=, ==, !=)"), std::string::npos);
}

TEST(thresholds, counters_have_count_and_rate) {
  run_data run;
  run.reg.counter("sent").add(250);
  auto count = run.check("sent", "count >= 250");
  EXPECT_TRUE(count.passed);
  EXPECT_EQ(count.describe(), "count = 250");
  auto rate = run.check("sent", "rate > 30/s");  // 25/s over 10 s
  EXPECT_FALSE(rate.passed);
  EXPECT_EQ(rate.describe(), "rate = 25.0/s");
  auto wrong = run.check("sent", "p99 < 5ms");
  EXPECT_FALSE(wrong.passed);
  EXPECT_NE(wrong.note.find("does not apply to a counter"), std::string::npos);
}

TEST(thresholds, histograms_compare_latencies) {
  run_data run;
  for (int i = 1; i <= 100; ++i)
    run.reg.histogram("ttd").record(std::chrono::milliseconds{i});
  EXPECT_TRUE(run.check("ttd", "p99 < 100ms").passed);
  EXPECT_FALSE(run.check("ttd", "p99 < 99ms").passed);
  EXPECT_TRUE(run.check("ttd", "p50 < 51ms").passed);
  EXPECT_TRUE(run.check("ttd", "max < 101").passed);  // ms
  EXPECT_TRUE(run.check("ttd", "min >= 1ms").passed);
  EXPECT_TRUE(run.check("ttd", "count == 100").passed);
  auto mean = run.check("ttd", "mean < 50ms");
  EXPECT_FALSE(mean.passed);
  EXPECT_EQ(mean.describe(), "mean = 50.5ms");
}

TEST(thresholds, gauges_have_value_min_and_max_over_the_run) {
  run_data run;
  auto& users = run.reg.gauge("users.running");
  users.set(40);
  run.sampler.sample(1s);
  users.set(100);
  run.sampler.sample(2s);
  users.set(0);
  EXPECT_TRUE(run.check("users.running", "max == 100").passed);
  EXPECT_TRUE(run.check("users.running", "value == 0").passed);
  EXPECT_TRUE(run.check("users.running", "min == 0").passed);
  auto as_latency = run.check("users.running", "max < 5ms");
  EXPECT_FALSE(as_latency.passed);
  EXPECT_NE(as_latency.note.find("gauge"), std::string::npos);
}

// Declared as the XMPP and HTTP clients declare theirs.
const metrics::on_demand test_failures{{"test.failures.connect", "test.*.status.*"}};

TEST(thresholds, an_on_demand_metric_never_recorded_counts_zero_and_has_no_percentiles) {
  run_data run;
  EXPECT_TRUE(run.check("test.failures.connect", "count == 0").passed);
  EXPECT_TRUE(run.check("test.failures.connect", "rate < 1").passed);
  EXPECT_TRUE(run.check("test.login.status.500", "count == 0").passed) << "* matches any text";
  EXPECT_TRUE(run.check("xmpp.failures.connect", "count == 0").passed) << "the XMPP client's";
  EXPECT_TRUE(run.check("users.ended.scenario_error", "count == 0").passed) << "the runtime's";
  auto p99 = run.check("test.failures.connect", "p99 < 500ms");
  EXPECT_FALSE(p99.passed);
  EXPECT_EQ(p99.describe(), "no samples of test.failures.connect were recorded");
}

TEST(thresholds, a_metric_the_run_never_made_fails_naming_it) {
  run_data run;
  run.reg.counter("chat.sent").add(3);
  auto typo = run.check("chat.snet", "count == 0");
  EXPECT_FALSE(typo.passed) << "a typo must not pass as count == 0";
  EXPECT_EQ(typo.describe(), "chat.snet was never recorded in this run (did you mean chat.sent?)");
  auto unknown = run.check("xmpp.ttd", "p99 < 500ms");
  EXPECT_FALSE(unknown.passed);
  EXPECT_EQ(unknown.describe(), "xmpp.ttd was never recorded in this run");
  EXPECT_FALSE(run.check("test.failures.conect", "count == 0").passed)
    << "close to an on-demand name is not one";
}

TEST(thresholds, a_metric_created_but_never_recorded_exists) {
  run_data run;
  (void)run.reg.histogram("xmpp.ttd");  // created, never recorded
  EXPECT_FALSE(run.check("xmpp.ttd", "p99 < 500ms").passed);
  EXPECT_TRUE(run.check("xmpp.ttd", "count == 0").passed);
}
