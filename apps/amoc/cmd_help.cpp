// amoc help, version, completion and the hidden name listing for completion.

#include <algorithm>
#include <cstdio>
#include <set>

#include "amoc/did_you_mean.hpp"
#include "amoc/plugins.hpp"
#include "amoc/scenario.hpp"
#include "cli_config.hpp"
#include "command_table.hpp"
#include "commands.hpp"
#include "completion.hpp"
#include "exit_codes.hpp"
#include "usage_text.hpp"

namespace amoc::cli {

namespace {

int help_settings(const std::optional<std::string>& name) {
  load_plugins_at_start();
  const auto text = settings_text(name.value_or(""));
  if (text.empty()) {
    const auto close = closest_name(*name, known_settings(nullptr));
    std::fprintf(stderr, "amoc help: no setting is called %s%s\n", name->c_str(),
                 close ? (" (did you mean " + *close + "?)").c_str() : "");
    return bad_input;
  }
  std::fputs(text.c_str(), stdout);
  return success;
}

}  // namespace

int cmd_help(const arguments& args) {
  if (args.has("--man")) {
    std::fputs(man_page().c_str(), stdout);
    return success;
  }
  const auto topic = args.positional("TOPIC");
  const auto sub = args.positional("SUBCOMMAND");
  if (!topic) {
    std::fputs(overview_text().c_str(), stdout);
    return success;
  }
  if (*topic == "settings")
    return help_settings(sub);
  const auto* spec = find_command(sub ? *topic + " " + *sub : *topic);
  if (!spec || spec->hidden) {
    std::fprintf(stderr, "amoc help: no command is called %s%s; 'amoc help' lists them\n",
                 topic->c_str(), sub ? (" " + *sub).c_str() : "");
    return bad_input;
  }
  std::fputs(command_help(*spec).c_str(), stdout);
  return success;
}

int cmd_version(const arguments&) {
  std::printf("amoc %s (plugin ABI: %s)\n", AMOC_VERSION, plugins::abi_tag());
  return success;
}

int cmd_completion(const arguments&) {
  // SHELL is checked against its choices: "bash" is the only one.
  std::fputs(bash_completion_script().c_str(), stdout);
  return success;
}

int cmd_complete_names(const arguments& args) {
  const auto what = *args.positional("WHAT");
  std::set<std::string> names;
  if (what == "commands")
    for (const auto& c : command_table())
      if (!c.hidden && c.run)
        names.insert(c.name);
  if (what == "scenarios")
    for (const auto& n : scenario_names())
      names.insert(n);
  if (what == "settings")
    for (const auto& n : known_settings(nullptr))
      names.insert(n);
  for (const auto& n : names)
    std::printf("%s\n", n.c_str());
  return success;
}

}  // namespace amoc::cli
