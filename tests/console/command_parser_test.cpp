#include "console/command.hpp"
#include "console/interpreter.hpp"

#include <gtest/gtest.h>

#include "amoc/did_you_mean.hpp"
#include "amoc/error.hpp"

namespace amoc::console {
namespace {

command parsed(std::string_view line) {
  auto cmd = parse_command(line);
  EXPECT_TRUE(cmd) << line << ": " << (cmd ? "" : context_of(cmd.error()));
  return cmd ? *cmd : command{};
}

std::string error_of(std::string_view line) {
  auto cmd = parse_command(line);
  EXPECT_FALSE(cmd) << line << " parsed";
  return cmd ? "" : context_of(cmd.error());
}

TEST(CommandParser, ConsoleSyntax) {
  auto c = parsed("local do dummy 1 10");
  EXPECT_EQ(c.what, verb::local_do);
  EXPECT_EQ(c.scenario, "dummy");
  EXPECT_EQ(c.first, 1u);
  EXPECT_EQ(c.last, 10u);
  c = parsed("local remove 3 --force");
  EXPECT_EQ(c.what, verb::local_remove);
  EXPECT_EQ(c.count, 3u);
  EXPECT_TRUE(c.force);
  c = parsed(R"(dist do dummy 1 100 --comment "first try" --nodes a,b)");
  EXPECT_EQ(c.what, verb::dist_do);
  EXPECT_EQ(c.nodes, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.comment, "first try");
  c = parsed("dist add 5 --nodes a");
  EXPECT_EQ(c.nodes, std::vector<std::string>{"a"});
  c = parsed("dist remove 2 --nodes a,b --force");
  EXPECT_EQ(c.what, verb::dist_remove);
  EXPECT_EQ(c.nodes, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(c.force);
  c = parsed("config set interarrival 10ms");
  EXPECT_EQ(c.what, verb::config_set);
  EXPECT_EQ(c.name, "interarrival");
  EXPECT_EQ(c.value, "10ms");
  EXPECT_TRUE(parsed("progress on").on);
  EXPECT_EQ(parsed("help local do").name, "local do");
  EXPECT_EQ(parsed("log level debug").name, "debug");
  EXPECT_EQ(parsed("quit").what, verb::quit);
}

TEST(CommandParser, ErlangCallsBecomeTheSameCommands) {
  auto c = parsed("amoc_local:do(my_scenario, 1, 10).");
  EXPECT_EQ(c.what, verb::local_do);
  EXPECT_EQ(c.scenario, "my_scenario");
  EXPECT_EQ(c.last, 10u);
  EXPECT_EQ(parsed("amoc_local:add(10).").count, 10u);
  c = parsed("amoc_local:remove(10, [{force,true}]).");
  EXPECT_EQ(c.what, verb::local_remove);
  EXPECT_TRUE(c.force);
  c = parsed(R"(amoc_dist:do(my_scenario, 1, 100, [{nodes, ['a@h', 'b@h']}, {comment, "text"}]).)");
  EXPECT_EQ(c.what, verb::dist_do);
  EXPECT_EQ(c.nodes, (std::vector<std::string>{"a@h", "b@h"}));
  EXPECT_EQ(c.comment, "text");
  EXPECT_EQ(parsed("amoc_dist:add(50).").what, verb::dist_add);
  c = parsed("amoc_dist:remove(50, [{force,false}]).");
  EXPECT_EQ(c.what, verb::dist_remove);
  EXPECT_FALSE(c.force);
  c = parsed("amoc_dist:remove(5, [{force,true}, {nodes, ['b@h']}]).");
  EXPECT_TRUE(c.force);
  EXPECT_EQ(c.nodes, (std::vector<std::string>{"b@h"}));
  c = parsed("application:set_env(amoc, interarrival, 10).");
  EXPECT_EQ(c.what, verb::config_set);
  EXPECT_EQ(c.name, "interarrival");
  EXPECT_EQ(c.value, "10");
  c = parsed("amoc_config:get(interarrival).");
  EXPECT_EQ(c.what, verb::config_get);
  EXPECT_EQ(c.name, "interarrival");
  EXPECT_EQ(parsed("q().").what, verb::quit);
}

TEST(CommandParser, UnknownCommandsSuggestTheClosest) {
  EXPECT_EQ(error_of("stauts"),
            "unknown command 'stauts'; did you mean 'status'? (type 'help' for the list)");
  EXPECT_EQ(error_of("local dp dummy 1 2"),
            "unknown command 'local dp'; did you mean 'local do'? (type 'help' for the list)");
  EXPECT_EQ(error_of("xyzzy plugh"), "unknown command 'xyzzy' (type 'help' for the list)");
  EXPECT_EQ(
    error_of("amoc_lokal:add(1)."),
    "unknown call amoc_lokal:add/1; did you mean amoc_local:add? (type 'help' for the list)");
}

TEST(CommandParser, RunsWithADurationAFileAndTheirResult) {
  auto c = parsed("local do dummy 1 10 --duration 30s --graceful-stop-timeout 5s");
  EXPECT_EQ(c.duration, "30s");
  EXPECT_EQ(c.graceful_stop_timeout, "5s");
  auto run = run_of_command(c);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->max_duration, duration{std::chrono::seconds{30}});
  EXPECT_EQ(run->graceful_stop_timeout, duration{std::chrono::seconds{5}});
  EXPECT_EQ(run->last_id, 10u);
  c = parsed("dist do dummy 1 4 --nodes a --duration 1m");
  EXPECT_EQ(c.nodes, std::vector<std::string>{"a"});
  EXPECT_EQ(c.duration, "1m");
  auto bad = run_of_command(parsed("local do dummy 1 2 --duration soon"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(context_of(bad.error()),
            "--duration must be a positive duration such as 30s or 5m, got 'soon'");
  c = parsed("run configs/examples/dummy.json");
  EXPECT_EQ(c.what, verb::run_file);
  EXPECT_EQ(c.path, "configs/examples/dummy.json");
  EXPECT_EQ(parsed("result").path, "");
  EXPECT_EQ(parsed("result out.json").path, "out.json");
  EXPECT_EQ(error_of("run"), "run: expected 1 argument, got 0\nusage: run FILE");
}

TEST(CommandParser, WrongArgumentsShowTheUsage) {
  const std::string do_usage =
    "\nusage: local do SCENARIO FIRST LAST [--duration D] [--graceful-stop-timeout D]";
  EXPECT_EQ(error_of("local do dummy 1"), "local do: expected 3 arguments, got 2" + do_usage);
  EXPECT_EQ(error_of("local add many"),
            "local add: N must be a number, got 'many'\nusage: local add N");
  EXPECT_EQ(error_of("local do dummy 9 2"),
            "local do: FIRST (9) is greater than LAST (2)" + do_usage);
  EXPECT_EQ(error_of("local remove 1 --hard"),
            "local remove: unknown option --hard\nusage: local remove N [--force]");
  EXPECT_EQ(error_of("dist do dummy 1 2 --nodes"),
            "dist do: --nodes needs a value\nusage: dist do SCENARIO FIRST LAST [--nodes A,B] "
            "[--comment TEXT] [--duration D] [--graceful-stop-timeout D]");
  EXPECT_EQ(error_of("progress maybe"),
            "progress: expected on or off, got 'maybe'\nusage: progress on|off");
  EXPECT_EQ(
    error_of("amoc_local:do(dummy, 1)."),
    "amoc_local:do/2: wrong number of arguments\nusage: amoc_local:do(Scenario, First, Last).");
  EXPECT_EQ(
    error_of("amoc_local:remove(1, [{force, maybe}])."),
    "amoc_local:remove/2: bad option {force, ...}\nusage: amoc_local:remove(N, [{force, Bool}]).");
  EXPECT_EQ(error_of("application:set_env(amoc, x, [1])."),
            "application:set_env/3: the value must be an integer, atom or string\n"
            "usage: application:set_env(amoc, name, Value).");
  EXPECT_NE(error_of(R"(config set comment "open)").find("no closing"), std::string::npos);
}

TEST(CommandParser, CompletesCommandsAndScenarios) {
  const std::vector<std::string> scenarios{"dummy", "http_get"};
  EXPECT_EQ(completions("", "st", scenarios), std::vector<std::string>{"status"});
  EXPECT_EQ(completions("", "lo", scenarios), (std::vector<std::string>{"local", "log"}));
  EXPECT_EQ(completions("local ", "", scenarios),
            (std::vector<std::string>{"do", "add", "remove"}));
  EXPECT_EQ(completions("dist do ", "d", scenarios), std::vector<std::string>{"dummy"});
  EXPECT_EQ(completions("log level ", "w", scenarios), std::vector<std::string>{"warning"});
  EXPECT_EQ(completions("progress ", "o", scenarios), (std::vector<std::string>{"on", "off"}));
  EXPECT_TRUE(completions("local do dummy ", "", scenarios).empty());
}

TEST(CommandParser, EditDistance) {
  EXPECT_EQ(edit_distance("status", "status"), 0u);
  EXPECT_EQ(edit_distance("stauts", "status"), 2u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(closest_command("nodse"), "nodes");
  EXPECT_EQ(closest_command("qit"), "quit");
}

TEST(CommandParser, HelpCoversEveryCommand) {
  auto all = help_text("");
  ASSERT_TRUE(all);
  for (const auto& spec : command_table())
    EXPECT_NE(all->find(spec.usage), std::string::npos) << spec.name;
  EXPECT_NE(all->find("Local and distributed runs coexist"), std::string::npos);
  auto one = help_text("dist");
  ASSERT_TRUE(one);
  EXPECT_NE(one->find("usage: dist remove N [--force]"), std::string::npos);
  EXPECT_EQ(one->find("local do"), std::string::npos);
  EXPECT_FALSE(help_text("stat"));
}

}  // namespace
}  // namespace amoc::console
