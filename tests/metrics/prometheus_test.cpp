#include "amoc/prometheus.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "amoc/error.hpp"

using namespace std::chrono_literals;
using namespace amoc::metrics;

namespace {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

http::response<http::string_body> get(std::uint16_t port, const std::string& target) {
  boost::asio::io_context io;
  boost::beast::tcp_stream stream{io};
  stream.expires_after(5s);
  stream.connect(tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  return res;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Each family: HELP, then TYPE, then all its samples together, once.
::testing::AssertionResult families_are_grouped(const std::string& text) {
  std::set<std::string> seen;
  std::string family, type;
  std::istringstream lines{text};
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# HELP ")) {
      family = line.substr(7, line.find(' ', 7) - 7);
      if (!seen.insert(family).second)
        return ::testing::AssertionFailure() << family << " appears twice";
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      if (!line.starts_with("# TYPE " + family + " "))
        return ::testing::AssertionFailure() << "TYPE without its HELP: " << line;
      type = line.substr(line.rfind(' ') + 1);
      continue;
    }
    if (line.starts_with("#"))
      continue;
    auto name = line.substr(0, line.find_first_of("{ "));
    if (type == "histogram")
      for (std::string_view suffix : {"_bucket", "_sum", "_count"})
        if (name == family + std::string{suffix})
          name = family;
    if (name != family)
      return ::testing::AssertionFailure()
             << "sample outside its family " << family << ": " << line;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(prometheus, exposition_has_counters_gauges_and_histograms) {
  registry reg;
  reg.counter("xmpp.messages_sent").add(42);
  reg.gauge("users.running").set(7);
  auto& ttd = reg.histogram("xmpp.ttd");
  ttd.record(300us);   // <= 0.0005 s
  ttd.record(800us);   // <= 0.001
  ttd.record(2ms);     // <= 0.0025
  ttd.record(2500us);  // exactly on a bound: counted in it
  ttd.record(40s);     // <= 60
  const auto text = prometheus_text(reg.snapshot());
  EXPECT_TRUE(contains(text, "# TYPE amoc_xmpp_messages_sent_total counter\n"
                             "amoc_xmpp_messages_sent_total 42\n"));
  EXPECT_TRUE(contains(text, "# TYPE amoc_users_running gauge\namoc_users_running 7\n"));
  EXPECT_TRUE(contains(text, "# TYPE amoc_xmpp_ttd_seconds histogram\n")) << text;
  EXPECT_TRUE(contains(text, "amoc_xmpp_ttd_seconds_bucket{le=\"0.0005\"} 1\n"));
  EXPECT_TRUE(contains(text, "amoc_xmpp_ttd_seconds_bucket{le=\"0.001\"} 2\n"));
  EXPECT_TRUE(contains(text, "amoc_xmpp_ttd_seconds_bucket{le=\"0.0025\"} 4\n"));
  EXPECT_TRUE(contains(text, "amoc_xmpp_ttd_seconds_bucket{le=\"30\"} 4\n"));
  EXPECT_TRUE(contains(text, "amoc_xmpp_ttd_seconds_bucket{le=\"60\"} 5\n"));
  EXPECT_TRUE(contains(text, "amoc_xmpp_ttd_seconds_bucket{le=\"+Inf\"} 5\n"));
  EXPECT_TRUE(contains(text, "amoc_xmpp_ttd_seconds_count 5\n"));
  EXPECT_TRUE(contains(text, "amoc_xmpp_ttd_seconds_sum 40.0056\n"));
  // tests/apps/prometheus_test.sh has promtool check this text too.
  if (const char* out = std::getenv("AMOC_PROMETHEUS_OUT"))
    std::ofstream{out} << text;
}

TEST(prometheus, labelled_families_with_help_and_type_and_grouped_samples) {
  registry reg;
  reg.counter("xmpp.failures.sasl").add(2);
  reg.counter("xmpp.messages_sent").add(5);
  reg.counter("xmpp.failures.tls").add(1);
  reg.counter("http.login.status.200").add(7);
  reg.counter("http.login.status.500").add(1);
  reg.counter("http.home.status.200").add(3);
  reg.counter("users.ended.normal").add(4);
  reg.histogram("http.login.latency").record(20ms);
  reg.histogram("http.home.latency").record(3ms);
  const auto text = prometheus_text(reg.snapshot());
  EXPECT_TRUE(contains(text, "# HELP amoc_xmpp_failures_total Failures of xmpp by phase.\n"
                             "# TYPE amoc_xmpp_failures_total counter\n"
                             "amoc_xmpp_failures_total{phase=\"sasl\"} 2\n"
                             "amoc_xmpp_failures_total{phase=\"tls\"} 1\n"))
    << text;
  EXPECT_TRUE(contains(text, "# TYPE amoc_http_responses_total counter\n"
                             "amoc_http_responses_total{name=\"home\",status=\"200\"} 3\n"
                             "amoc_http_responses_total{name=\"login\",status=\"200\"} 7\n"
                             "amoc_http_responses_total{name=\"login\",status=\"500\"} 1\n"))
    << text;
  EXPECT_TRUE(contains(text, "amoc_users_ended_total{reason=\"normal\"} 4\n"));
  EXPECT_TRUE(contains(text, "# TYPE amoc_http_latency_seconds histogram\n"));
  EXPECT_TRUE(contains(text, "amoc_http_latency_seconds_bucket{name=\"login\",le=\"0.025\"} 1\n"));
  EXPECT_TRUE(contains(text, "amoc_http_latency_seconds_bucket{name=\"home\",le=\"0.0025\"} 0\n"));
  EXPECT_TRUE(contains(text, "amoc_http_latency_seconds_count{name=\"home\"} 1\n"));
  EXPECT_TRUE(contains(text, "amoc_http_latency_seconds_sum{name=\"login\"} 0.02"));
  EXPECT_TRUE(families_are_grouped(text)) << text;
  if (const char* out = std::getenv("AMOC_PROMETHEUS_LABELLED_OUT"))
    std::ofstream{out} << text;
}

TEST(prometheus, a_histogram_without_samples_has_no_series) {
  registry reg;
  reg.histogram("http.get.latency").record(1ms);
  (void)reg.histogram("http.get.latency_corrected");  // a closed-model run records none
  (void)reg.histogram("chat.wait");
  const auto text = prometheus_text(reg.snapshot());
  EXPECT_TRUE(contains(text, "amoc_http_latency_seconds_count{name=\"get\"} 1\n"));
  EXPECT_FALSE(contains(text, "latency_corrected")) << text;
  EXPECT_FALSE(contains(text, "chat_wait")) << text;
}

TEST(prometheus, counters_per_node_in_a_distributed_run) {
  prometheus_scrape s;
  s.run.counters = {{"xmpp.failures.sasl", 5}, {"users.started", 30}};
  s.run.gauges = {{"users.running", 12}};
  s.nodes = {{"w1", {{"xmpp.failures.sasl", 2}, {"users.started", 10}}},
             {"w2", {{"xmpp.failures.sasl", 3}, {"users.started", 20}}}};
  const auto text = prometheus_text(s);
  EXPECT_TRUE(contains(text, "amoc_xmpp_failures_total{phase=\"sasl\",node=\"w1\"} 2\n"
                             "amoc_xmpp_failures_total{phase=\"sasl\",node=\"w2\"} 3\n"))
    << text;
  EXPECT_TRUE(contains(text, "amoc_users_started_total{node=\"w1\"} 10\n"
                             "amoc_users_started_total{node=\"w2\"} 20\n"));
  EXPECT_FALSE(contains(text, "amoc_users_started_total 30")) << "no run total next to the nodes'";
  EXPECT_TRUE(contains(text, "amoc_users_running 12\n"));  // gauges are only known merged
  EXPECT_TRUE(families_are_grouped(text)) << text;
}

TEST(prometheus, label_values_and_help_are_escaped) {
  registry reg;
  reg.counter("http.say \"hi\"\\now.status.200").add(1);
  reg.counter("odd\nname").add(1);
  const auto text = prometheus_text(reg.snapshot());
  EXPECT_TRUE(
    contains(text, "amoc_http_responses_total{name=\"say \\\"hi\\\"\\\\now\",status=\"200\"} 1\n"))
    << text;
  EXPECT_TRUE(contains(text, "# HELP amoc_odd_name_total amoc counter odd\\nname\n")) << text;
}

TEST(prometheus, names_that_come_out_the_same_keep_the_first_and_say_so) {
  registry reg;
  reg.counter("a.b").add(1);
  reg.counter("a_b").add(2);
  reg.gauge("a.b.total").set(3);  // a gauge: amoc_a_b_total_value, no clash
  reg.gauge("c").set(1);
  reg.counter("c").add(1);  // amoc_c_total: a family of its own
  const auto text = prometheus_text(reg.snapshot());
  EXPECT_TRUE(contains(text, "amoc_a_b_total 1\n")) << text;
  EXPECT_FALSE(contains(text, "amoc_a_b_total 2\n")) << text;
  EXPECT_TRUE(
    contains(text, "# amoc: a_b (counter) left out: its series amoc_a_b_total is taken\n"));
  EXPECT_TRUE(contains(text, "amoc_a_b_total_value 3\n"));
  EXPECT_TRUE(contains(text, "amoc_c 1\n"));
  EXPECT_TRUE(contains(text, "amoc_c_total 1\n"));
  EXPECT_TRUE(families_are_grouped(text)) << text;
}

TEST(prometheus, serves_a_fresh_snapshot_on_loopback) {
  registry reg;
  auto exporter = prometheus_exporter::start(reg, 0);
  ASSERT_TRUE(exporter) << amoc::render(exporter.error());
  const auto port = (*exporter)->port();
  ASSERT_NE(port, 0);
  reg.counter("c").add(1);
  auto first = get(port, "/metrics");
  EXPECT_EQ(first.result(), http::status::ok);
  EXPECT_TRUE(contains(std::string{first[http::field::content_type]}, "version=0.0.4"));
  EXPECT_TRUE(contains(first.body(), "amoc_c_total 1\n"));
  reg.counter("c").add(2);
  EXPECT_TRUE(contains(get(port, "/metrics").body(), "amoc_c_total 3\n"));
  EXPECT_EQ(get(port, "/other").result(), http::status::not_found);
}

TEST(prometheus, a_taken_port_is_a_clear_error) {
  registry reg;
  auto first = prometheus_exporter::start(reg, 0);
  ASSERT_TRUE(first);
  auto second = prometheus_exporter::start(reg, (*first)->port());
  ASSERT_FALSE(second);
  EXPECT_TRUE(contains(amoc::render(second.error()), "prometheus_port"));
}
