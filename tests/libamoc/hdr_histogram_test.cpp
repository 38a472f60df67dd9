#include "amoc/hdr_histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "amoc/metrics.hpp"

using amoc::metrics::hdr_histogram;

namespace {

// 3 significant digits: any reported value is within 0.1% of the true one.
void expect_close(std::uint64_t actual, double expected) {
  EXPECT_LE(std::abs(static_cast<double>(actual) - expected), expected * 0.001 + 1)
    << "actual " << actual << ", expected " << expected;
}

hdr_histogram one_to(std::uint64_t n) {
  hdr_histogram h;
  for (std::uint64_t v = 1; v <= n; ++v)
    h.record(v);
  return h;
}

}  // namespace

TEST(hdr_histogram, empty_reports_zeros) {
  hdr_histogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.value_at(99), 0u);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(hdr_histogram, values_below_2048_are_exact) {
  auto h = one_to(2000);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.max(), 2000u);
  EXPECT_EQ(h.value_at(50), 1000u);
  EXPECT_EQ(h.value_at(99), 1980u);
  EXPECT_DOUBLE_EQ(h.mean(), 1000.5);
}

TEST(hdr_histogram, percentiles_keep_three_significant_digits) {
  auto h = one_to(1'000'000);
  EXPECT_EQ(h.count(), 1'000'000u);
  expect_close(h.value_at(50), 500'000);
  expect_close(h.value_at(90), 900'000);
  expect_close(h.value_at(99.9), 999'000);
  expect_close(h.max(), 1'000'000);
  EXPECT_DOUBLE_EQ(h.mean(), 500'000.5);  // the sum is exact
}

TEST(hdr_histogram, covers_more_than_an_hour_and_clamps_above) {
  hdr_histogram h;
  const std::uint64_t hour_us = 3'600'000'000;
  h.record(hour_us);
  expect_close(h.max(), hour_us);
  h.record(hdr_histogram::highest_trackable * 4);
  EXPECT_EQ(h.max(), hdr_histogram::highest_trackable);
}

TEST(hdr_histogram, merge_equals_recording_everything_in_one) {
  hdr_histogram a, b, all;
  for (std::uint64_t v = 1; v < 100'000; v += 7) {
    (v % 2 ? a : b).record(v * 3);
    all.record(v * 3);
  }
  a.merge(b);
  EXPECT_EQ(a, all);
}

TEST(hdr_histogram, subtract_leaves_what_came_in_between) {
  hdr_histogram before = one_to(100);
  hdr_histogram later = before;
  later.record(5000, 3);
  later.subtract(before);
  EXPECT_EQ(later.count(), 3u);
  EXPECT_EQ(later.sum(), 15000u);
  EXPECT_EQ(later.min(), 5000u);
}

TEST(hdr_histogram, nonzero_cells_round_trip) {
  auto h = one_to(5000);
  hdr_histogram copy;
  ASSERT_TRUE(hdr_histogram::from_nonzero(h.nonzero(), h.sum(), copy));
  EXPECT_EQ(copy, h);
  EXPECT_FALSE(hdr_histogram::from_nonzero({{hdr_histogram::counts_size, 1}}, 0, copy));
}

TEST(hdr_histogram, index_bounds_are_consistent) {
  for (std::uint64_t v : {0ull, 1ull, 2047ull, 2048ull, 2049ull, 123456789ull, 4294967295ull}) {
    const auto i = hdr_histogram::index_of(v);
    EXPECT_LE(hdr_histogram::lowest_at(i), v);
    EXPECT_GE(hdr_histogram::highest_at(i), v);
  }
}

TEST(metrics_histogram, records_from_many_threads) {
  amoc::metrics::histogram h;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 1; i <= 10'000; ++i)
        h.record(std::chrono::microseconds{i});
    });
  for (auto& t : threads)
    t.join();
  const auto snap = h.snapshot();
  EXPECT_EQ(snap.count(), 40'000u);
  EXPECT_DOUBLE_EQ(snap.mean(), 5000.5);
}

// Histograms hold counters only up to the highest one used: equality,
// merges and percentiles must not depend on how far each one reaches.
TEST(hdr_histogram, counters_past_the_highest_used_count_as_zero) {
  hdr_histogram low, high;
  low.record(10);
  high.record(10);
  high.record(3'000'000);
  EXPECT_NE(low, high);
  hdr_histogram only_high;
  only_high.record(3'000'000);
  high.subtract(only_high);  // back to one sample of 10, with a longer tail of zeros
  EXPECT_EQ(high.count(), 1u);
  EXPECT_EQ(high, low);
  EXPECT_EQ(low, high);
  hdr_histogram merged;
  merged.merge(low);
  merged.merge(only_high);
  EXPECT_EQ(merged.max(), only_high.max());
  EXPECT_EQ(merged.value_at(50), low.max());
}

TEST(metrics_histogram, snapshots_read_every_shard_up_to_its_highest_sample) {
  amoc::metrics::histogram h;
  h.record(std::chrono::microseconds{5});
  std::thread other{[&] { h.record(std::chrono::seconds{100}); }};
  other.join();
  auto snap = h.snapshot();
  EXPECT_EQ(snap.count(), 2u);
  expect_close(snap.max(), 100e6);
  h.reset();
  EXPECT_TRUE(h.snapshot().empty());
  h.record(std::chrono::microseconds{7});
  snap = h.snapshot();
  EXPECT_EQ(snap.count(), 1u);
  EXPECT_EQ(snap.max(), 7u);
}

TEST(metrics_registry, returns_the_same_metric_for_a_name) {
  amoc::metrics::registry r;
  auto& c = r.counter("a");
  c.add(2);
  EXPECT_EQ(&r.counter("a"), &c);
  EXPECT_EQ(r.counter("a").value(), 2u);
  EXPECT_NE(static_cast<void*>(&r.histogram("a")), static_cast<void*>(&c));
}

TEST(hdr_histogram, standard_percentiles_agree_with_one_walk_each) {
  EXPECT_EQ(hdr_histogram{}.standard_percentiles().p99, 0u);
  std::uint64_t state = 42;
  auto next = [&state] {  // a fixed sequence spread over several buckets
    state = state * 6364136223846793005u + 1442695040888963407u;
    return (state >> 33) % 5'000'000;
  };
  for (const std::size_t samples : {1u, 2u, 7u, 1000u, 100'000u}) {
    hdr_histogram h;
    for (std::size_t i = 0; i < samples; ++i)
      h.record(next());
    const auto p = h.standard_percentiles();
    EXPECT_EQ(p.min, h.min());
    EXPECT_EQ(p.p50, h.value_at(50));
    EXPECT_EQ(p.p90, h.value_at(90));
    EXPECT_EQ(p.p95, h.value_at(95));
    EXPECT_EQ(p.p99, h.value_at(99));
    EXPECT_EQ(p.p999, h.value_at(99.9));
    EXPECT_EQ(p.max, h.max());
  }
}
