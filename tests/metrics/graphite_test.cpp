#include "amoc/graphite.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "amoc/error.hpp"

using namespace std::chrono_literals;
using namespace amoc::metrics;

TEST(graphite, paths_are_sanitised_under_the_prefix) {
  EXPECT_EQ(graphite_path("amoc", "xmpp.ttd"), "amoc.xmpp.ttd");
  EXPECT_EQ(graphite_path("load.eu", "my metric/α"), "load.eu.my_metric___");
  EXPECT_EQ(graphite_path("", "a.b"), "a.b");
}

TEST(graphite, lines_carry_totals_rates_gauges_and_interval_latencies) {
  registry reg;
  sampler s{reg};
  reg.counter("sent").add(20);
  s.sample(10s);
  reg.counter("sent").add(50);
  reg.gauge("users.running").set(12);
  for (int i = 1; i <= 4; ++i)  // below 2 ms HDR values are exact
    reg.histogram("ttd").record(std::chrono::microseconds{i * 100});
  (void)reg.histogram("idle");  // created, nothing recorded
  const auto lines = graphite_lines("amoc", s.sample(20s), 1700000000);
  EXPECT_EQ(lines, "amoc.sent.total 70 1700000000\n"
                   "amoc.sent.rate 5 1700000000\n"
                   "amoc.users.running.value 12 1700000000\n"
                   "amoc.idle.count 0 1700000000\n"
                   "amoc.ttd.count 4 1700000000\n"
                   "amoc.ttd.min 0.1 1700000000\n"
                   "amoc.ttd.mean 0.25 1700000000\n"
                   "amoc.ttd.p50 0.2 1700000000\n"
                   "amoc.ttd.p90 0.4 1700000000\n"
                   "amoc.ttd.p99 0.4 1700000000\n"
                   "amoc.ttd.max 0.4 1700000000\n");
}

TEST(graphite, an_absent_carbon_fails_fast_with_a_hint) {
  // Port 1 on loopback: nothing listens there, the connect is refused at once.
  graphite_reporter reporter{{"127.0.0.1", 1, "amoc", "", 2s}};
  registry reg;
  sampler s{reg};
  const auto start = std::chrono::steady_clock::now();
  auto err = reporter.report(s.sample(1s));
  ASSERT_TRUE(err);
  EXPECT_NE(amoc::render(err).find("127.0.0.1:1: cannot connect (is carbon listening?)"),
            std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}
