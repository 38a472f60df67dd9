// Where plugins live and where their build finds amoc: the one place to
// change when amoc is installed rather than run from its build tree.

#include <cstdlib>

#include "amoc/defaults.hpp"
#include "amoc/plugins.hpp"

namespace amoc::plugins {

namespace {

fs::path from_env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? fs::path{value} : fs::path{};
}

}  // namespace

fs::path default_dir() {
  if (auto dir = from_env(defaults::plugins::dir_env); !dir.empty())
    return dir;
  std::error_code ec;
  const auto binary = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return fs::path{"plugins"};
  return (binary.parent_path() / defaults::plugins::dir_next_to_binary).lexically_normal();
}

fs::path sdk_dir() {
  if (auto dir = from_env(defaults::plugins::sdk_env); !dir.empty())
    return dir;
  // Set by CMake: the sdk/ folder of the build tree this library was built in.
  return fs::path{AMOC_SDK_DIR};
}

const char* abi_tag() noexcept { return AMOC_PLUGIN_ABI; }

}  // namespace amoc::plugins
