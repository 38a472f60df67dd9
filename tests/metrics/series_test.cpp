#include "amoc/metrics_series.hpp"

#include <gtest/gtest.h>

#include <chrono>

using namespace std::chrono_literals;
using namespace amoc::metrics;

TEST(metrics_series, sampler_stores_interval_deltas) {
  registry reg;
  sampler s{reg};
  reg.counter("sent").add(100);
  reg.histogram("ttd").record(2ms);
  reg.gauge("users").set(10);
  auto first = s.sample(10s);
  EXPECT_EQ(first.length, amoc::duration{10s});
  EXPECT_DOUBLE_EQ(first.rate(first.delta.counters.at("sent")), 10.0);
  reg.counter("sent").add(50);
  reg.histogram("ttd").record(40ms);
  reg.histogram("ttd").record(40ms);
  reg.gauge("users").set(20);
  auto second = s.sample(15s);
  EXPECT_EQ(second.length, amoc::duration{5s});
  EXPECT_EQ(second.delta.counters.at("sent"), 50u);
  EXPECT_EQ(second.totals.counters.at("sent"), 150u);
  EXPECT_EQ(second.delta.histograms.at("ttd").count(), 2u);

  const auto& series = s.series();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series.ends_ms(), (std::vector<std::uint32_t>{10000, 15000}));
  EXPECT_EQ(series.counters().at("sent").points, (std::vector<std::uint64_t>{100, 50}));
  EXPECT_EQ(series.gauges().at("users").points, (std::vector<std::int64_t>{10, 20}));
  const auto& ttd = series.histograms().at("ttd").points;
  EXPECT_EQ(ttd[0].count, 1u);
  EXPECT_EQ(ttd[0].p99, 2000u);
  EXPECT_EQ(ttd[1].count, 2u);
  EXPECT_EQ(ttd[1].min, 40000u);        // the interval's own percentiles, not the run's
  EXPECT_NEAR(ttd[1].p50, 40000u, 40);  // 3 significant digits
}

TEST(metrics_series, a_metric_created_later_starts_at_its_interval) {
  registry reg;
  sampler s{reg};
  reg.counter("early").add();
  s.sample(1s);
  s.sample(2s);
  reg.counter("late").add(7);
  s.sample(3s);
  const auto& late = s.series().counters().at("late");
  EXPECT_EQ(late.first, 2u);
  EXPECT_EQ(late.points, (std::vector<std::uint64_t>{7}));
  EXPECT_EQ(s.series().counters().at("early").points, (std::vector<std::uint64_t>{1, 0, 0}));
}

TEST(metrics_series, memory_stays_bounded_by_halving_the_resolution) {
  time_series series{8};
  for (int i = 1; i <= 20; ++i) {
    snapshot delta;
    delta.counters["c"] = 1;
    delta.gauges["g"] = i;
    hdr_histogram h;
    h.record(static_cast<std::uint64_t>(i) * 1000);
    delta.histograms["h"] = h;
    series.append(std::chrono::seconds{i}, delta);
  }
  EXPECT_LE(series.size(), 8u);
  std::uint64_t total = 0;
  for (auto v : series.counters().at("c").points)
    total += v;
  EXPECT_EQ(total, 20u);  // counter deltas survive coarsening exactly
  EXPECT_EQ(series.ends_ms().back(), 20000u);
  EXPECT_EQ(series.gauges().at("g").points.back(), 20);  // gauges keep the later value
  std::uint64_t samples = 0;
  std::uint32_t max = 0;
  for (const auto& p : series.histograms().at("h").points) {
    samples += p.count;
    max = std::max(max, p.max);
  }
  EXPECT_EQ(samples, 20u);
  EXPECT_GE(max, 20000u);
  // Every line has as many points as the run.
  EXPECT_EQ(series.counters().at("c").points.size(), series.size());
}

TEST(metrics_series, coarsening_keeps_late_metrics_aligned) {
  time_series series{4};
  for (int i = 1; i <= 9; ++i) {
    snapshot delta;
    delta.counters["all"] = 1;
    if (i >= 4)
      delta.counters["late"] = 10;
    series.append(std::chrono::seconds{i}, delta);
  }
  const auto& all = series.counters().at("all");
  const auto& late = series.counters().at("late");
  std::uint64_t sum = 0;
  for (auto v : late.points)
    sum += v;
  EXPECT_EQ(sum, 60u);
  EXPECT_EQ(all.first + all.points.size(), series.size());
  EXPECT_EQ(late.first + late.points.size(), series.size());
}

TEST(metrics_series, interval_stats_of_an_empty_histogram_are_zero) {
  EXPECT_EQ(interval_stats::of(hdr_histogram{}), interval_stats{});
}
