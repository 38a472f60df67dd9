#include "amoc/prometheus.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
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
