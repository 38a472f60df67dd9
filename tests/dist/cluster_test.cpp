// Distributed runs with real `amoc node` processes on 127.0.0.1: the master is
// an amoc::runtime in this process, as in a harness or the console.

#include <chrono>
#include <memory>
#include <thread>

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "amoc/config.hpp"
#include "amoc/error.hpp"
#include "amoc/runtime.hpp"
#include "node_process.hpp"

namespace {

using namespace std::chrono_literals;
using amoc::run_state;
using amoc::test::node_process;

class cluster : public ::testing::Test {
protected:
  // Users that stay until removed unless a test says otherwise.
  cluster() {
    store.set_text("interarrival", "0");
    store.set_text("dummy_sleep", "1h");
  }

  void start_nodes(int n) {
    for (int i = 1; i <= n; ++i)
      nodes.push_back(std::make_unique<node_process>("w" + std::to_string(i)));
  }

  std::vector<std::string> addresses() const {
    std::vector<std::string> result;
    for (const auto& n : nodes)
      result.push_back(n->address());
    return result;
  }

  void start_master() {
    amoc::runtime::options opts;
    opts.store = &store;
    opts.threads = 2;
    opts.nodes = addresses();
    opts.security.insecure = true;
    master = std::make_unique<amoc::runtime>(opts);
  }

  // Polls the master's status until `pred` holds (or fails after `limit`).
  template <class Pred>
  amoc::status await(Pred pred, std::chrono::milliseconds limit = 10s) {
    amoc::status last;
    for (auto deadline = std::chrono::steady_clock::now() + limit;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms)) {
      auto st = master->status();
      if (!st)
        continue;
      last = *st;
      if (pred(last))
        return last;
    }
    ADD_FAILURE() << "condition not reached; users running " << last.users.running << ", state "
                  << to_string(last.state);
    return last;
  }

  amoc::status all_up() {
    return await([&](const amoc::status& st) {
      return std::all_of(st.nodes.begin(), st.nodes.end(), [](auto& n) { return n.up; });
    });
  }

  static const amoc::node_status& node_named(const amoc::status& st, const std::string& name) {
    for (const auto& n : st.nodes)
      if (n.name == name)
        return n;
    throw std::runtime_error("no node " + name);
  }

  // Writes a run file for an `amoc run` master; removed with the fixture.
  std::string run_file(const std::string& doc) {
    char path[] = "/tmp/amoc-run-XXXXXX";
    const int fd = mkstemp(path);
    EXPECT_EQ(write(fd, doc.data(), doc.size()), static_cast<ssize_t>(doc.size()));
    close(fd);
    run_files.emplace_back(path);
    return path;
  }

  ~cluster() override {
    for (const auto& f : run_files)
      unlink(f.c_str());
  }

  amoc::config::store store;
  std::vector<std::string> run_files;
  std::vector<std::unique_ptr<node_process>> nodes;
  std::unique_ptr<amoc::runtime> master;
};

TEST_F(cluster, spreads_ids_round_robin_over_three_nodes) {
  start_nodes(3);
  start_master();
  all_up();
  ASSERT_FALSE(master->start("dummy", 1, 100));
  auto st = await([](const amoc::status& s) { return s.users.running == 100; });
  // User 1 -> w1, 2 -> w2, 3 -> w3, 4 -> w1, ...: the nodes' own records.
  EXPECT_EQ(node_named(st, "w1").ids, (std::vector<amoc::id_range>{{1, 34, 3}}));
  EXPECT_EQ(node_named(st, "w2").ids, (std::vector<amoc::id_range>{{2, 33, 3}}));
  EXPECT_EQ(node_named(st, "w3").ids, (std::vector<amoc::id_range>{{3, 33, 3}}));
  EXPECT_EQ(node_named(st, "w1").users.running, 34u);
  EXPECT_EQ(node_named(st, "w3").users.running, 33u);
  EXPECT_EQ(st.state, run_state::running);
}

TEST_F(cluster, nodes_filter_and_add_continue_the_round_robin) {
  start_nodes(3);
  start_master();
  all_up();
  ASSERT_FALSE(master->start("dummy", 1, 10, {{"w1", nodes[2]->address()}, "only two"}));
  auto st = await([](const amoc::status& s) { return s.users.running == 10; });
  EXPECT_EQ(node_named(st, "w1").users.running, 5u);
  EXPECT_EQ(node_named(st, "w2").users.running, 0u);
  EXPECT_EQ(node_named(st, "w3").users.running, 5u);
  EXPECT_EQ(st.comment, "only two");
  // The run's nodes stay chosen; ids continue at 11: 11 -> w1, 12 -> w3, 13 -> w1.
  ASSERT_FALSE(master->add(3));
  st = await([](const amoc::status& s) { return s.users.running == 13; });
  EXPECT_EQ(node_named(st, "w1").ids.back(), (amoc::id_range{11, 2, 2}));
  EXPECT_EQ(node_named(st, "w3").ids.back(), (amoc::id_range{12, 1, 2}));
  // An explicit node list for add, even one outside the run.
  ASSERT_FALSE(master->add(2, {"w2"}));
  st = await([](const amoc::status& s) { return s.users.running == 15; });
  EXPECT_EQ(node_named(st, "w2").users.running, 2u);
  EXPECT_EQ(node_named(st, "w2").ids.back(), (amoc::id_range{14, 2, 1}));
  // Unknown names are refused, naming them.
  auto err = master->add(1, {"nope"});
  ASSERT_TRUE(err);
  EXPECT_NE(amoc::render(err).find("nope"), std::string::npos);
}

TEST_F(cluster, removes_newest_users_across_nodes_gracefully_or_by_force) {
  start_nodes(2);
  start_master();
  all_up();
  ASSERT_FALSE(master->start("dummy", 1, 20));
  await([](const amoc::status& s) { return s.users.running == 20; });
  // Graceful: the users finish their iteration (an hour) first, so they linger as stopping.
  auto removed = master->remove(4, false);
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 4u);
  auto st = await([](const amoc::status& s) { return s.users.stopping == 4; });
  EXPECT_EQ(node_named(st, "w1").users.stopping, 2u);
  EXPECT_EQ(node_named(st, "w2").users.stopping, 2u);
  // Forced: the newest 6, including the 4 stopping ones, end at once.
  removed = master->remove(6, true);
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 6u);
  st = await([](const amoc::status& s) { return s.users.ended.forced_stop == 6; });
  EXPECT_EQ(st.users.running, 14u);
  EXPECT_EQ(st.users.ended.graceful_stop, 0u);
}

TEST_F(cluster, removes_users_from_the_chosen_nodes_only) {
  start_nodes(2);
  start_master();
  all_up();
  ASSERT_FALSE(master->start("dummy", 1, 20));
  await([](const amoc::status& s) { return s.users.running == 20; });
  auto removed = master->remove(3, true, {"w2"});
  ASSERT_TRUE(removed) << amoc::render(removed.error());
  EXPECT_EQ(*removed, 3u);
  auto st = await([](const amoc::status& s) { return s.users.ended.forced_stop == 3; });
  EXPECT_EQ(node_named(st, "w1").users.running, 10u);
  EXPECT_EQ(node_named(st, "w2").users.running, 7u);
  auto unknown = master->remove(1, true, {"nope"});
  ASSERT_FALSE(unknown);
  EXPECT_NE(amoc::render(unknown.error()).find("nope"), std::string::npos);
  // More than the chosen nodes hold: what w2 cannot give comes from w1, and
  // no more than all there are.
  removed = master->remove(30, true, {"w1", "w2"});
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 17u);
}

TEST_F(cluster, run_finishes_when_every_node_is_done) {
  store.set_text("dummy_sleep", "10ms");
  store.set_text("repeat_num", "2");
  store.set_text("repeat_interval", "10ms");
  start_nodes(2);
  start_master();
  all_up();
  ASSERT_FALSE(master->start("dummy", 1, 30));
  auto st = master->wait(20s);
  ASSERT_TRUE(st) << amoc::render(st.error());
  EXPECT_EQ(st->state, run_state::finished);
  EXPECT_EQ(st->users.ended_total(), 30u);
  EXPECT_EQ(st->users.ended.normal, 30u);  // normal
  // The master's settings reached the nodes: 2 iterations of 10 ms each.
  auto metrics = master->metrics_snapshot();
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->counters["users.started"], 30u);
}

TEST_F(cluster, live_settings_reach_the_chosen_nodes) {
  store.set_text("dummy_sleep", "10ms");
  store.set_text("repeat_interval", "10ms");
  store.set_text("repeat_num", "infinity");
  start_nodes(2);
  start_master();
  all_up();
  ASSERT_FALSE(master->start("dummy", 1, 20));
  await([](const amoc::status& s) { return s.users.started == 20; });
  // Users repeat forever; repeat_num 1 on w1 ends its ten users only.
  ASSERT_FALSE(master->update_settings({{"repeat_num", 1}}, {"w1"}));
  auto st = await([](const amoc::status& s) { return s.users.ended.normal == 10; });
  EXPECT_EQ(node_named(st, "w1").users.ended.normal, 10u);
  EXPECT_EQ(node_named(st, "w2").users.alive(), 10u);
  // Refusals name the node and the setting; nothing else changes.
  auto err = master->update_settings({{"dummy_sleep", "1ms"}});
  EXPECT_EQ(err.code(), static_cast<std::uint8_t>(amoc::ec::read_only_setting));
  EXPECT_NE(amoc::render(err).find("dummy_sleep is read-only"), std::string::npos);
  EXPECT_EQ(master->update_settings({{"repeat_num", 1}}, {"nope"}).code(),
            static_cast<std::uint8_t>(amoc::ec::unknown_node));
  // Everywhere: the run ends, and the master keeps the value for the next run.
  ASSERT_FALSE(master->update_settings({{"repeat_num", 1}}));
  auto done = master->wait(20s);
  ASSERT_TRUE(done) << amoc::render(done.error());
  EXPECT_EQ(done->users.ended.normal, 20u);
  EXPECT_EQ(store.get<amoc::count>("repeat_num"), amoc::count{1});
}

TEST_F(cluster, a_killed_node_loses_its_users_and_the_run_goes_on) {
  start_nodes(3);
  start_master();
  all_up();
  ASSERT_FALSE(master->start("dummy", 1, 30));
  await([](const amoc::status& s) { return s.users.running == 30; });
  nodes[1]->kill_hard();
  auto st = await([](const amoc::status& s) { return s.users.ended.node_lost == 10; }, 5s);
  EXPECT_FALSE(node_named(st, "w2").up);
  EXPECT_EQ(st.users.running, 20u);
  EXPECT_EQ(st.state, run_state::running);
  // The survivors take the next users; the dead node is skipped.
  ASSERT_FALSE(master->add(4));
  st = await([](const amoc::status& s) { return s.users.running == 24; });
  EXPECT_EQ(node_named(st, "w1").users.running, 12u);
  EXPECT_EQ(node_named(st, "w3").users.running, 12u);
  ASSERT_FALSE(master->stop(true));
  st = *master->wait(10s);
  EXPECT_EQ(st.state, run_state::finished);
}

TEST_F(cluster, a_late_node_joins_the_running_scenario) {
  start_nodes(1);
  const auto late_port = amoc::test::free_port();
  amoc::runtime::options opts;
  opts.store = &store;
  opts.nodes = {nodes[0]->address(), "127.0.0.1:" + std::to_string(late_port)};
  opts.security.insecure = true;
  master = std::make_unique<amoc::runtime>(opts);
  await([](const amoc::status& s) { return s.nodes[0].up; });
  ASSERT_FALSE(master->start("dummy", 1, 4));
  auto st = await([](const amoc::status& s) { return s.users.running == 4; });
  EXPECT_FALSE(st.nodes[1].up);
  // The master retries every second and hands the newcomer the running scenario.
  nodes.push_back(
    std::make_unique<node_process>("late", std::vector<std::string>{"--insecure"}, late_port));
  st = await(
    [](const amoc::status& s) { return s.nodes[1].up && s.nodes[1].state == run_state::running; });
  EXPECT_EQ(st.nodes[1].scenario, "dummy");
  ASSERT_FALSE(master->add(2));  // 5 -> first node, 6 -> the late one
  st = await([](const amoc::status& s) { return s.users.running == 6; });
  EXPECT_EQ(node_named(st, "late").users.running, 1u);
}

TEST_F(cluster, master_loss_stops_the_users_and_frees_the_node) {
  start_nodes(2);
  // The first master is an `amoc run` process that dies with kill -9.
  const auto file = run_file(
    R"({"scenario": "dummy", "users": [1, 10], "nodes": [")" + nodes[0]->address() + R"(", ")"
    + nodes[1]->address()
    + R"("], "settings": {"interarrival": 0, "dummy_sleep": "1h", "node_insecure": true}})");
  amoc::test::child_process first{{amoc::test::amoc_binary(), "run", file}};
  ASSERT_TRUE(nodes[0]->await_log("master attached")) << first.log();
  std::this_thread::sleep_for(500ms);
  const auto t0 = std::chrono::steady_clock::now();
  first.kill_hard();
  for (auto& n : nodes)
    EXPECT_TRUE(n->await_log("dummy: ")) << n->log();  // terminate() ran: users stopped
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
  // A new master finds the nodes free and runs on them.
  start_master();
  auto st = all_up();
  for (const auto& n : st.nodes)
    EXPECT_EQ(n.state, run_state::finished) << n.name;
  EXPECT_EQ(node_named(st, "w1").users.ended.forced_stop, 5u);
  ASSERT_FALSE(master->start("dummy", 1, 4));
  st = await([](const amoc::status& s) { return s.users.running == 4; });
  EXPECT_EQ(node_named(st, "w1").users.ended.forced_stop, 0u);  // counts are per run
}

// A forced stop of many users takes a moment: a master that comes during it
// waits for the lost master's run to end, it is not refused as "running".
TEST_F(cluster, a_new_master_at_once_waits_for_the_lost_masters_run_to_end) {
  start_nodes(1);
  const auto file = run_file(
    R"({"scenario": "dummy", "users": [1, 300000], "nodes": [")" + nodes[0]->address()
    + R"("], "settings": {"interarrival": 0, "dummy_sleep": "1h", "node_insecure": true}})");
  amoc::test::child_process first{{amoc::test::amoc_binary(), "run", file}};
  ASSERT_TRUE(nodes[0]->await_log("master attached")) << first.log();
  std::this_thread::sleep_for(3s);  // the users spawned
  first.kill_hard();
  start_master();  // at once: the node is still stopping the lost master's users
  all_up();
  ASSERT_FALSE(master->start("dummy", 1, 4)) << nodes[0]->log();
  auto st = await([](const amoc::status& s) { return s.users.running == 4; });
  EXPECT_EQ(node_named(st, "w1").users.ended.forced_stop, 0u);  // counts are per run
}

TEST_F(cluster, a_node_serves_one_master_at_a_time) {
  start_nodes(1);
  start_master();
  all_up();
  amoc::test::child_process second{
    {amoc::test::amoc_binary(), "node", "--listen", "127.0.0.1:0", "--insecure"}};
  // Another master process trying the same node is refused with a reason.
  const auto file =
    run_file(R"({"scenario": "dummy", "users": [1, 1], "duration": "1s", "nodes": [")"
             + nodes[0]->address() + R"("], "settings": {"node_insecure": true}})");
  amoc::test::child_process other{{amoc::test::amoc_binary(), "run", file}};
  EXPECT_TRUE(other.await_log("already controlled by another master")) << other.log();
  other.kill_hard();
}

TEST_F(cluster, a_masters_progress_shows_the_nodes_metrics) {
  start_nodes(1);
  // Requests to a port nobody listens on fail on the node; the master's
  // progress lines count them from the nodes' merged metrics.
  const auto closed = std::to_string(amoc::test::free_port());
  const auto file = run_file(
    R"({"scenario": "http_get", "users": [1, 5], "nodes": [")" + nodes[0]->address()
    + R"("], "settings": {"node_insecure": true, "interarrival": 0, "http_interval": "50ms",
        "http_requests": 40, "repeat_num": 1, "http_url": "http://127.0.0.1:)"
    + closed + R"(/"}})");
  const auto out = file + ".result.json";
  amoc::test::child_process master_run{{amoc::test::amoc_binary(), "run", file, "--out", out}};
  EXPECT_EQ(master_run.wait_exit(30), 0) << master_run.log();
  const auto log = master_run.log();
  EXPECT_NE(log.find("req "), std::string::npos) << log;
  const auto at = log.find("failures ");
  ASSERT_NE(at, std::string::npos) << log;
  EXPECT_NE(log[at + 9], '0') << log;
  // The per-node table: each node's counters, its failures among them.
  std::ifstream in{out};
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << out;
  ASSERT_EQ(doc["nodes"].size(), 1u) << doc["nodes"];
  std::uint64_t failures = 0;
  for (const auto& [name, total] : doc["nodes"][0]["counters"].items())
    if (name.find(".failures.") != std::string::npos)
      failures += total.get<std::uint64_t>();
  EXPECT_GT(failures, 0u) << doc["nodes"][0];
}

}  // namespace
