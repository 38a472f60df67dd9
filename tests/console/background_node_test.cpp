// `amoc start`, `attach`, `status` and `stop`: a background node driven
// through the real binary, consoles at a pseudo-terminal.

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "../dist/node_process.hpp"
#include "pty_session.hpp"

namespace amoc::test {
namespace {

namespace fs = std::filesystem;

class BackgroundNodeTest : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/amoc-bg-XXXXXX";
    home_ = mkdtemp(tmpl);
    fs::create_directories(home_ / "plugins");
  }
  void TearDown() override {
    // A node a failed test left behind: stop it.
    if (fs::exists(run_dir() / "console.sock"))
      amoc({"stop"}).wait_exit(30);
    fs::remove_all(home_);
  }

  fs::path run_dir() const { return home_ / "run" / "amoc"; }

  pty_session amoc(std::vector<std::string> args) const {
    args.insert(args.begin(), amoc_binary());
    return pty_session{args,
                       {{"HOME", home_.string()},
                        {"XDG_STATE_HOME", (home_ / "state").string()},
                        {"XDG_RUNTIME_DIR", (home_ / "run").string()},
                        {"AMOC_PLUGIN_DIR", (home_ / "plugins").string()},
                        {"TERM", "xterm"},
                        {"AMOC_interarrival", "0"},
                        {"AMOC_repeat_interval", "20ms"},
                        {"AMOC_dummy_sleep", "20ms"}},
                       home_.string()};
  }

  fs::path home_;
};

TEST_F(BackgroundNodeTest, StartAttachDetachAttachStatusStop) {
  auto start = amoc({"start"});
  ASSERT_EQ(start.wait_exit(40), 0) << start.output();
  ASSERT_TRUE(start.expect("amoc node started (pid ")) << start.output();

  // Only the owner can reach the control socket.
  struct stat dir {
  }, sock{};
  ASSERT_EQ(stat(run_dir().c_str(), &dir), 0);
  ASSERT_EQ(stat((run_dir() / "console.sock").c_str(), &sock), 0);
  EXPECT_EQ(dir.st_mode & 0777, 0700u);
  EXPECT_EQ(sock.st_mode & 0777, 0600u);
  EXPECT_TRUE(fs::exists(run_dir() / "amoc.pid"));

  auto twice = amoc({"start"});
  EXPECT_EQ(twice.wait_exit(20), 1) << twice.output();
  EXPECT_TRUE(twice.expect("a node is already running (pid ")) << twice.output();

  {
    auto s = amoc({"attach"});
    ASSERT_TRUE(s.expect("attached to the amoc node")) << s.output();
    s.line("local do dummy 1 10");
    ASSERT_TRUE(s.expect("local: started dummy with users 1..10")) << s.output();
    // Log lines of the node stream to the attached console.
    s.line("log level debug");
    ASSERT_TRUE(s.expect("log level debug")) << s.output();
    s.line("local add 2");
    ASSERT_TRUE(s.expect("[debug]")) << s.output();
    ASSERT_TRUE(s.expect("first iteration done")) << s.output();
    s.line("log level info");
    ASSERT_TRUE(s.poll("status", "local: running dummy, users 12 (")) << s.output();
    s.type("\x04");
    ASSERT_TRUE(s.expect("detached; the node keeps running")) << s.output();
    EXPECT_EQ(s.wait_exit(10), 0) << s.output();
  }
  {
    auto s = amoc({"attach"});
    ASSERT_TRUE(s.expect("attached to the amoc node")) << s.output();
    s.line("status");
    ASSERT_TRUE(s.expect("local: running dummy, users 12 (")) << s.output();
    s.line("progress on");
    ASSERT_TRUE(s.expect("local running")) << s.output();
    s.line("quit");
    ASSERT_TRUE(s.expect("detached; the node keeps running")) << s.output();
    EXPECT_EQ(s.wait_exit(10), 0) << s.output();
  }

  auto status = amoc({"status"});
  EXPECT_EQ(status.wait_exit(20), 0);
  EXPECT_TRUE(status.expect("local: running dummy, users 12 (")) << status.output();

  auto stop = amoc({"stop"});
  EXPECT_EQ(stop.wait_exit(40), 0) << stop.output();
  EXPECT_TRUE(stop.expect("stopping 12 users")) << stop.output();
  EXPECT_TRUE(stop.expect("amoc node stopped")) << stop.output();
  EXPECT_FALSE(fs::exists(run_dir() / "console.sock"));
  EXPECT_FALSE(fs::exists(run_dir() / "amoc.pid"));

  auto none = amoc({"status"});
  EXPECT_EQ(none.wait_exit(20), 1);
  EXPECT_TRUE(none.expect("no amoc node is running")) << none.output();
  auto attach_none = amoc({"attach"});
  EXPECT_EQ(attach_none.wait_exit(20), 1);
}

TEST_F(BackgroundNodeTest, BadConfigIsReportedByStart) {
  auto start = amoc({"start", "--config", (home_ / "missing.json").string()});
  EXPECT_EQ(start.wait_exit(40), 2) << start.output();
  EXPECT_TRUE(start.expect("missing.json")) << start.output();
  EXPECT_FALSE(fs::exists(run_dir() / "console.sock"));
}

}  // namespace
}  // namespace amoc::test
