// Fault injection into real clusters: three `amoc node` workers and an
// `amoc run` master on 127.0.0.1, with mutual TLS and with insecure links.
// Each case injects one fault mid-run and checks the books (users started =
// users ended, by reason, per node and in total), which nodes kept their
// users, how long the master took to notice, and the exit code.

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node_process.hpp"
#include "stray_peer.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using amoc::test::child_process;
using amoc::test::node_process;
using json = nlohmann::json;

constexpr int users_per_node = 1000;
constexpr int exit_nodes_lost = 3;

enum class links { tls, insecure };

std::string name_of(const ::testing::TestParamInfo<links>& info) {
  return info.param == links::tls ? "tls" : "insecure";
}

class faults : public ::testing::TestWithParam<links> {
protected:
  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("amoc-faults-" + std::to_string(getpid()));
    const auto script = std::string{AMOC_SOURCE_DIR} + "/scripts/cluster-certs";
    ASSERT_EQ(std::system(
                (script + " " + (dir / "certs").string() + " w1 w2 w3 master >/dev/null").c_str()),
              0);
    ASSERT_EQ(
      std::system((script + " " + (dir / "foreign").string() + " rogue >/dev/null").c_str()), 0);
  }
  static void TearDownTestSuite() { fs::remove_all(dir); }

  bool tls() const { return GetParam() == links::tls; }
  static std::string cert(const std::string& name) {
    return (dir / "certs" / (name + ".pem")).string();
  }
  static std::string key(const std::string& name) {
    return (dir / "certs" / (name + ".key")).string();
  }
  static std::string ca() { return (dir / "certs" / "ca.pem").string(); }

  std::vector<std::string> link_args(const std::string& name) const {
    if (!tls())
      return {"--insecure"};
    return {"--cert", cert(name), "--key", key(name), "--ca", ca()};
  }

  std::unique_ptr<node_process> start_node(const std::string& name, std::uint16_t port = 0) {
    return std::make_unique<node_process>(name, link_args(name), port);
  }

  void start_nodes() {
    for (int i = 1; i <= 3; ++i)
      nodes.push_back(start_node("w" + std::to_string(i)));
  }

  // A master running 3,000 users (1,000 per node) that stay until stopped,
  // for `seconds`; then they are stopped gracefully and, 1 s later, by force.
  void start_master(int seconds) {
    json run{{"scenario", "dummy"},
             {"users", {1, 3 * users_per_node}},
             {"duration", std::to_string(seconds) + "s"},
             {"graceful_stop_timeout", "1s"},
             {"settings", {{"interarrival", 0}, {"dummy_sleep", "1h"}}}};
    for (const auto& n : nodes)
      run["nodes"].push_back(n->address());
    if (tls()) {
      run["settings"]["node_cert"] = cert("master");
      run["settings"]["node_key"] = key("master");
      run["settings"]["node_ca"] = ca();
    } else {
      run["settings"]["node_insecure"] = true;
    }
    const auto file = dir / ("run-" + std::to_string(run_count) + ".json");
    out = dir / ("out-" + std::to_string(run_count++) + ".json");
    std::ofstream{file} << run.dump();
    master = std::make_unique<child_process>(std::vector<std::string>{
      amoc::test::amoc_binary(), "run", file.string(), "--out", out.string()});
    ASSERT_TRUE(master->await_log("started 3000", 20)) << master->log();
  }

  // Seconds until the master's log says `name` is down (-1: not within `limit`).
  double seconds_until_down(const std::string& name, std::chrono::seconds limit = 10s) const {
    const auto t0 = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - t0 < limit) {
      if (master->log().find("node " + name + " (") != std::string::npos
          && master->log().find(") is down") != std::string::npos)
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }

  // The master's exit code and result document, once it ends.
  json finish(int expected_exit) {
    const int code = master->wait_exit(60);
    EXPECT_EQ(code, expected_exit) << master->log();
    std::ifstream in{out};
    auto doc = json::parse(in, nullptr, false);
    EXPECT_TRUE(doc.is_object()) << "no result in " << out << "\n" << master->log();
    return doc.is_object() ? doc : json::object();
  }

  static std::uint64_t ended(const json& counts, const char* reason) {
    return counts["ended"][reason].get<std::uint64_t>();
  }

  // The books: every user that started ended for some reason, per node and in total.
  void expect_books_balance(const json& doc) const {
    SCOPED_TRACE(master->log());
    auto sum = [](const json& ended) {
      std::uint64_t total = 0;
      for (const auto& [reason, n] : ended.items())
        total += n.get<std::uint64_t>();
      return total;
    };
    EXPECT_EQ(doc["users"]["started"].get<std::uint64_t>(), sum(doc["users"]["ended"]))
      << doc["users"];
    EXPECT_EQ(doc["users"]["started"].get<std::uint64_t>(), 3u * users_per_node) << doc["users"];
    for (const auto& n : doc["nodes"])
      EXPECT_EQ(n["started"].get<std::uint64_t>(), sum(n["ended"])) << n;
  }

  static const json& node(const json& doc, const std::string& name) {
    for (const auto& n : doc["nodes"])
      if (n["name"] == name)
        return n;
    ADD_FAILURE() << "no node " << name << " in " << doc["nodes"];
    static const json none = json::object();
    return none;
  }

  // The nodes other than `lost` kept every user until the end of the run.
  static void expect_kept(const json& doc, const std::string& lost) {
    for (const auto& n : doc["nodes"]) {
      if (n["name"] == lost)
        continue;
      EXPECT_EQ(ended(n, "node_lost"), 0u) << n;
      EXPECT_EQ(ended(n, "forced_stop"), static_cast<std::uint64_t>(users_per_node)) << n;
    }
  }

  static inline fs::path dir;
  static inline int run_count = 0;
  std::vector<std::unique_ptr<node_process>> nodes;
  std::unique_ptr<child_process> master;
  fs::path out;
};

TEST_P(faults, a_killed_worker_loses_only_its_users_and_is_noticed_within_a_second) {
  start_nodes();
  start_master(6);
  nodes[1]->kill_hard();
  const auto detected = seconds_until_down("w2");
  EXPECT_GE(detected, 0) << master->log();
  EXPECT_LT(detected, 1.0);
  std::printf("faults: a killed worker was noticed in %.3f s\n", detected);
  const auto doc = finish(exit_nodes_lost);
  expect_books_balance(doc);
  expect_kept(doc, "w2");
  EXPECT_EQ(ended(node(doc, "w2"), "node_lost"), static_cast<std::uint64_t>(users_per_node));
  EXPECT_EQ(doc["state"], "finished");
  EXPECT_NE(master->log().find("users were lost with their node"), std::string::npos);
}

TEST_P(faults, a_hung_worker_is_noticed_within_six_seconds_and_rejoins_with_its_losses_kept) {
  start_nodes();
  start_master(14);
  // The node's users run in the child of its crash guard: that one hangs.
  const auto hung = nodes[1]->guarded_pid();
  ASSERT_GT(hung, 0);
  ::kill(hung, SIGSTOP);
  const auto detected = seconds_until_down("w2", 10s);
  ::kill(hung, SIGCONT);
  EXPECT_GE(detected, 0) << master->log();
  EXPECT_LT(detected, 6.0);
  std::printf("faults: a hung worker was noticed in %.3f s\n", detected);
  // It comes back (the master reconnects every second) and joins the run again.
  EXPECT_TRUE(master->await_log("node w2 joined the run", 8)) << master->log();
  const auto doc = finish(exit_nodes_lost);
  expect_books_balance(doc);
  expect_kept(doc, "w2");
  EXPECT_EQ(ended(node(doc, "w2"), "node_lost"), static_cast<std::uint64_t>(users_per_node));
  EXPECT_TRUE(node(doc, "w2")["up"].get<bool>());
}

TEST_P(faults, a_restarted_worker_rejoins_and_its_losses_stay_booked) {
  start_nodes();
  start_master(8);
  const auto port = nodes[1]->port();
  nodes[1]->kill_hard();
  EXPECT_GE(seconds_until_down("w2"), 0) << master->log();
  nodes[1] = start_node("w2", port);
  EXPECT_TRUE(master->await_log("node w2 joined the run", 8)) << master->log();
  const auto doc = finish(exit_nodes_lost);
  expect_books_balance(doc);
  expect_kept(doc, "w2");
  EXPECT_EQ(ended(node(doc, "w2"), "node_lost"), static_cast<std::uint64_t>(users_per_node));
  EXPECT_EQ(doc["users"]["ended"]["node_lost"].get<std::uint64_t>(),
            static_cast<std::uint64_t>(users_per_node));
}

// Whatever reaches a node's port from a stranger closes that connection only:
// no node is lost, every user ends as the plan says, the run exits 0.
TEST_P(faults, workers_stop_a_killed_masters_users_but_a_clean_end_is_no_news) {
  start_nodes();
  start_master(1);
  finish(0);
  for (const auto& n : nodes) {
    EXPECT_TRUE(n->await_log("master disconnected", 5)) << n->log();
    EXPECT_EQ(n->log().find("master gone"), std::string::npos) << n->log();
  }
  start_master(60);
  master->kill_hard();
  for (const auto& n : nodes)
    EXPECT_TRUE(n->await_log("master gone, stopping its users", 5)) << n->log();
}

TEST_P(faults, stray_connections_on_every_port_affect_only_themselves) {
  start_nodes();
  start_master(6);
  using namespace amoc::test;
  const auto handshake_then_garbage = basp_header(1, 64) + random_bytes(64);
  // Every stranger at once on every node: each must be closed within 8 s.
  std::vector<std::pair<std::string, std::future<bool>>> peers;
  auto plain = [&](const node_process& n, const char* what, std::string bytes) {
    peers.emplace_back(n.name() + ": " + what,
                       std::async(std::launch::async, plain_peer_is_closed, n.port(), bytes, 8));
  };
  auto secure = [&](const node_process& n, const char* what, std::string c, std::string k,
                    std::string a, std::string bytes) {
    peers.emplace_back(n.name() + ": " + what, std::async(std::launch::async, tls_peer_is_closed,
                                                          n.port(), c, k, a, bytes, 8));
  };
  for (const auto& n : nodes) {
    plain(*n, "random bytes", random_bytes(4096));
    plain(*n, "HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    plain(*n, "4 GiB header", basp_header(1, 0xffffffffu));
    plain(*n, "256 MiB header", basp_header(1, 256u << 20));
    plain(*n, "truncated header", basp_header(1, 64).substr(0, 20));
    plain(*n, "handshake of garbage", handshake_then_garbage);
    plain(*n, "empty handshake", basp_header(1, 0));
    if (tls()) {
      secure(*n, "TLS without certificate", "", "", "", "hello");
      secure(*n, "TLS with a foreign CA's certificate", (dir / "foreign" / "rogue.pem").string(),
             (dir / "foreign" / "rogue.key").string(), "", "hello");
      // A cluster certificate does not make a bad frame acceptable.
      secure(*n, "TLS with a cluster certificate, 4 GiB header", cert("master"), key("master"),
             ca(), basp_header(1, 0xffffffffu));
    }
  }
  for (auto& [what, closed] : peers)
    EXPECT_TRUE(closed.get()) << what << " was not closed";
  const auto doc = finish(0);
  expect_books_balance(doc);
  for (const auto& n : doc["nodes"]) {
    EXPECT_TRUE(n["up"].get<bool>()) << n;
    EXPECT_EQ(ended(n, "forced_stop"), static_cast<std::uint64_t>(users_per_node)) << n;
  }
  for (const auto& n : nodes)
    EXPECT_NE(n->log().find("closed: "), std::string::npos) << n->log();
}

// A connection that says nothing is dropped at the handshake deadline (5 s),
// so idle strangers cannot pile up on a node.
TEST_P(faults, a_silent_stranger_is_dropped_at_the_handshake_deadline) {
  start_nodes();
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(amoc::test::plain_peer_is_closed(nodes[0]->port(), "", 8));
  const auto waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GT(waited, 4.0);
  EXPECT_LT(waited, 6.5);
  EXPECT_TRUE(nodes[0]->await_log("no handshake within the deadline", 2)) << nodes[0]->log();
}

INSTANTIATE_TEST_SUITE_P(links, faults, ::testing::Values(links::tls, links::insecure), name_of);

}  // namespace
