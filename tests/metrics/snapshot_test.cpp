#include "amoc/metrics_snapshot.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>

#include "amoc/error.hpp"
#include "amoc/metrics.hpp"

using namespace std::chrono_literals;
using namespace amoc::metrics;

namespace {

// A node's registry after some load: a few counters, a gauge, latencies.
void simulate_node(registry& reg, unsigned seed, int samples) {
  std::mt19937 rng{seed};
  std::lognormal_distribution<double> latency_us{7.0, 0.8};
  for (int i = 0; i < samples; ++i) {
    reg.histogram("xmpp.ttd")
      .record(std::chrono::microseconds{static_cast<std::int64_t>(latency_us(rng))});
    reg.counter("xmpp.messages_sent").add();
  }
  reg.counter("xmpp.failures.connect").add(seed % 3);
  reg.gauge("users.running").set(100);
}

}  // namespace

TEST(metrics_snapshot, registry_snapshot_holds_every_metric) {
  registry reg;
  reg.counter("a").add(3);
  reg.gauge("g").set(-4);
  reg.histogram("h").record(1500us);
  auto s = reg.snapshot();
  EXPECT_EQ(s.counters.at("a"), 3u);
  EXPECT_EQ(s.gauges.at("g"), -4);
  EXPECT_EQ(s.histograms.at("h").count(), 1u);
  EXPECT_EQ(s.histograms.at("h").value_at(50), 1500u);
  auto cheap = reg.snapshot(false);
  EXPECT_TRUE(cheap.histograms.empty());
  EXPECT_EQ(cheap.counters.at("a"), 3u);
}

TEST(metrics_snapshot, reset_starts_from_zero_and_keeps_references_valid) {
  registry reg;
  auto& c = reg.counter("c");
  auto& h = reg.histogram("h");
  auto& g = reg.gauge("g");
  c.add(5);
  g.set(7);
  h.record(2ms);
  reg.reset();
  auto s = reg.snapshot();
  EXPECT_EQ(s.counters.at("c"), 0u);
  EXPECT_EQ(s.gauges.at("g"), 0);
  EXPECT_TRUE(s.histograms.at("h").empty());
  c.add();
  h.record(1500us);
  s = reg.snapshot();
  EXPECT_EQ(s.counters.at("c"), 1u);
  EXPECT_EQ(s.histograms.at("h").count(), 1u);
  EXPECT_EQ(s.histograms.at("h").value_at(100), 1500u);
}

TEST(metrics_snapshot, since_gives_the_interval) {
  registry reg;
  reg.counter("c").add(10);
  reg.histogram("h").record(1ms);
  reg.gauge("g").set(3);
  const auto first = reg.snapshot();
  reg.counter("c").add(5);
  reg.counter("new").add(2);
  reg.histogram("h").record(9ms);
  reg.histogram("h").record(9ms);
  reg.gauge("g").set(1);
  const auto delta = reg.snapshot().since(first);
  EXPECT_EQ(delta.counters.at("c"), 5u);
  EXPECT_EQ(delta.counters.at("new"), 2u);
  EXPECT_EQ(delta.gauges.at("g"), 1);
  EXPECT_EQ(delta.histograms.at("h").count(), 2u);
  EXPECT_EQ(delta.histograms.at("h").min(), 9000u);
}

TEST(metrics_snapshot, since_a_reset_counts_from_zero) {
  registry reg;
  reg.counter("c").add(10);
  reg.histogram("h").record(1ms);
  const auto before = reg.snapshot();
  reg.reset();
  reg.counter("c").add(2);
  const auto delta = reg.snapshot().since(before);
  EXPECT_EQ(delta.counters.at("c"), 2u);
  EXPECT_TRUE(delta.histograms.at("h").empty());
}

// The master's view of a distributed run: exactly what one registry
// recording everything would hold (percentiles merged, never averaged).
TEST(metrics_snapshot, merging_nodes_equals_one_registry_recording_all) {
  registry a, b, c, all;
  simulate_node(a, 1, 5000);
  simulate_node(b, 2, 20000);
  simulate_node(c, 3, 100);
  simulate_node(all, 1, 5000);
  simulate_node(all, 2, 20000);
  simulate_node(all, 3, 100);
  const std::vector<snapshot> nodes{a.snapshot(), b.snapshot(), c.snapshot()};
  const auto merged = merge(nodes);
  const auto expected = all.snapshot();
  EXPECT_EQ(merged.counters, expected.counters);
  EXPECT_EQ(merged.histograms, expected.histograms);
  EXPECT_EQ(merged.histograms.at("xmpp.ttd").value_at(99),
            expected.histograms.at("xmpp.ttd").value_at(99));
  // Gauges add up over nodes (users running on three nodes).
  EXPECT_EQ(merged.gauges.at("users.running"), 300);
}

TEST(metrics_snapshot, json_round_trip_is_lossless) {
  registry reg;
  simulate_node(reg, 7, 3000);
  const auto s = reg.snapshot();
  const auto text = to_json(s).dump();
  auto back = snapshot_from_json(nlohmann::json::parse(text));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, s);
  // Compact: only non-zero cells travel (far fewer than the 23,552 counters).
  EXPECT_LT(text.size(), 20'000u);
}

TEST(metrics_snapshot, json_errors_name_the_problem) {
  EXPECT_FALSE(snapshot_from_json(nlohmann::json::array()));
  auto bad_cell = snapshot_from_json(
    nlohmann::json::parse(R"({"histograms": {"h": {"sum": 1, "cells": [[99999999, 1]]}}})"));
  ASSERT_FALSE(bad_cell);
  EXPECT_NE(amoc::render(bad_cell.error()).find("histogram h"), std::string::npos);
  auto bad_type = snapshot_from_json(nlohmann::json::parse(R"({"counters": {"c": "many"}})"));
  EXPECT_FALSE(bad_type);
}
