// amoc::plugins::load: dlopen, check, then add the plugin's scenarios.

#include <algorithm>
#include <cstring>
#include <cxxabi.h>
#include <dlfcn.h>
#include <memory>

#include "amoc/error.hpp"
#include "amoc/plugins.hpp"
#include "scenario_registry.hpp"

namespace amoc::plugins {

namespace {

caf::error load_failure(const fs::path& file, const std::string& why) {
  return make_error(ec::plugin_load_failed, file.string() + ": " + why);
}

std::string demangled(const std::string& symbol) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> name{
    abi::__cxa_demangle(symbol.c_str(), nullptr, nullptr, &status), &std::free};
  return status == 0 ? name.get() : symbol;
}

// dlerror() says "FILE: undefined symbol: _ZN4amoc...": drop the file (the
// error names it already) and demangle the symbol.
std::string dlopen_failure(const fs::path& file) {
  std::string why = dlerror();
  const auto prefix = file.string() + ": ";
  if (why.starts_with(prefix))
    why.erase(0, prefix.size());
  constexpr std::string_view undefined = "undefined symbol: ";
  if (why.starts_with(undefined))
    why = std::string{undefined} + demangled(why.substr(undefined.size()));
  return why;
}

// A plugin built by `amoc scenarios build` exports amoc_plugin_abi() (see
// amoc/scenario.hpp); its tag names the amoc build it was compiled against.
caf::error check_abi(void* handle, const fs::path& file) {
  using tag_function = const char* (*)() noexcept;
  auto tag = reinterpret_cast<tag_function>(dlsym(handle, "amoc_plugin_abi"));
  if (!tag)
    return load_failure(file,
                        "no amoc_plugin_abi symbol: not a plugin built by `amoc scenarios build`");
  if (std::strcmp(tag(), abi_tag()) != 0)
    return load_failure(file, std::string{"built against \""} + tag() + "\", this amoc is \""
                                + abi_tag() + "\": rebuild it with `amoc scenarios build`");
  return {};
}

struct closer {
  void operator()(void* handle) const { dlclose(handle); }
};
using library = std::unique_ptr<void, closer>;

}  // namespace

caf::expected<plugin> load(const fs::path& file) { return load(file, load_options{}); }

caf::expected<plugin> load(const fs::path& file, const load_options& opts) {
  // Declared after the library, so destroyed before it is closed: the
  // captured scenarios hold the plugin's code.
  library handle;
  std::vector<scenario_info> scenarios;
  {
    detail::registration_capture capture;
    // RTLD_LOCAL: plugins do not see each other's symbols, only amoc's.
    handle.reset(dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL));
    scenarios = capture.take();
  }
  if (!handle)
    return load_failure(file, dlopen_failure(file));
  if (auto err = check_abi(handle.get(), file))
    return err;
  if (scenarios.empty())
    return load_failure(file, "no scenario registered (AMOC_REGISTER_SCENARIO missing?)");
  plugin result{file, {}};
  for (const auto& s : scenarios)
    result.scenarios.push_back(s.name);
  if (opts.check)
    if (auto err = opts.check(result.scenarios))
      return err;
  if (auto err = detail::add_plugin_scenarios(std::move(scenarios), file.string(), opts.replace))
    return err;
  // Loaded for good: the registry now holds the plugin's code.
  handle.release();
  return result;
}

load_report load_dir(const fs::path& dir) {
  load_report report;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return report;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator{dir, ec}) {
    if (entry.path().extension() != ".so")
      continue;
    // dlopen of a FIFO waits for a writer forever: only regular files (or
    // links to them) are tried.
    if (entry.is_regular_file(ec))
      files.push_back(entry.path());
    else
      report.failed.push_back(load_failure(entry.path(), "not a regular file"));
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    auto loaded = load(file);
    if (loaded)
      report.loaded.push_back(std::move(*loaded));
    else
      report.failed.push_back(std::move(loaded.error()));
  }
  return report;
}

}  // namespace amoc::plugins
