// Open-model load with the http_get scenario: the planned arrival rate is
// what reaches nginx (its access log's arrival times), and latency from the
// intended send time shows what a slow server does to queued arrivals.

#include <cmath>

#include "amoc/http/arrival_rate.hpp"
#include "harness.hpp"
#include "loopback_server.hpp"

namespace amoc::test {
namespace {

using namespace std::chrono_literals;
namespace http = amoc::http;

// Requests per second between the first and the last arrival in `lines`.
double measured_rate(const std::vector<log_line>& lines) {
  if (lines.size() < 2)
    return 0;
  return static_cast<double>(lines.size() - 1) / (lines.back().time_s - lines.front().time_s);
}

TEST(http_rate, a_constant_rate_reaches_the_server_within_2_percent) {
  const auto mark = unique_tag("constant-rate");
  http_run run{20,
               "http_get",
               {{"http_url", http_base() + "/static.txt?" + mark},
                {"http_rate", 200},
                {"http_rate_duration", "3s"}}};
  run.wait();
  const auto lines = logged("", 600, mark);
  ASSERT_EQ(lines.size(), 600u);  // arrivals at 0, 5 ms, ..., 2995 ms
  EXPECT_NEAR(measured_rate(lines), 200.0, 200.0 * 0.02);
  EXPECT_EQ(run.counter("http.get.status.200"), 600u);
  EXPECT_EQ(run.samples("http.get.latency_corrected"), 600u);
  EXPECT_EQ(run.counter("http.connections"), 20u);  // every user kept its connection
}

TEST(http_rate, a_ramp_follows_its_plan) {
  const auto mark = unique_tag("ramp");
  // 50 -> 250 rps over 2 s (300 arrivals), then 250 rps for 1 s.
  http_run run{30,
               "http_get",
               {{"http_url", http_base() + "/static.txt?" + mark},
                {"http_rate_start", 50},
                {"http_rate", 250},
                {"http_rate_ramp", "2s"},
                {"http_rate_duration", "3s"}}};
  run.wait();
  const auto lines = logged("", 550, mark);
  ASSERT_EQ(lines.size(), 550u);
  const double start = lines.front().time_s;
  std::vector<log_line> first_half_second, last_second;
  for (const auto& l : lines) {
    if (l.time_s - start < 0.5)
      first_half_second.push_back(l);
    if (l.time_s - start >= 2.0)
      last_second.push_back(l);
  }
  // The plan: 37.5 arrivals in the first 0.5 s (50t + 50t^2), 250 a second at the end. The
  // first arrivals may wait for connections to open: a little slack there.
  const http::rate_plan plan{250, 50, 2s, 3s};
  EXPECT_NEAR(static_cast<double>(first_half_second.size()), plan.arrivals_until(500ms), 3);
  EXPECT_NEAR(measured_rate(last_second), 250.0, 250.0 * 0.02);
}

TEST(http_rate, latency_from_the_intended_time_shows_queued_arrivals) {
  // One user, a server taking 100 ms, 20 arrivals a second: the user can send
  // only 10 a second, so arrivals queue up. Plain latency stays ~100 ms; from
  // the intended time it grows to about a second by the last arrival.
  loopback_server server{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 1000, 100ms};
  http_run run{1,
               "http_get",
               {{"http_url", server.url()},
                {"http_rate", 20},
                {"http_rate_duration", "1s"},
                {"http_request_timeout", "5s"}}};
  run.wait();
  ASSERT_EQ(server.requests(), 20);
  const auto plain = run.histogram("http.get.latency");
  const auto corrected = run.histogram("http.get.latency_corrected");
  ASSERT_EQ(plain.count(), 20u);
  ASSERT_EQ(corrected.count(), 20u);
  const auto ms = [](std::uint64_t us) { return static_cast<double>(us) / 1000.0; };
  EXPECT_LT(ms(plain.max()), 300);
  EXPECT_GT(ms(corrected.max()), 800);
  EXPECT_LT(ms(corrected.max()), 1500);
}

}  // namespace
}  // namespace amoc::test
