// The real `amoc` binary at a pseudo-terminal: `amoc console`, the Erlang-style
// commands, bad input, and a distributed run against real `amoc node`s.

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "../dist/node_process.hpp"
#include "pty_session.hpp"

namespace amoc::test {
namespace {

namespace fs = std::filesystem;

// A home of its own per test: history, run dir and an empty plugin folder.
class ConsoleTest : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/amoc-console-XXXXXX";
    home_ = mkdtemp(tmpl);
    fs::create_directories(home_ / "plugins");
  }
  void TearDown() override { fs::remove_all(home_); }

  pty_session::environment env(pty_session::environment extra = {}) const {
    pty_session::environment e{{"HOME", home_.string()},
                               {"XDG_STATE_HOME", (home_ / "state").string()},
                               {"AMOC_RUN_DIR", (home_ / "run").string()},
                               {"AMOC_PLUGIN_DIR", (home_ / "plugins").string()},
                               {"TERM", "xterm"}};
    e.insert(e.end(), extra.begin(), extra.end());
    return e;
  }

  pty_session console(std::vector<std::string> args = {}, pty_session::environment extra = {}) {
    args.insert(args.begin(), {amoc_binary(), "console"});
    return pty_session{args, env(std::move(extra)), home_.string()};
  }

  // Fast users: no wait between spawns, short iterations, never ending by themselves.
  static pty_session::environment fast_users() {
    return {
      {"AMOC_interarrival", "0"}, {"AMOC_repeat_interval", "20ms"}, {"AMOC_dummy_sleep", "20ms"}};
  }

  fs::path home_;
};

TEST_F(ConsoleTest, LocalRunWithAddRemoveStatusAndProgress) {
  auto s = console({}, fast_users());
  ASSERT_TRUE(s.expect("amoc> ")) << s.output();
  s.line("local do dummy 1 10");
  ASSERT_TRUE(s.expect("local: started dummy with users 1..10")) << s.output();
  ASSERT_TRUE(s.poll("status", "local: running dummy, users 10 (")) << s.output();
  s.line("local add 5");
  ASSERT_TRUE(s.expect("local: adding 5 users")) << s.output();
  ASSERT_TRUE(s.poll("status", "users 15 (")) << s.output();
  s.line("local remove 3 --force");
  ASSERT_TRUE(s.expect("local: removing 3 users by force")) << s.output();
  ASSERT_TRUE(s.poll("status", "users 12 (")) << s.output();
  EXPECT_TRUE(s.expect("forced_stop 3")) << s.output();
  s.line("local remove 2");
  ASSERT_TRUE(s.expect("local: removing 2 users (they finish their iteration)")) << s.output();
  ASSERT_TRUE(s.poll("status", "users 10 (")) << s.output();
  s.line("progress on");
  ASSERT_TRUE(s.expect("progress on")) << s.output();
  ASSERT_TRUE(s.expect("local running")) << s.output();
  ASSERT_TRUE(s.expect("users 10 (running")) << s.output();
  s.line("progress off");
  ASSERT_TRUE(s.expect("progress off")) << s.output();
  s.line("quit");
  ASSERT_TRUE(s.expect("stopping 10 users")) << s.output();
  EXPECT_EQ(s.wait_exit(30), 0) << s.output();
  // History survives the session, for the next one.
  std::ifstream history{home_ / "state" / "amoc" / "history"};
  std::stringstream text;
  text << history.rdbuf();
  // libedit's format escapes spaces (strvis): "local\\040add\\0405".
  EXPECT_NE(text.str().find("local\\040add\\0405"), std::string::npos) << text.str();
}

TEST_F(ConsoleTest, TabCompletesCommandsAndScenariosAndHistoryIsRecalled) {
  {
    auto s = console();
    ASSERT_TRUE(s.expect("amoc> "));
    s.type("sta\t\r");
    ASSERT_TRUE(s.expect("local: idle")) << s.output();
    s.type("local d\tdumm\t1 2\r");
    ASSERT_TRUE(s.expect("local: started dummy with users 1..2")) << s.output();
    // At the prompt, as a person would: keys typed while a command runs reach
    // the terminal in line mode, where Ctrl+D is not a character.
    ASSERT_TRUE(s.expect("amoc> ")) << s.output();
    s.type("\x04");  // Ctrl+D leaves like quit
    // The count is what runs at this instant (spawning is asynchronous): the
    // exact numbers are checked where a test polls for them, here only leaving.
    ASSERT_TRUE(s.expect("stopping ")) << s.output();
    EXPECT_EQ(s.wait_exit(30), 0) << s.output();
  }
  auto s = console();
  ASSERT_TRUE(s.expect("amoc> "));
  s.type("\033[A\033[A\r");  // up twice: the status line of the last session
  ASSERT_TRUE(s.expect("local: idle")) << s.output();
  s.line("quit");
  EXPECT_EQ(s.wait_exit(30), 0);
}

TEST_F(ConsoleTest, ErlangStyleCommands) {
  auto s = console({}, {{"AMOC_repeat_interval", "20ms"}, {"AMOC_dummy_sleep", "20ms"}});
  ASSERT_TRUE(s.expect("amoc> "));
  s.line("application:set_env(amoc, interarrival, 0).");
  ASSERT_TRUE(s.expect("interarrival = 0")) << s.output();
  s.line("amoc_config:get(interarrival).");
  ASSERT_TRUE(s.expect("interarrival = 0 (set at run time)")) << s.output();
  s.line("amoc_local:do(dummy, 1, 10).");
  ASSERT_TRUE(s.expect("local: started dummy with users 1..10")) << s.output();
  s.line("amoc_local:add(10).");
  ASSERT_TRUE(s.expect("local: adding 10 users")) << s.output();
  ASSERT_TRUE(s.poll("status", "users 20 (")) << s.output();
  s.line("amoc_local:remove(10, [{force,true}]).");
  ASSERT_TRUE(s.expect("local: removing 10 users by force")) << s.output();
  ASSERT_TRUE(s.poll("status", "users 10 (")) << s.output();
  s.line("amoc_local:remove(5, [{force,false}]).");
  ASSERT_TRUE(s.expect("local: removing 5 users (they finish")) << s.output();
  ASSERT_TRUE(s.poll("status", "users 5 (")) << s.output();
  // No worker nodes were given: the dist calls say so, and nothing breaks.
  s.line(R"(amoc_dist:do(dummy, 1, 100, [{nodes, ['a@h']}, {comment, "text"}]).)");
  ASSERT_TRUE(s.expect("error: no worker nodes: start the console with --nodes")) << s.output();
  s.line("q().");
  ASSERT_TRUE(s.expect("stopping 5 users")) << s.output();
  EXPECT_EQ(s.wait_exit(30), 0);
}

TEST_F(ConsoleTest, BadInputIsExplainedAndTheConsoleCarriesOn) {
  auto s = console();
  ASSERT_TRUE(s.expect("amoc> "));
  s.line("stauts");
  ASSERT_TRUE(s.expect("unknown command 'stauts'; did you mean 'status'?")) << s.output();
  s.line("local do dummy 1");
  ASSERT_TRUE(s.expect("usage: local do SCENARIO FIRST LAST")) << s.output();
  s.line("local do no_such_scenario 1 2");
  ASSERT_TRUE(s.expect("unknown scenario 'no_such_scenario' (known: dummy")) << s.output();
  s.line("amoc_local:do(dummy, 1).");
  ASSERT_TRUE(s.expect("usage: amoc_local:do(Scenario, First, Last).")) << s.output();
  s.line("amoc_lokal:add(1).");
  ASSERT_TRUE(s.expect("did you mean amoc_local:add?")) << s.output();
  s.line("config set repeat_num lots");
  ASSERT_TRUE(s.expect("error: repeat_num")) << s.output();
  s.line("config get repeat_num");
  ASSERT_TRUE(s.expect("repeat_num = infinity (default)")) << s.output();
  s.line("local add 1");
  ASSERT_TRUE(s.expect("cannot add")) << s.output();
  s.line("log level loud");
  ASSERT_TRUE(s.expect("usage: log level debug|info|warning|error")) << s.output();
  s.line("help local");
  ASSERT_TRUE(s.expect("usage: local remove N [--force]")) << s.output();
  s.line("status");
  ASSERT_TRUE(s.expect("local: idle")) << s.output();
  s.line("quit");
  ASSERT_TRUE(s.expect("no users running")) << s.output();
  EXPECT_EQ(s.wait_exit(30), 0);
}

TEST_F(ConsoleTest, DistributedRunOverTwoRealNodes) {
  node_process a{"a@h"};
  node_process b{"b@h"};
  ASSERT_NE(a.port(), 0);
  ASSERT_NE(b.port(), 0);
  auto s = console({"--nodes", a.address() + "," + b.address(), "--insecure"}, fast_users());
  // The console and both nodes' logs, for a node that goes down mid-test.
  auto all = [&] { return s.output() + "\n-- node a:\n" + a.log() + "\n-- node b:\n" + b.log(); };
  ASSERT_TRUE(s.expect("amoc> "));
  s.line("dist do dummy 1 10 --comment \"console test\"");
  ASSERT_TRUE(s.expect("dist: started dummy with users 1..10", 30)) << all();
  ASSERT_TRUE(s.poll("status", "dist: running dummy, users 10 (")) << all();
  s.line("nodes");
  ASSERT_TRUE(s.expect("node a@h (" + a.address() + "): up, running, users 5")) << all();
  ASSERT_TRUE(s.expect("node b@h (" + b.address() + "): up, running, users 5")) << all();
  s.line("dist add 4 --nodes a@h");
  ASSERT_TRUE(s.expect("dist: adding 4 users")) << all();
  ASSERT_TRUE(s.poll("nodes", "node a@h (" + a.address() + "): up, running, users 9")) << all();
  s.line("dist remove 3 --force");
  ASSERT_TRUE(s.expect("dist: removing 3 users by force")) << all();
  ASSERT_TRUE(s.poll("status", "dist: running dummy, users 11 (")) << all();
  s.line("dist remove 2 --force --nodes b@h");  // from b only: a keeps its 6
  ASSERT_TRUE(s.expect("dist: removing 2 users by force")) << all();
  ASSERT_TRUE(s.poll("nodes", "node b@h (" + b.address() + "): up, running, users 3")) << all();
  ASSERT_TRUE(s.poll("status", "dist: running dummy, users 9 (")) << all();
  // The original's calls, against the same nodes.
  s.line("amoc_dist:add(50).");
  ASSERT_TRUE(s.expect("dist: adding 50 users")) << all();
  ASSERT_TRUE(s.poll("status", "dist: running dummy, users 59 (")) << all();
  s.line("amoc_dist:remove(50, [{force,false}]).");
  ASSERT_TRUE(s.expect("dist: removing 50 users (they finish")) << all();
  ASSERT_TRUE(s.poll("status", "dist: running dummy, users 9 (")) << all();
  // A local run beside the distributed one.
  s.line("local do dummy 1 3");
  ASSERT_TRUE(s.poll("status", "local: running dummy, users 3 (")) << all();
  s.line("quit");
  ASSERT_TRUE(s.expect("stopping 12 users")) << all();
  EXPECT_EQ(s.wait_exit(30), 0) << all();
}

TEST_F(ConsoleTest, DistributedRunWithTheOriginalsCall) {
  node_process a{"a@h"};
  node_process b{"b@h"};
  auto s = console({"--nodes", a.address() + "," + b.address(), "--insecure"}, fast_users());
  ASSERT_TRUE(s.expect("amoc> "));
  s.line(R"(amoc_dist:do(dummy, 1, 6, [{nodes, ['b@h']}, {comment, "text"}]).)");
  ASSERT_TRUE(s.expect("dist: started dummy with users 1..6", 30)) << s.output();
  ASSERT_TRUE(s.poll("nodes", "node b@h (" + b.address() + "): up, running, users 6"))
    << s.output();
  s.line("status");
  ASSERT_TRUE(s.expect("comment \"text\"")) << s.output();
  s.line("quit");
  ASSERT_TRUE(s.expect("stopping 6 users")) << s.output();
  EXPECT_EQ(s.wait_exit(30), 0) << s.output();
}

TEST_F(ConsoleTest, LiveSettingsReachEveryNodeOfTheRun) {
  node_process a{"a@h"};
  node_process b{"b@h"};
  auto s = console({"--nodes", a.address() + "," + b.address(), "--insecure"});
  ASSERT_TRUE(s.expect("amoc> "));
  // Set before the run: the master hands its run-time values to the nodes.
  for (const auto* setting : {"interarrival 0", "repeat_interval 20ms", "dummy_sleep 20ms"}) {
    s.line(std::string{"config set "} + setting);
    ASSERT_TRUE(s.expect(std::string{setting}.replace(std::string{setting}.find(' '), 1, " = ")))
      << s.output();
  }
  s.line("dist do dummy 1 4");
  ASSERT_TRUE(s.expect("dist: started dummy with users 1..4", 30)) << s.output();
  ASSERT_TRUE(s.poll("status", "dist: running dummy, users 4 (")) << s.output();
  // Refused by each node, which names itself and the setting.
  s.line("config set dummy_sleep 5ms");
  ASSERT_TRUE(s.expect("read_only_setting: dummy_sleep is read-only during a run; node "))
    << s.output();
  // repeat_num takes effect at once: every user on both nodes ends normally.
  s.line("application:set_env(amoc, repeat_num, 1).");
  ASSERT_TRUE(s.expect("repeat_num = 1 (on every node of the run)")) << s.output();
  ASSERT_TRUE(s.poll("status", "dist: finished dummy, users 0")) << s.output();
  EXPECT_TRUE(s.expect("(normal 4)")) << s.output();
  s.line("quit");
  ASSERT_TRUE(s.expect("no users running")) << s.output();
  EXPECT_EQ(s.wait_exit(30), 0) << s.output();
}

}  // namespace
}  // namespace amoc::test
