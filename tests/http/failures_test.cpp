// Failures are values, counted by phase: timeouts, refused connections,
// servers that close early, error statuses (which are responses, not failures).

#include "harness.hpp"
#include "loopback_server.hpp"

namespace amoc::test {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
namespace http = amoc::http;

struct outcome {
  std::vector<unsigned> statuses;
  std::vector<std::string> conditions;
  std::vector<http::phase> phases;
  std::vector<bool> reused;
  duration took{};
} observed;

std::vector<std::string> urls;
http::options client_options;

amoc::task<> get_each(amoc::user& u) {
  http::client c{u, client_options};
  const auto started = clock_type::now();
  for (const auto& url : urls) {
    auto r = co_await c.get(url, "f");
    if (r) {
      observed.statuses.push_back(r->status);
      observed.reused.push_back(r->reused_connection);
    } else {
      observed.conditions.push_back(r.error().condition());
      observed.phases.push_back(r.error().phase());
    }
  }
  observed.took = clock_type::now() - started;
}

class http_failures : public ::testing::Test {
protected:
  void SetUp() override {
    observed = {};
    urls.clear();
    client_options = {};
  }
};

TEST_F(http_failures, a_slow_response_times_out) {
  client_options.request_timeout = 300ms;
  urls = {http_base() + "/slow"};
  http_run run{1, get_each};
  run.wait();
  EXPECT_EQ(observed.conditions, std::vector<std::string>{"request-timeout"});
  EXPECT_EQ(observed.phases, std::vector<http::phase>{http::phase::timeout});
  EXPECT_GE(observed.took, 300ms);
  EXPECT_LT(observed.took, 1s);  // /slow takes 2 s: the timeout cut it short
  EXPECT_EQ(run.counter("http.failures.timeout"), 1u);
  EXPECT_EQ(run.counter("http.f.failures"), 1u);
  EXPECT_EQ(run.samples("http.f.latency"), 0u);
}

TEST_F(http_failures, the_connection_after_a_timeout_is_a_new_one) {
  client_options.request_timeout = 300ms;
  urls = {http_base() + "/slow", http_base() + "/static.txt"};
  http_run run{1, get_each};
  run.wait();
  EXPECT_EQ(observed.statuses, std::vector<unsigned>{200});
  EXPECT_EQ(observed.reused, std::vector<bool>{false});
  EXPECT_EQ(run.counter("http.connections"), 2u);
}

TEST_F(http_failures, a_refused_connection_fails_in_connect) {
  urls = {"http://127.0.0.1:1/"};
  http_run run{1, get_each};
  run.wait();
  EXPECT_EQ(observed.phases, std::vector<http::phase>{http::phase::connect});
  EXPECT_EQ(run.counter("http.failures.connect"), 1u);
}

TEST_F(http_failures, a_bad_url_fails_before_any_io) {
  urls = {"ftp://127.0.0.1/", "http://:80/"};
  http_run run{1, get_each};
  run.wait();
  EXPECT_EQ(observed.conditions, (std::vector<std::string>{"bad-url", "bad-url"}));
  EXPECT_EQ(run.counter("http.failures.request"), 2u);
  EXPECT_EQ(run.counter("http.connections"), 0u);
}

TEST_F(http_failures, error_statuses_are_responses_counted_by_code) {
  urls = {http_base() + "/error500", http_base() + "/missing", http_base() + "/error500",
          http_base() + "/static.txt", http_base() + "/error500"};
  http_run run{1, get_each};
  run.wait();
  EXPECT_EQ(observed.statuses, (std::vector<unsigned>{500, 404, 500, 200, 500}));
  EXPECT_EQ(run.counter("http.f.status.500"), 3u);
  EXPECT_EQ(run.counter("http.f.status.404"), 1u);
  EXPECT_EQ(run.counter("http.f.status.200"), 1u);
  EXPECT_EQ(run.counter("http.f.failures"), 0u);
  EXPECT_EQ(run.samples("http.f.latency"), 5u);
}

TEST_F(http_failures, a_server_closing_without_response_fails_in_read) {
  urls = {http_base() + "/close", http_base() + "/static.txt"};
  http_run run{1, get_each};
  run.wait();
  EXPECT_EQ(observed.conditions, std::vector<std::string>{"connection-closed"});
  EXPECT_EQ(observed.phases, std::vector<http::phase>{http::phase::read});
  EXPECT_EQ(observed.statuses, std::vector<unsigned>{200});  // then on a new connection
  EXPECT_EQ(run.counter("http.failures.read"), 1u);
}

TEST_F(http_failures, a_server_closing_mid_body_fails_in_read) {
  loopback_server server{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b", 1};
  urls = {server.url()};
  http_run run{1, get_each};
  run.wait();
  EXPECT_EQ(observed.conditions, std::vector<std::string>{"closed-mid-response"});
  EXPECT_EQ(observed.phases, std::vector<http::phase>{http::phase::read});
  EXPECT_EQ(run.counter("http.failures.read"), 1u);
}

TEST_F(http_failures, a_kept_connection_closed_by_the_server_is_retried_once) {
  // Keep-alive announced, yet the connection closes after each response, as a
  // server's idle timeout does: the next request finds it dead before any byte.
  loopback_server server{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 1};
  urls = {server.url(), server.url(), server.url()};
  http_run run{1, get_each};
  run.wait();
  EXPECT_EQ(observed.statuses, (std::vector<unsigned>{200, 200, 200}))
    << testing::PrintToString(observed.conditions);
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(run.counter("http.failures.read") + run.counter("http.failures.write"), 0u);
}

TEST_F(http_failures, malformed_responses_fail_in_read) {
  loopback_server server{"HTTP/1.1 two hundred\r\n\r\n", 1};
  urls = {server.url()};
  http_run run{1, get_each};
  run.wait();
  EXPECT_EQ(observed.conditions, std::vector<std::string>{"bad-response"});
  EXPECT_EQ(run.counter("http.failures.read"), 1u);
}

}  // namespace
}  // namespace amoc::test
