// PUT /scenarios/upload end to end: compiled by the real plugin build, run
// locally and on real worker nodes (also on one that joins after the upload).

#include <cstdlib>

#include <gtest/gtest.h>

#include "rest_support.hpp"

namespace amoc::test {
namespace {

using json = nlohmann::json;

// A scenario whose description carries a version, so that a replacement shows.
std::string scenario_source(int version) {
  return R"(#include "amoc/scenario.hpp"
namespace {
class rest_uploaded final : public amoc::scenario {
public:
  void init() override { iterations_ = &metrics().counter("rest_uploaded.iterations"); }
  amoc::task<> start(amoc::user& u) override {
    co_await u.sleep(std::chrono::milliseconds{5});
    iterations_->add();
  }
private:
  amoc::metrics::counter* iterations_ = nullptr;
};
}  // namespace
AMOC_REGISTER_SCENARIO(rest_uploaded, "rest_uploaded", "Uploaded through REST, version )"
         + std::to_string(version) + R"(.", {});
)";
}

const char* broken_source = R"(#include "amoc/scenario.hpp"
namespace {
class rest_broken final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user& u) override { co_await u.slep(std::chrono::seconds{1}); }
};
}  // namespace
AMOC_REGISTER_SCENARIO(rest_broken, "rest_broken", "Never builds.", {});
)";

// A scenario `name` whose plugin runs `static_init` while it loads.
std::string scenario_named(const std::string& name, const std::string& static_init = "0") {
  return R"(#include <cstdlib>
#include <stdexcept>
#include "amoc/scenario.hpp"
namespace {
[[maybe_unused]] const int loaded = )"
         + static_init + R"(;
class uploaded final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user& u) override { co_await u.sleep(std::chrono::milliseconds{5}); }
};
}  // namespace
AMOC_REGISTER_SCENARIO(uploaded, ")"
         + name + R"(", "Uploaded as )" + name + R"(.", {});
)";
}

// Static initialisers that go wrong: one throws, one dereferences a null
// pointer (read from the environment, so the compiler cannot see it coming).
const char* throwing_init =
  R"([]() -> int { throw std::runtime_error("no config for this plugin"); }())";
const char* crashing_init =
  R"(*reinterpret_cast<volatile int*>(std::getenv("AMOC_NO_SUCH_VARIABLE_EVER")))";

std::string description(const serve_process& amoc) {
  return amoc.get("/scenarios/info/rest_uploaded").json().value("doc", "");
}

std::uint64_t users_on(const json& status, const std::string& node) {
  for (const auto& n : status["nodes"])
    if (n["name"] == node)
      return n["users"]["alive"].get<std::uint64_t>();
  return 0;
}

class rest_upload : public ::testing::Test {
protected:
  void SetUp() override {
    ::setenv("AMOC_PLUGIN_DIR", plugins_.path().c_str(), 1);
    ::setenv("AMOC_repeat_interval", "5ms", 1);
    ::setenv("AMOC_interarrival", "1ms", 1);
  }
  temp_dir plugins_;
};

TEST_F(rest_upload, a_valid_scenario_loads_and_runs_and_a_broken_one_changes_nothing) {
  serve_process amoc;
  auto v1 = amoc.upload(scenario_source(1));
  ASSERT_EQ(v1.status, 200u) << v1.body;
  EXPECT_EQ(v1.json()["compile"], "ok");
  EXPECT_EQ(v1.json()["scenarios"], json::array({"rest_uploaded"}));
  EXPECT_EQ(description(amoc), "Uploaded through REST, version 1.");

  auto v2 = amoc.upload(scenario_source(2));
  ASSERT_EQ(v2.status, 200u) << v2.body;
  EXPECT_EQ(description(amoc), "Uploaded through REST, version 2.");

  const auto before = amoc.get("/scenarios").json();
  auto broken = amoc.upload(broken_source);
  ASSERT_EQ(broken.status, 400u) << broken.body;
  EXPECT_EQ(broken.json()["compile"], "error");
  const auto messages = broken.json()["error"].get<std::string>();
  EXPECT_NE(messages.find("slep"), std::string::npos) << messages;
  EXPECT_NE(messages.find("error"), std::string::npos) << messages;
  EXPECT_EQ(amoc.get("/scenarios").json(), before) << "nothing loaded";
  EXPECT_EQ(description(amoc), "Uploaded through REST, version 2.") << "nothing replaced";
  EXPECT_EQ(amoc.get("/scenarios/info/rest_broken").status, 404u);

  auto empty = amoc.upload("  \n");
  EXPECT_EQ(empty.status, 400u);
  auto huge = amoc.upload(std::string(2 << 20, '/'));
  EXPECT_EQ(huge.status, 413u) << huge.body;

  ASSERT_EQ(amoc.patch("/execution/start", {{"scenario", "rest_uploaded"}, {"users", 3}}).status,
            200u);
  ASSERT_TRUE(
    amoc.await_status([](const json& s) { return s["controller"]["number_of_users"] == 3; }));
  // Its users hold its code: no replacement while it runs.
  auto busy = amoc.upload(scenario_source(1));
  EXPECT_EQ(busy.status, 409u) << busy.body;
  EXPECT_EQ(description(amoc), "Uploaded through REST, version 2.");
  ASSERT_EQ(amoc.patch("/execution/stop", {{"force", true}}).status, 200u);
  // Once stopped, the earlier version comes back without a rebuild.
  ASSERT_TRUE(
    amoc.await_status([](const json& s) { return s["controller"]["status"] == "finished"; }));
  EXPECT_EQ(amoc.upload(scenario_source(1)).status, 200u);
  EXPECT_EQ(description(amoc), "Uploaded through REST, version 1.");
}

TEST_F(rest_upload, a_plugin_that_throws_or_crashes_while_loading_is_400_and_the_server_lives) {
  serve_process amoc;
  const auto before = amoc.get("/scenarios").json();
  auto throws = amoc.upload(scenario_named("rest_throws", throwing_init));
  ASSERT_EQ(throws.status, 400u) << throws.body;
  EXPECT_EQ(throws.json()["compile"], "ok");
  EXPECT_EQ(throws.json()["load"], "error");
  const auto why = throws.json()["error"].get<std::string>();
  EXPECT_NE(why.find("static initialiser threw std::runtime_error: no config for this plugin"),
            std::string::npos)
    << why;

  auto crashes = amoc.upload(scenario_named("rest_crashes", crashing_init));
  ASSERT_EQ(crashes.status, 400u) << crashes.body;
  const auto crash = crashes.json()["error"].get<std::string>();
  // The signal; in the sanitizer build the sanitizer's report instead (UBSan
  // names the null load, ASan the SEGV).
  EXPECT_TRUE(crash.find("crashed the process (signal 11") != std::string::npos
              || crash.find("load of null pointer") != std::string::npos
              || crash.find("SEGV") != std::string::npos)
    << crash;

  EXPECT_EQ(amoc.get("/scenarios").json(), before) << "nothing loaded";
  EXPECT_EQ(amoc.get("/scenarios/info/rest_throws").status, 404u);
  // The server lives on and still takes uploads.
  EXPECT_EQ(amoc.upload(scenario_source(1)).status, 200u);
  EXPECT_EQ(amoc.patch("/execution/start", {{"scenario", "rest_uploaded"}, {"users", 1}}).status,
            200u);
}

TEST_F(rest_upload, a_built_in_name_is_replaced_only_when_the_request_says_so) {
  serve_process amoc;
  const auto builtin = amoc.get("/scenarios/info/dummy").json()["doc"];
  auto clash = amoc.upload(scenario_named("dummy"));
  ASSERT_EQ(clash.status, 409u) << clash.body;
  EXPECT_NE(clash.json()["error"].get<std::string>().find("?replace=true"), std::string::npos)
    << clash.body;
  EXPECT_EQ(amoc.get("/scenarios/info/dummy").json()["doc"], builtin) << "not replaced";
  auto bad_flag = http_call(amoc.port(), "PUT", "/scenarios/upload?replace=maybe",
                            scenario_named("dummy"), amoc.token(), "text/plain");
  EXPECT_EQ(bad_flag.status, 400u) << bad_flag.body;

  auto replaced = http_call(amoc.port(), "PUT", "/scenarios/upload?replace=true",
                            scenario_named("dummy"), amoc.token(), "text/plain");
  ASSERT_EQ(replaced.status, 200u) << replaced.body;
  EXPECT_EQ(amoc.get("/scenarios/info/dummy").json()["doc"], "Uploaded as dummy.");
  // An upload replaces an earlier upload without being asked.
  EXPECT_EQ(amoc.upload(scenario_named("dummy", "1")).status, 200u);
}

TEST_F(rest_upload, worker_nodes_get_the_plugin_also_when_they_join_later) {
  node_process a{"rest-a"}, b{"rest-b"};
  const auto late_port = free_port();
  serve_process amoc{{"--insecure", "--nodes",
                      a.address() + "," + b.address() + ",127.0.0.1:" + std::to_string(late_port)}};
  ASSERT_TRUE(amoc.await_status([](const json& s) {
    return s["nodes"].size() == 3 && s["nodes"][0]["up"] == true && s["nodes"][1]["up"] == true;
  }));
  auto nodes = amoc.get("/nodes").json()["nodes"];
  EXPECT_EQ(nodes["rest-a"], "up");
  EXPECT_EQ(nodes["rest-b"], "up");
  EXPECT_EQ(nodes["127.0.0.1:" + std::to_string(late_port)], "down");
  EXPECT_EQ(amoc.get("/status/rest-a").json()["amoc_status"], "up");

  auto up = amoc.upload(scenario_source(1));
  ASSERT_EQ(up.status, 200u) << up.body;
  EXPECT_EQ(up.json()["nodes"], json::parse(R"({"rest-a": "ok", "rest-b": "ok"})")) << up.body;

  node_process late{"rest-late", {"--insecure"}, late_port};
  ASSERT_TRUE(amoc.await_status(
    [](const json& s) { return s["nodes"].size() == 3 && s["nodes"][2]["up"] == true; }));
  auto start = amoc.patch("/execution/start", {{"scenario", "rest_uploaded"}, {"users", 6}});
  ASSERT_EQ(start.status, 200u) << start.body;
  ASSERT_TRUE(amoc.await_status([](const json& s) {
    return users_on(s, "rest-a") == 2 && users_on(s, "rest-b") == 2
           && users_on(s, "rest-late") == 2;
  }))
    << amoc.get("/status").body << late.log();
  EXPECT_TRUE(late.await_log("loaded upload_")) << late.log();
  auto live = amoc.patch("/execution/update_settings",
                         {{"settings", {{"repeat_num", 100000}}}, {"nodes", {"rest-a"}}});
  EXPECT_EQ(live.status, 200u) << live.body;
  EXPECT_EQ(amoc.patch("/execution/add_users", {{"users", 1}, {"nodes", {"nope"}}}).status, 404u);
  // Removing from a chosen node leaves the others alone.
  auto removed =
    amoc.patch("/execution/remove_users", {{"users", 1}, {"nodes", {"rest-a"}}, {"force", true}});
  ASSERT_EQ(removed.status, 200u) << removed.body;
  EXPECT_EQ(removed.json()["removed"], 1) << removed.body;
  EXPECT_TRUE(amoc.await_status([](const json& s) {
    return users_on(s, "rest-a") == 1 && users_on(s, "rest-b") == 2
           && users_on(s, "rest-late") == 2;
  }))
    << amoc.get("/status").body;
  ASSERT_EQ(amoc.patch("/execution/stop", {{"force", true}}).status, 200u);
  ASSERT_TRUE(
    amoc.await_status([](const json& s) { return s["controller"]["status"] == "finished"; }));
  EXPECT_EQ(amoc.get("/status/no-such-node").status, 404u);
}

}  // namespace
}  // namespace amoc::test
