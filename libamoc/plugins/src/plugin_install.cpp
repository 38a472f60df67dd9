// amoc::plugins::install: a plugin built elsewhere (the master's upload),
// written to this node's plugin folder and loaded.

#include <cctype>
#include <fstream>
#include <map>
#include <mutex>
#include <unistd.h>

#include "amoc/error.hpp"
#include "amoc/plugins.hpp"
#include "amoc/scenario.hpp"
#include "scenario_registry.hpp"

namespace amoc::plugins {

namespace {

bool plain_plugin_name(std::string_view name) {
  if (name.size() < 4 || !name.ends_with(".so") || name.size() > 128)
    return false;
  for (char c : name.substr(0, name.size() - 3))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
      return false;
  return true;
}

// Files this process loaded through `install`, with their scenarios (whose
// code stays loaded for good).
struct installed_file {
  plugin loaded;
  std::vector<scenario_info> scenarios;
};

struct installed_files {
  std::mutex mutex;
  std::map<fs::path, installed_file> files;
};

installed_files& installed() {
  static installed_files i;
  return i;
}

caf::error write_atomically(const fs::path& file, std::string_view bytes) {
  auto temp = file;
  temp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out{temp, std::ios::binary | std::ios::trunc};
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out)
      return make_error(ec::plugin_load_failed, temp.string() + ": cannot write");
  }
  std::error_code ec;
  fs::rename(temp, file, ec);
  if (ec)
    return make_error(ec::plugin_load_failed, file.string() + ": " + ec.message());
  return {};
}

}  // namespace

fs::path upload_dir() { return default_dir() / "uploads"; }

caf::expected<plugin> install(std::string_view file_name, std::string_view bytes,
                              const fs::path& dir, const load_options& options) {
  if (!plain_plugin_name(file_name))
    return make_error(ec::plugin_load_failed,
                      "'" + std::string{file_name} + "' is not a plain plugin file name (NAME.so)");
  auto& state = installed();
  std::lock_guard guard{state.mutex};
  const auto file = dir / std::string{file_name};
  if (auto it = state.files.find(file); it != state.files.end()) {
    // Loaded before, maybe replaced since by another upload: its scenarios
    // become the registered ones again.
    if (options.check)
      if (auto err = options.check(it->second.loaded.scenarios))
        return err;
    if (auto err = detail::add_plugin_scenarios(it->second.scenarios, file.string(), true))
      return err;
    return it->second.loaded;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return make_error(ec::plugin_load_failed, dir.string() + ": " + ec.message());
  if (auto err = write_atomically(file, bytes))
    return err;
  auto opts = options;
  opts.replace = true;
  auto loaded = load(file, opts);
  if (!loaded)
    return loaded;
  installed_file entry{*loaded, {}};
  for (const auto& name : loaded->scenarios)
    if (const auto* info = find_scenario(name))
      entry.scenarios.push_back(*info);
  state.files.emplace(file, std::move(entry));
  return loaded;
}

}  // namespace amoc::plugins
