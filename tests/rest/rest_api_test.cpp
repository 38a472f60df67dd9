// The REST gateway end to end: a real `amoc serve`, a real HTTP client, every
// endpoint and every error status.

#include <cstdlib>
#include <set>

#include <gtest/gtest.h>

#include "amoc/rest_gateway.hpp"
#include "rest_support.hpp"

namespace amoc::test {
namespace {

using json = nlohmann::json;

bool alive_is(const json& st, std::uint64_t n) { return st["controller"]["number_of_users"] == n; }

bool state_is(const json& st, const char* state) { return st["controller"]["status"] == state; }

class rest_api : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    plugins_ = new temp_dir;
    ::setenv("AMOC_PLUGIN_DIR", plugins_->path().c_str(), 1);
    ::setenv("AMOC_dummy_sleep", "10ms", 1);
    ::setenv("AMOC_interarrival", "1ms", 1);
  }
  static void TearDownTestSuite() {
    delete plugins_;
    ::unsetenv("AMOC_dummy_sleep");
    ::unsetenv("AMOC_interarrival");
  }

  static temp_dir* plugins_;
  serve_process amoc;
};

temp_dir* rest_api::plugins_ = nullptr;

TEST_F(rest_api, reads_status_nodes_and_scenarios) {
  auto st = amoc.get("/status");
  ASSERT_EQ(st.status, 200u) << st.body;
  EXPECT_EQ(st.json()["amoc_status"], "up");
  EXPECT_EQ(st.json()["role"], "local");
  EXPECT_TRUE(state_is(st.json(), "idle")) << st.body;
  EXPECT_EQ(st.json()["env"]["AMOC_interarrival"], "1ms");
  EXPECT_EQ(amoc.get("/status/local").status, 200u);

  auto nodes = amoc.get("/nodes");
  EXPECT_EQ(nodes.json(), json::parse(R"({"nodes": {"local": "up"}})")) << nodes.body;

  auto list = amoc.get("/scenarios").json()["scenarios"];
  EXPECT_NE(std::find(list.begin(), list.end(), "dummy"), list.end()) << list;

  auto info = amoc.get("/scenarios/info/dummy");
  ASSERT_EQ(info.status, 200u);
  EXPECT_EQ(info.json()["doc"], "Each user sleeps dummy_sleep per iteration.");
  EXPECT_EQ(info.json()["parameters"]["dummy_sleep"]["default_value"], "100ms");
  EXPECT_EQ(info.json()["parameters"]["dummy_sleep"]["type"], "duration");
  EXPECT_EQ(info.json()["parameters"]["interarrival"]["builtin"], true);

  auto defaults = amoc.get("/scenarios/defaults/dummy");
  ASSERT_EQ(defaults.status, 200u);
  EXPECT_EQ(defaults.json()["settings"]["dummy_fail_init"], "false");
  EXPECT_EQ(defaults.json()["settings"]["repeat_num"], "infinity");
}

TEST_F(rest_api, unknown_things_are_404_and_wrong_methods_405) {
  EXPECT_EQ(amoc.get("/scenarios/info/no_such").status, 404u);
  EXPECT_EQ(amoc.get("/scenarios/defaults/no_such").status, 404u);
  EXPECT_EQ(amoc.get("/status/no_such_node").status, 404u);
  auto missing = amoc.get("/no/such/page");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_NE(missing.json()["error"].get<std::string>().find("/no/such/page"), std::string::npos);
  auto start_unknown = amoc.patch("/execution/start", {{"scenario", "no_such"}, {"users", 1}});
  EXPECT_EQ(start_unknown.status, 404u) << start_unknown.body;
  auto wrong = http_call(amoc.port(), "DELETE", "/status");
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_EQ(wrong.allow, "GET");
}

TEST_F(rest_api, changes_need_the_bearer_token) {
  const std::string start = R"({"scenario": "dummy", "users": 1})";
  auto none = http_call(amoc.port(), "PATCH", "/execution/start", start);
  EXPECT_EQ(none.status, 401u);
  EXPECT_NE(none.www_authenticate.find("Bearer"), std::string::npos);
  EXPECT_NE(none.json()["error"].get<std::string>().find("Authorization"), std::string::npos);
  auto wrong = http_call(amoc.port(), "PATCH", "/execution/start", start, amoc.token() + "x");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(http_call(amoc.port(), "PATCH", "/execution/start", start, "short").status, 401u);
  for (const char* path : {"/execution/stop", "/execution/add_users", "/execution/remove_users",
                           "/execution/update_settings"})
    EXPECT_EQ(http_call(amoc.port(), "PATCH", path, "{}").status, 401u) << path;
  EXPECT_EQ(http_call(amoc.port(), "PUT", "/scenarios/upload", "int x;", "", "text/plain").status,
            401u);
  // Nothing happened.
  EXPECT_TRUE(state_is(amoc.get("/status").json(), "idle"));
  // No CORS unless configured.
  EXPECT_EQ(http_call(amoc.port(), "OPTIONS", "/execution/start").status, 405u);
}

TEST_F(rest_api, bad_input_is_400_naming_the_problem) {
  auto check = [&](const std::string& path, const std::string& body, const std::string& named) {
    auto r = http_call(amoc.port(), "PATCH", path, body, amoc.token());
    EXPECT_EQ(r.status, 400u) << path << " " << body << ": " << r.body;
    EXPECT_NE(r.json()["error"].get<std::string>().find(named), std::string::npos)
      << path << " " << body << ": " << r.body;
  };
  check("/execution/start", "{not json", "JSON");
  check("/execution/start", "[1, 2]", "object");
  check("/execution/start", R"({"users": 3})", "scenario");
  check("/execution/start", R"({"scenario": "dummy"})", "users");
  check("/execution/start", R"({"scenario": "dummy", "users": 0})", "users");
  check("/execution/start", R"({"scenario": "dummy", "users": "ten"})", "users");
  check("/execution/start", R"({"scenario": "dummy", "users": 2, "settings": [1]})", "settings");
  check("/execution/start",
        R"({"scenario": "dummy", "users": 2, "settings": {"interarrival": "soon"}})",
        "interarrival");
  check("/execution/start",
        R"({"scenario": "dummy", "users": 2, "settings": {"dummy_sleep": "-5s"}})", "dummy_sleep");
  check("/execution/add_users", R"({"users": -1})", "users");
  check("/execution/add_users", R"({"users": 1, "nodes": "a"})", "nodes");
  check("/execution/remove_users", R"({"users": 1, "force": "yes"})", "force");
  check("/execution/update_settings", R"({"settings": 5})", "settings");
  EXPECT_TRUE(state_is(amoc.get("/status").json(), "idle"));
}

TEST_F(rest_api, wrong_state_is_409_with_the_current_state) {
  for (const char* path : {"/execution/stop", "/execution/add_users", "/execution/remove_users"}) {
    auto r = amoc.patch(path, {{"users", 1}});
    EXPECT_EQ(r.status, 409u) << path << ": " << r.body;
    EXPECT_EQ(r.json()["status"], "idle") << path;
  }
}

TEST_F(rest_api, a_run_started_grown_shrunk_and_stopped) {
  auto start =
    amoc.patch("/execution/start",
               {{"scenario", "dummy"}, {"users", 5}, {"settings", {{"dummy_sleep", "20ms"}}}});
  ASSERT_EQ(start.status, 200u) << start.body;
  ASSERT_TRUE(amoc.await_status([](const json& s) { return alive_is(s, 5); }));
  auto st = amoc.get("/status").json();
  EXPECT_EQ(st["controller"]["scenario"], "dummy");
  EXPECT_EQ(st["controller"]["settings"]["dummy_sleep"], "20ms");

  // Prometheus scrapes the gateway as it scrapes `amoc run`'s exporter.
  auto metrics = amoc.get("/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("# TYPE amoc_users_started_total counter\n"), std::string::npos)
    << metrics.body;
  EXPECT_NE(metrics.body.find("\namoc_users_started_total 5\n"), std::string::npos) << metrics.body;

  auto again = amoc.patch("/execution/start", {{"scenario", "dummy"}, {"users", 1}});
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.json()["status"], "running");

  ASSERT_EQ(amoc.patch("/execution/add_users", {{"users", 3}}).status, 200u);
  ASSERT_TRUE(amoc.await_status([](const json& s) { return alive_is(s, 8); }));
  auto removed = amoc.patch("/execution/remove_users", {{"users", 2}, {"force", true}});
  ASSERT_EQ(removed.status, 200u) << removed.body;
  EXPECT_EQ(removed.json()["removed"], 2);
  ASSERT_TRUE(amoc.await_status([](const json& s) { return alive_is(s, 6); }));
  // Live settings: a setting that may change, one that may not, a bad value.
  auto faster = amoc.patch("/execution/update_settings",
                           {{"settings", {{"repeat_interval", "50ms"}}}, {"nodes", {"local"}}});
  EXPECT_EQ(faster.status, 200u) << faster.body;
  EXPECT_EQ(amoc.get("/status").json()["controller"]["settings"]["repeat_interval"], "50ms");
  auto fixed = amoc.patch("/execution/update_settings", {{"settings", {{"dummy_sleep", "1s"}}}});
  EXPECT_EQ(fixed.status, 400u) << fixed.body;
  EXPECT_NE(fixed.json()["error"].get<std::string>().find("dummy_sleep"), std::string::npos);
  auto bad = amoc.patch("/execution/update_settings", {{"settings", {{"repeat_interval", "x"}}}});
  EXPECT_EQ(bad.status, 400u) << bad.body;
  EXPECT_NE(bad.json()["error"].get<std::string>().find("repeat_interval"), std::string::npos);
  auto elsewhere = amoc.patch("/execution/update_settings",
                              {{"settings", {{"repeat_interval", "1s"}}}, {"nodes", {"w9"}}});
  EXPECT_EQ(elsewhere.status, 404u) << elsewhere.body;
  EXPECT_EQ(amoc.patch("/execution/add_users", {{"users", 1}, {"nodes", {"w9"}}}).status, 404u);
  auto on_local = amoc.patch("/execution/remove_users", {{"users", 1}, {"nodes", {"local"}}});
  EXPECT_EQ(on_local.status, 200u) << on_local.body;
  ASSERT_TRUE(amoc.await_status([](const json& s) { return alive_is(s, 5); }));

  ASSERT_EQ(amoc.patch("/execution/stop", {{"force", true}}).status, 200u);
  ASSERT_TRUE(amoc.await_status([](const json& s) { return state_is(s, "finished"); }));
  // A finished run can be followed by a new one.
  ASSERT_EQ(amoc.patch("/execution/start", {{"scenario", "dummy"}, {"users", 1}}).status, 200u);
  ASSERT_TRUE(amoc.await_status([](const json& s) { return alive_is(s, 1); }));
  auto st2 = amoc.get("/status").json();
  EXPECT_FALSE(st2["controller"]["settings"].contains("dummy_sleep"))
    << "the previous start's settings are gone: " << st2;
}

TEST_F(rest_api, every_route_is_documented) {
  auto docs = amoc.get("/api-docs");
  ASSERT_EQ(docs.status, 200u);
  auto doc = docs.json();
  ASSERT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      auto upper = method;
      for (auto& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.emplace(upper, path);
      EXPECT_TRUE(op.contains("summary")) << method << " " << path;
      EXPECT_TRUE(op.contains("responses")) << method << " " << path;
    }
  const auto routes = rest_gateway::routes();
  for (const auto& route : routes)
    EXPECT_TRUE(documented.count(route)) << route.first << " " << route.second << " undocumented";
  EXPECT_EQ(documented.size(), routes.size()) << "documented routes the gateway does not have";

  auto ui = amoc.get("/api-docs/ui");
  EXPECT_EQ(ui.status, 200u);
  EXPECT_NE(ui.content_type.find("text/html"), std::string::npos);
  EXPECT_NE(ui.body.find("url: \"/api-docs\""), std::string::npos);
  // Swagger UI comes from this server, with its licence.
  for (const auto& [file, type] : {std::pair{"swagger-ui-bundle.js", "text/javascript"},
                                   {"swagger-ui.css", "text/css"},
                                   {"LICENSE", "text/plain"}}) {
    auto asset = amoc.get(std::string{"/api-docs/ui/"} + file);
    EXPECT_EQ(asset.status, 200u) << file;
    EXPECT_NE(asset.content_type.find(type), std::string::npos) << file;
    EXPECT_GT(asset.body.size(), 1000u) << file;
  }
  EXPECT_NE(amoc.get("/api-docs/ui/LICENSE").body.find("Apache License"), std::string::npos);
  auto missing = amoc.get("/api-docs/ui/index.html");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_NE(missing.body.find("index.html"), std::string::npos) << missing.body;
}

TEST_F(rest_api, dashboard_and_events) {
  auto page = amoc.get("/");
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("EventSource(\"/events\")"), std::string::npos);
  EXPECT_EQ(page.body.find("http://"), std::string::npos) << "no external assets";
  EXPECT_EQ(page.body.find("https://"), std::string::npos) << "no external assets";
  const auto stream = http_stream_until(amoc.port(), "/events", "\ndata: {", 5);
  EXPECT_NE(stream.find("text/event-stream"), std::string::npos) << stream;
  EXPECT_NE(stream.find("event: history\ndata: ["), std::string::npos) << stream;
  EXPECT_NE(stream.find("\ndata: {"), std::string::npos) << stream;
}

}  // namespace
}  // namespace amoc::test
