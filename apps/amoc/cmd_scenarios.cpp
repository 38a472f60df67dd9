// amoc scenarios build|list|new: scenario plugins (docs/scenarios.md).

#include <cstdio>
#include <optional>

#include "amoc/defaults.hpp"
#include "amoc/did_you_mean.hpp"
#include "amoc/error.hpp"
#include "amoc/plugins.hpp"
#include "amoc/scenario.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace amoc::cli {

namespace {

namespace fs = std::filesystem;

// Loading what was just built reports at once what the next start would:
// no scenario registered, a name already taken.
int check_loads(const std::vector<fs::path>& built) {
  int status = success;
  for (const auto& file : built) {
    auto loaded = plugins::load(file);
    if (!loaded) {
      status = fail("scenarios build", loaded.error());
      continue;
    }
    for (const auto& name : loaded->scenarios)
      std::printf("  %s  (%s)\n", name.c_str(), file.c_str());
  }
  return status;
}

void print_variable(const config::variable& v) {
  std::printf("    %-24s %-8s default %-10s %s", v.name.c_str(), config::to_string(v.type),
              v.default_text.empty() ? "(none)" : v.default_text.c_str(), v.description.c_str());
  if (v.check)
    std::printf(" (%s)", v.check->description.c_str());
  std::printf("\n");
}

}  // namespace

int cmd_scenarios_build(const arguments& args) {
  // DIR, else --scenarios DIR (the older spelling), else ./scenarios.
  const fs::path source_dir = args.positional("DIR").value_or(
    args.value("--scenarios").value_or(defaults::plugins::scenarios_dir));
  const auto out = args.value("--out");
  const fs::path out_dir = out ? fs::path{*out} : plugins::default_dir();
  std::fprintf(stderr, "amoc scenarios build: %s -> %s\n", source_dir.c_str(), out_dir.c_str());
  auto built = plugins::build(source_dir, out_dir);
  if (!built) {
    // Compiler messages end with a newline; short reasons do not.
    const auto text = render(built.error());
    std::fprintf(stderr, "amoc scenarios build: %s%s", text.c_str(),
                 text.ends_with('\n') ? "" : "\n");
    return run_failed;
  }
  std::printf("built %zu plugin(s) into %s\n", built->plugins.size(), out_dir.c_str());
  return check_loads(built->plugins);
}

int cmd_scenarios_list(const arguments& args) {
  load_plugins_at_start();
  const auto only = args.positional("SCENARIO");
  if (only && !find_scenario(*only)) {
    const auto close = closest_name(*only, scenario_names());
    std::fprintf(stderr, "amoc scenarios list: no scenario is called %s%s\n", only->c_str(),
                 close ? (" (did you mean " + *close + "?)").c_str() : "");
    return bad_input;
  }
  for (const auto& name : scenario_names()) {
    if (only && name != *only)
      continue;
    const auto* info = find_scenario(name);
    std::printf("%s  (%s)\n  %s\n", name.c_str(), info->origin.c_str(), info->description.c_str());
    for (const auto& v : info->variables)
      print_variable(v);
  }
  return success;
}

int cmd_scenarios_new(const arguments& args) {
  const fs::path dir = args.positional("DIR").value_or(defaults::plugins::scenarios_dir);
  auto file = plugins::write_template(*args.positional("NAME"), dir);
  if (!file)
    return fail("scenarios new", file.error());
  std::printf("wrote %s; build it with: amoc scenarios build %s\n", file->c_str(), dir.c_str());
  return success;
}

void load_plugins_at_start() {
  const auto dir = plugins::default_dir();
  for (const auto& err : plugins::load_dir(dir).failed)
    std::fprintf(stderr, "amoc: skipped %s\n", render(err).c_str());
}

}  // namespace amoc::cli
