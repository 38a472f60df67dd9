// The HTTP client against nginx: methods, headers and bodies, keep-alive
// (checked in nginx's access log), TLS, redirects, metrics.

#include <mutex>
#include <set>

#include "harness.hpp"

namespace amoc::test {
namespace {

using namespace std::chrono_literals;
namespace http = amoc::http;

// What a user saw, for the test thread to check after the run.
struct seen {
  std::vector<unsigned> statuses;
  std::vector<std::string> bodies;
  std::vector<bool> reused;
  std::vector<std::string> errors;
  std::vector<std::string> messages;  // the errors' what()
  std::vector<http::phase> phases;
  std::string content_type;
  std::mutex mutex;  // users run on several threads

  void clear() {
    statuses.clear();
    bodies.clear();
    reused.clear();
    errors.clear();
    messages.clear();
    phases.clear();
    content_type.clear();
  }

  void add(http::result& r) {
    std::lock_guard lock{mutex};
    if (r) {
      statuses.push_back(r->status);
      bodies.push_back(r->body);
      reused.push_back(r->reused_connection);
      content_type = std::string{r->header("content-type").value_or("")};
    } else {
      errors.push_back(r.error().condition());
      messages.emplace_back(r.error().what());
      phases.push_back(r.error().phase());
    }
  }
} observed;

std::string tag;     // the X-Amoc-Tag of the running test
std::string target;  // the URL the running test requests
http::options client_options;
int repeat = 1;

http::request tagged(http::method m, std::string url, std::string body = {}) {
  http::request req{m, std::move(url), {}, std::move(body), {}};
  req.headers.push_back({"X-Amoc-Tag", tag});
  req.headers.push_back({"X-Test", "header-value"});
  return req;
}

amoc::task<> get_repeatedly(amoc::user& u) {
  http::client c{u, client_options};
  for (int i = 0; i < repeat; ++i) {
    auto r = co_await c.send(tagged(http::method::get, target));
    observed.add(r);
  }
}

class http_client : public ::testing::Test {
protected:
  void SetUp() override {
    observed.clear();
    tag = unique_tag(::testing::UnitTest::GetInstance()->current_test_info()->name());
    client_options = {};
    repeat = 1;
  }
};

TEST_F(http_client, gets_a_static_file_and_records_latency_and_status) {
  target = http_base() + "/static.txt";
  http_run run{1, get_repeatedly};
  run.wait();
  ASSERT_EQ(observed.statuses, std::vector<unsigned>{200})
    << testing::PrintToString(observed.errors);
  EXPECT_EQ(observed.bodies[0], "hello from amoc's nginx\n");
  EXPECT_EQ(observed.content_type, "text/plain");
  EXPECT_EQ(run.counter("http.get.status.200"), 1u);
  EXPECT_EQ(run.samples("http.get.latency"), 1u);
  EXPECT_EQ(run.samples("http.get.latency_corrected"), 0u);  // closed model
  EXPECT_EQ(run.counter("http.requests"), 1u);
  ASSERT_EQ(logged(tag, 1).size(), 1u);
}

// Not a braced list in the loop: g++ 12 loses its array across a suspension.
constexpr http::method echo_methods[] = {http::method::post, http::method::put, http::method::patch,
                                         http::method::del};

amoc::task<> echo_each_method(amoc::user& u) {
  http::client c{u};
  for (auto m : echo_methods) {
    auto req = tagged(m, http_base() + "/echo?q=1", m == http::method::del ? "" : "payload-1");
    req.name = "echo";
    auto r = co_await c.send(req);
    observed.add(r);
  }
}

TEST_F(http_client, sends_methods_headers_and_bodies) {
  http_run run{1, echo_each_method};
  run.wait();
  ASSERT_EQ(observed.bodies.size(), 4u) << testing::PrintToString(observed.errors);
  const char* methods[] = {"POST", "PUT", "PATCH", "DELETE"};
  for (int i = 0; i < 4; ++i) {
    const auto& body = observed.bodies[i];
    EXPECT_NE(body.find(std::string{"method="} + methods[i] + "\n"), std::string::npos) << body;
    EXPECT_NE(body.find("uri=/echo?q=1\n"), std::string::npos) << body;
    EXPECT_NE(body.find("host=127.0.0.1\n"), std::string::npos) << body;
    EXPECT_NE(body.find("x_test=header-value\n"), std::string::npos) << body;
    if (i < 3) {
      EXPECT_NE(body.find("body=payload-1\n"), std::string::npos) << body;
    }
  }
  EXPECT_EQ(run.counter("http.echo.status.200"), 4u);
}

TEST_F(http_client, keeps_one_connection_alive_per_user) {
  target = http_base() + "/static.txt";
  repeat = 20;
  http_run run{1, get_repeatedly};
  run.wait();
  ASSERT_EQ(observed.statuses.size(), 20u) << testing::PrintToString(observed.errors);
  const auto lines = logged(tag, 20);
  ASSERT_EQ(lines.size(), 20u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].connection, lines[0].connection) << "request " << i;
    EXPECT_EQ(lines[i].connection_requests, i + 1) << "request " << i;
    EXPECT_EQ(observed.reused[i], i > 0) << "request " << i;
  }
  EXPECT_EQ(run.counter("http.connections"), 1u);
}

TEST_F(http_client, without_keep_alive_opens_a_connection_per_request) {
  target = http_base() + "/static.txt";
  repeat = 5;
  client_options.keep_alive = false;
  http_run run{1, get_repeatedly};
  run.wait();
  const auto lines = logged(tag, 5);
  ASSERT_EQ(lines.size(), 5u);
  std::set<std::uint64_t> connections;
  for (const auto& l : lines) {
    connections.insert(l.connection);
    EXPECT_EQ(l.connection_requests, 1u);
  }
  EXPECT_EQ(connections.size(), 5u);
  EXPECT_EQ(run.counter("http.connections"), 5u);
}

TEST_F(http_client, users_have_their_own_connections) {
  target = http_base() + "/static.txt";
  repeat = 5;
  http_run run{4, get_repeatedly};
  run.wait();
  const auto lines = logged(tag, 20);
  ASSERT_EQ(lines.size(), 20u);
  std::set<std::uint64_t> connections;
  for (const auto& l : lines)
    connections.insert(l.connection);
  EXPECT_EQ(connections.size(), 4u);
}

TEST_F(http_client, speaks_tls_without_verification_and_sends_sni) {
  target = https_base("localhost") + "/static.txt";
  repeat = 3;
  http_run run{1, get_repeatedly};
  run.wait();
  ASSERT_EQ(observed.statuses, (std::vector<unsigned>{200, 200, 200}))
    << testing::PrintToString(observed.errors);
  const auto lines = logged(tag, 3);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].sni, "localhost");
  EXPECT_EQ(lines[2].connection, lines[0].connection);  // TLS sessions are kept alive too
}

TEST_F(http_client, tls_verification_refuses_an_unknown_ca) {
  target = https_base("localhost") + "/static.txt";
  client_options.verify_tls = true;
  http_run run{1, get_repeatedly};
  run.wait();
  ASSERT_EQ(observed.phases, std::vector<http::phase>{http::phase::tls});
  EXPECT_EQ(run.counter("http.failures.tls"), 1u);
  EXPECT_EQ(run.counter("http.get.failures"), 1u);
}

TEST_F(http_client, tls_verification_accepts_the_server_with_its_ca) {
  client_options.verify_tls = true;
  client_options.ca_file = server_certificate();
  target = https_base("localhost") + "/static.txt";
  http_run run{1, get_repeatedly};
  run.wait();
  EXPECT_EQ(observed.statuses, std::vector<unsigned>{200})
    << testing::PrintToString(observed.errors);
}

TEST_F(http_client, an_unusable_ca_file_fails_the_request_naming_it) {
  client_options.verify_tls = true;
  client_options.ca_file = "/nonexistent/amoc-ca.pem";
  target = https_base("localhost") + "/static.txt";
  http_run run{1, get_repeatedly};
  run.wait();
  ASSERT_EQ(observed.phases, std::vector<http::phase>{http::phase::tls});
  EXPECT_EQ(observed.errors, std::vector<std::string>{"tls-setup-failed"});
  ASSERT_EQ(observed.messages.size(), 1u);
  EXPECT_NE(observed.messages[0].find("cannot use the CA /nonexistent/amoc-ca.pem"),
            std::string::npos)
    << observed.messages[0];
}

TEST_F(http_client, tls_verification_checks_the_name) {
  client_options.verify_tls = true;
  client_options.ca_file = server_certificate();
  // The certificate names localhost, not 127.0.0.1.
  target = https_base("127.0.0.1") + "/static.txt";
  http_run run{1, get_repeatedly};
  run.wait();
  EXPECT_EQ(observed.phases, std::vector<http::phase>{http::phase::tls});
}

TEST_F(http_client, returns_redirects_unless_told_to_follow) {
  target = http_base() + "/redirect";
  http_run run{1, get_repeatedly};
  run.wait();
  EXPECT_EQ(observed.statuses, std::vector<unsigned>{302});
}

amoc::task<> follow_redirect(amoc::user& u) {
  http::client c{u, client_options};
  auto r = co_await c.get(http_base() + "/redirect", "redirected");
  observed.add(r);
  if (r)
    observed.bodies.push_back(r->url + " after " + std::to_string(r->redirects));
  auto loop = co_await c.get(http_base() + "/redirect-loop", "loop");
  observed.add(loop);
}

TEST_F(http_client, follows_redirects_up_to_the_limit) {
  client_options.max_redirects = 3;
  http_run run{1, follow_redirect};
  run.wait();
  ASSERT_EQ(observed.statuses, std::vector<unsigned>{200});
  EXPECT_EQ(observed.bodies[1], http_base() + "/static.txt after 1");
  EXPECT_EQ(observed.errors, std::vector<std::string>{"too-many-redirects"});
  EXPECT_EQ(run.counter("http.failures.request"), 1u);
  EXPECT_EQ(run.counter("http.redirected.status.200"), 1u);
}

amoc::task<> head_then_get(amoc::user& u) {
  http::client c{u};
  http::request req;
  req.method = http::method::head;
  req.url = http_base() + "/big.bin";
  auto head = co_await c.send(req);
  observed.add(head);
  auto get = co_await c.get(http_base() + "/static.txt");
  observed.add(get);
}

TEST_F(http_client, head_responses_have_no_body_and_keep_the_connection) {
  http_run run{1, head_then_get};
  run.wait();
  ASSERT_EQ(observed.statuses, (std::vector<unsigned>{200, 200}));
  EXPECT_EQ(observed.bodies[0], "");
  EXPECT_EQ(observed.bodies[1], "hello from amoc's nginx\n");
  EXPECT_EQ(observed.reused, (std::vector<bool>{false, true}));
}

}  // namespace
}  // namespace amoc::test
