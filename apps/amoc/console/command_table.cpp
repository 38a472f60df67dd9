#include <algorithm>
#include <array>
#include <set>

#include "amoc/did_you_mean.hpp"
#include "console/command.hpp"
#include "console/text.hpp"

namespace amoc::console {

namespace {

constexpr std::array<command_spec, 17> table{{
  {verb::local_do, "local do",
   "local do SCENARIO FIRST LAST [--duration D] [--graceful-stop-timeout D]",
   "start SCENARIO on this node with users FIRST..LAST (for D, then a graceful stop)",
   "amoc_local:do(Scenario, First, Last)."},
  {verb::local_add, "local add", "local add N", "add N users with the next ids",
   "amoc_local:add(N)."},
  {verb::local_remove, "local remove", "local remove N [--force]",
   "remove the newest N users (gracefully: they finish their iteration)",
   "amoc_local:remove(N, [{force, Bool}])."},
  {verb::dist_do, "dist do",
   "dist do SCENARIO FIRST LAST [--nodes A,B] [--comment TEXT] [--duration D] "
   "[--graceful-stop-timeout D]",
   "start SCENARIO over the worker nodes (round-robin by user id)",
   "amoc_dist:do(Scenario, First, Last, [{nodes, [...]}, {comment, \"text\"}])."},
  {verb::dist_add, "dist add", "dist add N [--nodes A,B]", "add N users over the worker nodes",
   "amoc_dist:add(N)."},
  {verb::dist_remove, "dist remove", "dist remove N [--force] [--nodes A,B]",
   "remove the newest N users of the distributed run (or N from the chosen nodes)",
   "amoc_dist:remove(N, [{force, Bool}, {nodes, [...]}])."},
  {verb::run_file, "run", "run FILE",
   "execute a run file as `amoc run` does (duration, stages, thresholds); on the worker "
   "nodes when it names nodes",
   ""},
  {verb::result, "result", "result [FILE]",
   "the current or last run's outcome: state, users, thresholds (so far while it runs); "
   "FILE gets its result document, as `amoc run --out` writes it",
   ""},
  {verb::status, "status", "status", "state and users of the local and distributed runs", ""},
  {verb::nodes, "nodes", "nodes", "the worker nodes and their users (connects on first use)", ""},
  {verb::scenarios, "scenarios", "scenarios", "the scenarios this node can run", ""},
  {verb::config_get, "config get", "config get NAME", "a setting's value and where it came from",
   "amoc_config:get(name)."},
  {verb::config_set, "config set", "config set NAME VALUE",
   "set a setting (during a run: on every node of the run)",
   "application:set_env(amoc, name, Value)."},
  {verb::log_level, "log level", "log level debug|info|warning|error",
   "which log lines are shown and written", ""},
  {verb::progress, "progress", "progress on|off",
   "a progress line (users, rates, failures) every second while a run is active", ""},
  {verb::help, "help", "help [COMMAND]", "the commands, or one command in detail", ""},
  {verb::quit, "quit", "quit",
   "leave (console: stops the run; attached: detaches and the node keeps running)", "q()."},
}};

std::vector<std::string> unique_first_words() {
  std::vector<std::string> words;
  for (const auto& spec : table) {
    auto first = std::string{spec.name.substr(0, spec.name.find(' '))};
    if (std::find(words.begin(), words.end(), first) == words.end())
      words.push_back(std::move(first));
  }
  return words;
}

}  // namespace

std::vector<std::string> second_words_of(std::string_view group) {
  std::vector<std::string> words;
  for (const auto& spec : table) {
    const auto space = spec.name.find(' ');
    if (space != std::string_view::npos && spec.name.substr(0, space) == group)
      words.emplace_back(spec.name.substr(space + 1));
  }
  return words;
}

namespace {

std::vector<std::string> starting_with(const std::vector<std::string>& words,
                                       std::string_view prefix) {
  std::vector<std::string> out;
  for (const auto& w : words)
    if (w.starts_with(prefix))
      out.push_back(w);
  return out;
}

std::vector<std::string> candidates(const std::vector<std::string>& before,
                                    const std::vector<std::string>& scenarios) {
  if (before.empty())
    return unique_first_words();
  const auto& first = before[0];
  if (before.size() == 1) {
    if (first == "help")
      return unique_first_words();
    if (first == "progress")
      return {"on", "off"};
    return second_words_of(first);
  }
  if (before.size() == 2) {
    if ((first == "local" || first == "dist") && before[1] == "do")
      return scenarios;
    if (first == "log" && before[1] == "level")
      return {"debug", "info", "warning", "error"};
    if (first == "help")
      return second_words_of(before[1]);
  }
  return {};
}

}  // namespace

std::span<const command_spec> command_table() { return table; }

const command_spec& spec_of(verb v) {
  return *std::find_if(table.begin(), table.end(), [v](const auto& s) { return s.what == v; });
}

std::string closest_command(std::string_view typed) {
  std::vector<std::string> names;
  for (const auto& spec : table)
    for (std::string_view name : {spec.name, spec.name.substr(0, spec.name.find(' '))})
      names.emplace_back(name);
  return closest_name(typed, names).value_or("");
}

std::vector<std::string> completions(std::string_view before, std::string_view word,
                                     const std::vector<std::string>& scenarios) {
  return starting_with(candidates(split_words(before), scenarios), word);
}

}  // namespace amoc::console
