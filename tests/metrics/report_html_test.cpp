#include "amoc/report_html.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "amoc/result_json.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"

using namespace std::chrono_literals;
using namespace amoc;

namespace {

// Five minutes of a plausible XMPP run, sampled every 10 s: users ramp up
// to 500 and down, messages flow with the users, delivery slows down in the
// middle, some connections fail.
nlohmann::json synthetic_run() {
  metrics::registry reg;
  metrics::sampler sampler{reg};
  std::mt19937 rng{42};
  std::lognormal_distribution<double> ttd_ms{1.2, 0.5};
  std::lognormal_distribution<double> login_ms{3.0, 0.4};
  auto& users = reg.gauge("users.running");
  std::int64_t running = 0;
  for (int step = 1; step <= 30; ++step) {
    const std::int64_t target = step <= 12   ? std::min(step * 42, 500)
                                : step <= 24 ? 500
                                             : (30 - step) * 80;
    if (target > running) {
      reg.counter("users.started").add(static_cast<std::uint64_t>(target - running));
      reg.counter("xmpp.connections").add(static_cast<std::uint64_t>(target - running));
      for (auto i = running; i < target; ++i) {
        reg.histogram("xmpp.login")
          .record(std::chrono::microseconds{static_cast<std::int64_t>(login_ms(rng) * 1000)});
        reg.histogram("xmpp.login.sasl")
          .record(std::chrono::microseconds{static_cast<std::int64_t>(login_ms(rng) * 400)});
      }
    } else {
      reg.counter("users.ended.normal").add(static_cast<std::uint64_t>(running - target));
    }
    running = target;
    users.set(running);
    const auto messages = static_cast<std::uint64_t>(running) * 10;
    reg.counter("xmpp.messages_sent").add(messages);
    reg.counter("xmpp.messages_received").add(messages - messages / 200);
    const double slow = step >= 14 && step <= 17 ? 6.0 : 1.0;
    for (std::uint64_t m = 0; m < messages / 5; ++m)
      reg.histogram("xmpp.ttd")
        .record(std::chrono::microseconds{static_cast<std::int64_t>(ttd_ms(rng) * slow * 1000)});
    if (step % 7 == 3)
      reg.counter("xmpp.failures.connect").add(4);
    if (step == 15)
      reg.counter("xmpp.failures.wait").add(9);
    if (step == 20)
      reg.counter("xmpp.failures.sasl").add(2);
    sampler.sample(std::chrono::seconds{step * 10});
  }
  run_file run;
  run.scenario = "xmpp_chat";
  run.first_id = 1;
  run.last_id = 500;
  run_result result;
  result.final_status.state = run_state::finished;
  result.final_status.next_id = 501;
  result.final_status.users.started = 500;
  result.final_status.users.ended.normal = 500;
  result.wall_time = 300s;
  result.started_at = std::chrono::system_clock::time_point{std::chrono::seconds{1'795'000'000}};
  result.metrics = sampler.totals();
  result.series = sampler.series();
  result.metrics_interval = 10s;
  for (auto [metric, expr] :
       {std::pair{"xmpp.ttd", "p99 < 500ms"}, std::pair{"xmpp.failures.connect", "count == 0"},
        std::pair{"xmpp.messages_sent", "rate > 100/s"}}) {
    auto t = parse_threshold(metric, expr);
    result.thresholds.push_back(evaluate(*t, result.metrics, result.series, result.wall_time));
  }
  return to_json(run, result);
}

}  // namespace

TEST(report_html, is_self_contained_with_every_chart_and_table) {
  const auto doc = synthetic_run();
  const auto html = html_report(doc);
  // Nothing fetched: no scripts, stylesheets or images from anywhere.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  for (auto attribute : {"src=", "href=", "url("})
    EXPECT_EQ(html.find(attribute), std::string::npos) << attribute;
  for (auto part :
       {"Users over time", "Message and request rates", "Latency: xmpp.ttd", "Latency: xmpp.login",
        "Failures by phase", "xmpp.failures.connect", "xmpp.failures.wait", "THRESHOLDS CROSSED",
        "p99 &lt; 500ms", "Counters", "Gauges", "Latency (ms)", "xmpp.messages_received"})
    EXPECT_NE(html.find(part), std::string::npos) << part;
  // One chart each for users, rates, failures and two latency histograms (+ sasl).
  std::size_t charts = 0;
  for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1))
    ++charts;
  EXPECT_EQ(charts, 7u);  // users, rates, 3 latencies, failure totals and over time
  // The screenshot test renders this file in Chromium.
  if (const char* out = std::getenv("AMOC_REPORT_OUT")) {
    std::ofstream{out} << html;
    std::ofstream{std::string{out} + ".json"} << doc.dump(2);
  }
}

TEST(report_html, an_empty_run_still_renders) {
  run_file run;
  run.scenario = "dummy";
  run_result result;
  result.final_status.state = run_state::error;
  result.final_status.error = "scenario_init_failed: <boom>";
  const auto html = html_report(to_json(run, result));
  EXPECT_NE(html.find("RUN FAILED"), std::string::npos);
  EXPECT_NE(html.find("&lt;boom&gt;"), std::string::npos);
  EXPECT_NE(html.find("No message or request counters."), std::string::npos);
  EXPECT_NE(html.find("No failures recorded."), std::string::npos);
}
