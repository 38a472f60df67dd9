// amoc scenarios build|list|new: scenario plugins (docs/scenarios.md).

#include <cstdio>
#include <optional>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/plugins.hpp"
#include "amoc/scenario.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace amoc::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* usage = R"(usage:
  amoc scenarios build [DIR] [--out PLUGIN_DIR]  compile each DIR/*.cpp into a plugin
  amoc scenarios list                            scenarios, built in and from plugins
  amoc scenarios new NAME [DIR]                  write DIR/NAME.cpp, a scenario template
DIR defaults to ./scenarios (or --scenarios DIR); plugins go to $AMOC_PLUGIN_DIR,
else $XDG_DATA_HOME/amoc/plugins (~/.local/share/amoc/plugins).
)";

int bad_usage(const char* why) {
  std::fprintf(stderr, "amoc scenarios: %s\n%s", why, usage);
  return bad_input;
}

struct build_args {
  fs::path source_dir = defaults::plugins::scenarios_dir;
  fs::path out_dir = plugins::default_dir();
};

std::optional<build_args> parse_build(std::span<const std::string> args) {
  build_args parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--out" || arg == "--scenarios") {
      if (i + 1 == args.size())
        return std::nullopt;
      (arg == "--out" ? parsed.out_dir : parsed.source_dir) = args[++i];
    } else if (arg.starts_with("-")) {
      return std::nullopt;
    } else {
      parsed.source_dir = arg;
    }
  }
  return parsed;
}

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

int build(std::span<const std::string> args) {
  auto parsed = parse_build(args);
  if (!parsed)
    return bad_usage("build takes [DIR] [--out PLUGIN_DIR]");
  std::fprintf(stderr, "amoc scenarios build: %s -> %s\n", parsed->source_dir.c_str(),
               parsed->out_dir.c_str());
  auto built = plugins::build(parsed->source_dir, parsed->out_dir);
  if (!built) {
    // Compiler messages end with a newline; short reasons do not.
    const auto text = render(built.error());
    std::fprintf(stderr, "amoc scenarios build: %s%s", text.c_str(),
                 text.ends_with('\n') ? "" : "\n");
    return run_failed;
  }
  std::printf("built %zu plugin(s) into %s\n", built->plugins.size(), parsed->out_dir.c_str());
  return check_loads(built->plugins);
}

void print_variable(const config::variable& v) {
  std::printf("    %-24s %-8s default %-10s %s", v.name.c_str(), config::to_string(v.type),
              v.default_text.empty() ? "(none)" : v.default_text.c_str(), v.description.c_str());
  if (v.check)
    std::printf(" (%s)", v.check->description.c_str());
  std::printf("\n");
}

int list(std::span<const std::string> args) {
  if (!args.empty())
    return bad_usage("list takes no arguments");
  load_plugins_at_start();
  for (const auto& name : scenario_names()) {
    const auto* info = find_scenario(name);
    std::printf("%s  (%s)\n  %s\n", name.c_str(), info->origin.c_str(), info->description.c_str());
    for (const auto& v : info->variables)
      print_variable(v);
  }
  return success;
}

int create(std::span<const std::string> args) {
  if (args.empty() || args.size() > 2)
    return bad_usage("new takes NAME [DIR]");
  const fs::path dir = args.size() == 2 ? args[1] : defaults::plugins::scenarios_dir;
  auto file = plugins::write_template(args[0], dir);
  if (!file)
    return fail("scenarios new", file.error());
  std::printf("wrote %s; build it with: amoc scenarios build %s\n", file->c_str(), dir.c_str());
  return success;
}

}  // namespace

void load_plugins_at_start() {
  const auto dir = plugins::default_dir();
  for (const auto& err : plugins::load_dir(dir).failed)
    std::fprintf(stderr, "amoc: skipped %s\n", render(err).c_str());
}

int cmd_scenarios(std::span<const std::string> args) {
  if (args.empty())
    return bad_usage("missing subcommand");
  const auto& sub = args[0];
  const auto rest = args.subspan(1);
  if (sub == "build")
    return build(rest);
  if (sub == "list")
    return list(rest);
  if (sub == "new")
    return create(rest);
  return bad_usage(("unknown subcommand " + sub).c_str());
}

}  // namespace amoc::cli
