// Node links with mutual TLS (certificates from scripts/cluster-certs): a run
// works, a master without a valid certificate or without TLS is refused.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "amoc/config.hpp"
#include "amoc/error.hpp"
#include "amoc/runtime.hpp"
#include "node_process.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using amoc::test::node_process;

class secure_links : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("amoc-certs-" + std::to_string(getpid()));
    const auto script = std::string{AMOC_SOURCE_DIR} + "/scripts/cluster-certs";
    ASSERT_EQ(std::system((script + " " + dir.string() + " w1 master >/dev/null").c_str()), 0);
    ASSERT_EQ(
      std::system((script + " " + (dir / "foreign").string() + " master >/dev/null").c_str()), 0);
  }
  static void TearDownTestSuite() { fs::remove_all(dir); }

  static std::vector<std::string> node_tls(const fs::path& certs, const std::string& name) {
    return {"--cert", (certs / (name + ".pem")).string(),
            "--key",  (certs / (name + ".key")).string(),
            "--ca",   (certs / "ca.pem").string()};
  }

  std::unique_ptr<amoc::runtime> master(const std::string& node, amoc::link_security sec) {
    amoc::runtime::options opts;
    opts.store = &store;
    opts.nodes = {node};
    opts.security = std::move(sec);
    return std::make_unique<amoc::runtime>(opts);
  }

  static amoc::link_security certs_of(const fs::path& certs, const std::string& name) {
    return {(certs / (name + ".pem")).string(), (certs / (name + ".key")).string(),
            (certs / "ca.pem").string(), false};
  }

  static inline fs::path dir;
  amoc::config::store store;
};

TEST_F(secure_links, a_run_goes_over_mutual_tls) {
  node_process node{"w1", node_tls(dir, "w1")};
  auto m = master(node.address(), certs_of(dir, "master"));
  auto st = m->await_nodes(10s);
  ASSERT_TRUE(st);
  ASSERT_TRUE(st->nodes[0].up) << st->nodes[0].error;
  store.set_text("dummy_sleep", "1h");
  ASSERT_FALSE(m->start("dummy", 1, 3));
  for (int i = 0; i < 200 && m->status()->users.running < 3; ++i)
    std::this_thread::sleep_for(20ms);
  EXPECT_EQ(m->status()->users.running, 3u);
}

TEST_F(secure_links, a_master_with_a_foreign_certificate_is_refused) {
  node_process node{"w1", node_tls(dir, "w1")};
  auto m = master(node.address(), certs_of(dir / "foreign", "master"));
  auto st = m->await_nodes(3s);
  ASSERT_TRUE(st);
  EXPECT_FALSE(st->nodes[0].up);
  EXPECT_FALSE(st->nodes[0].error.empty());
  auto err = m->start("dummy", 1, 1);
  ASSERT_TRUE(err);
  EXPECT_NE(amoc::render(err).find("no worker node is up"), std::string::npos);
  // The node is unharmed: a proper master still gets it.
  m.reset();
  auto good = master(node.address(), certs_of(dir, "master"));
  st = good->await_nodes(10s);
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->nodes[0].up) << st->nodes[0].error;
}

TEST_F(secure_links, a_node_with_a_foreign_certificate_is_refused) {
  node_process node{"rogue", node_tls(dir / "foreign", "master")};
  auto m = master(node.address(), certs_of(dir, "master"));
  auto st = m->await_nodes(3s);
  ASSERT_TRUE(st);
  EXPECT_FALSE(st->nodes[0].up);
}

TEST_F(secure_links, a_plain_tcp_master_is_refused) {
  node_process node{"w1", node_tls(dir, "w1")};
  amoc::link_security plain;
  plain.insecure = true;
  auto m = master(node.address(), plain);
  auto st = m->await_nodes(3s);
  ASSERT_TRUE(st);
  EXPECT_FALSE(st->nodes[0].up);
}

TEST_F(secure_links, certificates_are_required_unless_insecure) {
  amoc::link_security none;
  EXPECT_EQ(none.check(), amoc::make_error(amoc::ec::insecure_link));
  amoc::test::child_process node{{amoc::test::amoc_binary(), "node", "--listen", "127.0.0.1:0"}};
  EXPECT_EQ(node.wait_exit(), 2);
  EXPECT_NE(node.log().find("node links need node_cert"), std::string::npos) << node.log();
}

}  // namespace
