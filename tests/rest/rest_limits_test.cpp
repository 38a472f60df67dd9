// The REST gateway under clients that misbehave: a real `amoc serve`, real
// sockets that sit idle, trickle, overflow its limits or send garbage, and a
// timed authorized request beside them.

#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "rest_support.hpp"

namespace amoc::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

std::vector<std::unique_ptr<raw_connection>> open_connections(std::uint16_t port, int n) {
  std::vector<std::unique_ptr<raw_connection>> all;
  for (int i = 0; i < n; ++i) {
    all.push_back(std::make_unique<raw_connection>(port));
    EXPECT_TRUE(all.back()->connected()) << "connection " << i;
  }
  return all;
}

std::string error_of(const http_reply& r) { return r.json().value("error", ""); }

class rest_limits : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    plugins_ = new temp_dir;
    ::setenv("AMOC_PLUGIN_DIR", plugins_->path().c_str(), 1);
    ::setenv("AMOC_dummy_sleep", "1h", 1);
    ::setenv("AMOC_interarrival", "1h", 1);
  }
  static void TearDownTestSuite() {
    delete plugins_;
    ::unsetenv("AMOC_dummy_sleep");
    ::unsetenv("AMOC_interarrival");
  }

  // An authorized request that changes nothing (no run to stop): answered 409.
  timed_reply authorized_stop(const serve_process& amoc) const {
    return timed_call(amoc.port(), "PATCH", "/execution/stop", "{}", amoc.token());
  }

  static temp_dir* plugins_;
};

temp_dir* rest_limits::plugins_ = nullptr;

TEST_F(rest_limits, idle_connections_do_not_delay_an_authorized_request) {
  serve_process amoc;
  const auto before = rss_kib(amoc.pid());
  auto idle = open_connections(amoc.port(), 2000);
  for (int i = 0; i < 3; ++i) {
    auto stop = authorized_stop(amoc);
    EXPECT_EQ(stop.reply.status, 409u) << stop.reply.body;
    EXPECT_LT(stop.seconds, 1.0) << "under 2,000 idle connections";
    std::cout << "authorized request under 2,000 idle connections: " << stop.seconds * 1000
              << " ms\n";
  }
  const auto rss = rss_kib(amoc.pid());
  std::cout << "amoc serve RSS: " << before << " KiB, with 2,000 idle connections " << rss
            << " KiB\n";
  EXPECT_LT(rss, before + 64 * 1024) << "memory per idle connection stays small";
  // A connection that never sends a request is closed after the request
  // deadline (5 s).
  EXPECT_TRUE(idle.front()->closed_within(8)) << "an idle connection stays open";
  EXPECT_EQ(amoc.get("/status").status, 200u);
}

TEST_F(rest_limits, trickling_connections_are_cut_at_the_request_deadline) {
  serve_process amoc;
  auto slow = open_connections(amoc.port(), 70);
  for (auto& c : slow)
    ASSERT_TRUE(c->send("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
  const auto started = std::chrono::steady_clock::now();
  // Then one byte each every 500 ms: no read waits long, the request never ends.
  for (int round = 0; std::chrono::steady_clock::now() - started < 8s; ++round) {
    std::size_t open = 0;
    for (auto& c : slow)
      open += c->send("a") ? 1 : 0;
    if (round == 4) {
      auto stop = authorized_stop(amoc);
      EXPECT_EQ(stop.reply.status, 409u) << stop.reply.body;
      EXPECT_LT(stop.seconds, 1.0) << "under 70 trickling connections";
      std::cout << "authorized request under 70 trickling connections: " << stop.seconds * 1000
                << " ms\n";
    }
    if (open == 0)
      break;
    std::this_thread::sleep_for(500ms);
  }
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  std::size_t still_open = 0;
  for (auto& c : slow)
    still_open += c->closed_within(0.2) ? 0 : 1;
  EXPECT_EQ(still_open, 0u) << "trickling connections outlive the 5 s request deadline";
  EXPECT_LT(took.count(), 7.5);
  EXPECT_EQ(amoc.get("/status").status, 200u);
}

TEST_F(rest_limits, past_the_connection_cap_idle_ones_make_room_then_503_answers) {
  ::setenv("AMOC_rest_max_connections", "20", 1);
  serve_process amoc;
  ::unsetenv("AMOC_rest_max_connections");
  // Idle connections (no byte sent) are the first to go for a newcomer.
  auto idle = open_connections(amoc.port(), 20);
  EXPECT_EQ(authorized_stop(amoc).reply.status, 409u);
  // Connections in the middle of a request are not: the next one gets a 503.
  auto busy = open_connections(amoc.port(), 20);
  for (auto& c : busy)
    ASSERT_TRUE(c->send("GET /status HTTP/1.1\r\n"));
  std::this_thread::sleep_for(200ms);
  raw_connection late{amoc.port()};
  ASSERT_TRUE(late.send("GET /status HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto answer = late.read_until_closed(3);
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_NE(answer.find("too many connections (20 open"), std::string::npos) << answer;
  // Once their deadline passed, the server serves again.
  EXPECT_TRUE(busy.back()->closed_within(8));
  EXPECT_EQ(amoc.get("/status").status, 200u);
}

TEST_F(rest_limits, deep_json_is_400_naming_the_limit) {
  serve_process amoc;
  const std::string deep =
    R"({"settings": )" + std::string(50000, '[') + std::string(50000, ']') + "}";
  for (const char* path :
       {"/execution/update_settings", "/execution/start", "/execution/add_users"}) {
    auto r = http_call(amoc.port(), "PATCH", path, deep, amoc.token());
    EXPECT_EQ(r.status, 400u) << path << ": " << r.body;
    EXPECT_NE(error_of(r).find("more than the 64"), std::string::npos) << r.body;
  }
  EXPECT_EQ(amoc.get("/status").status, 200u) << "the server survived";
}

TEST_F(rest_limits, user_counts_past_the_limit_are_400_and_nothing_wraps) {
  serve_process amoc;
  auto start = amoc.patch("/execution/start", {{"scenario", "dummy"}, {"users", 1}});
  ASSERT_EQ(start.status, 200u) << start.body;
  for (int i = 0; i < 3; ++i) {
    auto r = http_call(amoc.port(), "PATCH", "/execution/add_users",
                       R"({"users": 9223372036854775807})", amoc.token());
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_NE(error_of(r).find("from 1 to 10000000"), std::string::npos) << r.body;
  }
  for (const char* users : {"18446744073709551615", "1e30", "10000001", "-3", "0"}) {
    auto r = http_call(amoc.port(), "PATCH", "/execution/add_users",
                       std::string{R"({"users": )"} + users + "}", amoc.token());
    EXPECT_EQ(r.status, 400u) << users << ": " << r.body;
  }
  auto huge_remove = http_call(amoc.port(), "PATCH", "/execution/remove_users",
                               R"({"users": 18446744073709551615})", amoc.token());
  EXPECT_EQ(huge_remove.status, 400u) << huge_remove.body;
  auto st = amoc.get("/status").json();
  EXPECT_EQ(st["controller"]["users"]["pending"], 0) << st;
  EXPECT_EQ(st["controller"]["number_of_users"], 1) << st;
  ASSERT_EQ(amoc.patch("/execution/stop", {{"force", true}}).status, 200u);
  ASSERT_TRUE(
    amoc.await_status([](const json& s) { return s["controller"]["status"] == "finished"; }));
  auto big_start = amoc.patch("/execution/start", {{"scenario", "dummy"}, {"users", 10000001}});
  EXPECT_EQ(big_start.status, 400u) << big_start.body;
}

TEST_F(rest_limits, unknown_settings_are_400_while_idle_and_while_running) {
  serve_process amoc;
  auto idle = amoc.patch("/execution/update_settings", {{"settings", {{"no_such_key", 1}}}});
  EXPECT_EQ(idle.status, 400u) << idle.body;
  EXPECT_NE(error_of(idle).find("no_such_key"), std::string::npos) << idle.body;
  auto known = amoc.patch("/execution/update_settings", {{"settings", {{"repeat_num", 5}}}});
  EXPECT_EQ(known.status, 200u) << known.body;
  ASSERT_EQ(amoc.patch("/execution/start", {{"scenario", "dummy"}, {"users", 1}}).status, 200u);
  auto running = amoc.patch("/execution/update_settings", {{"settings", {{"no_such_key", 1}}}});
  EXPECT_EQ(running.status, 400u) << running.body;
  EXPECT_NE(error_of(running).find("no_such_key"), std::string::npos) << running.body;
}

TEST_F(rest_limits, malformed_and_oversized_requests_are_answered_and_the_server_goes_on) {
  serve_process amoc;
  auto exchange = [&](const std::string& bytes) {
    raw_connection c{amoc.port()};
    c.send(bytes);
    return c.read_until_closed(6);
  };
  EXPECT_EQ(exchange("\x16\x03\x01 not http at all\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
  const auto big_header =
    exchange("GET /status HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_EQ(big_header.rfind("HTTP/1.1 431", 0), 0u) << big_header.substr(0, 200);
  // Refused from the headers alone: the body is never sent, never read.
  const auto too_large = exchange("PUT /scenarios/upload HTTP/1.1\r\nAuthorization: Bearer "
                                  + amoc.token() + "\r\nContent-Length: 999999999\r\n\r\n");
  EXPECT_EQ(too_large.rfind("HTTP/1.1 413", 0), 0u) << too_large;
  const auto no_token = exchange("PUT /scenarios/upload HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n"
                                 + std::string(1000, 'x'));
  EXPECT_EQ(no_token.rfind("HTTP/1.1 401", 0), 0u) << no_token;
  const auto read_with_body = exchange("GET /status HTTP/1.1\r\nContent-Length: 100000\r\n\r\n");
  EXPECT_EQ(read_with_body.rfind("HTTP/1.1 413", 0), 0u) << read_with_body;
  std::string noise;
  for (int i = 0; i < 20000; ++i)
    noise += static_cast<char>((i * 7919) % 251);
  exchange(noise);
  EXPECT_EQ(amoc.get("/status").status, 200u);
  EXPECT_EQ(authorized_stop(amoc).reply.status, 409u);
}

TEST_F(rest_limits, event_streams_are_capped_and_each_gets_the_feed) {
  serve_process amoc;
  std::vector<std::unique_ptr<raw_connection>> streams;
  for (int i = 0; i < 64; ++i) {
    streams.push_back(std::make_unique<raw_connection>(amoc.port()));
    streams.back()->send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  std::this_thread::sleep_for(500ms);
  const auto refused = http_stream_until(amoc.port(), "/events", "\r\n\r\n", 3);
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  EXPECT_NE(refused.find("too many event streams open (64)"), std::string::npos) << refused;
  const auto first = streams.front()->read_until_closed(2.5);
  EXPECT_NE(first.find("event: history"), std::string::npos) << first;
  EXPECT_NE(first.find("\ndata: {"), std::string::npos) << "a sample after the history";
  streams.clear();
  std::this_thread::sleep_for(1500ms);  // the feed notices the streams left
  const auto again = http_stream_until(amoc.port(), "/events", "\ndata: {", 5);
  EXPECT_NE(again.find("\ndata: {"), std::string::npos) << again;
}

}  // namespace
}  // namespace amoc::test
