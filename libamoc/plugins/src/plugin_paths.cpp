// Where plugins live and where their build finds amoc: the one place to
// change when amoc is installed rather than run from its build tree.

#include <cstdlib>

#include <dlfcn.h>
#include <pwd.h>
#include <unistd.h>

#include "amoc/defaults.hpp"
#include "amoc/plugins.hpp"

namespace amoc::plugins {

namespace {

fs::path from_env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? fs::path{value} : fs::path{};
}

// The SDK of an installed amoc, found relative to this library's own file
// (lib/libamoc_plugins.so -> share/amoc/sdk), so an install prefix can move.
fs::path installed_sdk_dir() {
  Dl_info info{};
  if (!dladdr(reinterpret_cast<const void*>(&abi_tag), &info) || !info.dli_fname)
    return {};
  std::error_code ec;
  const auto library = fs::canonical(info.dli_fname, ec);
  if (ec)
    return {};
  auto dir = (library.parent_path() / AMOC_SDK_FROM_LIBDIR).lexically_normal();
  return fs::exists(dir / "amoc-sdk.cmake", ec) ? dir : fs::path{};
}

}  // namespace

// Plugins are the user's data, kept across upgrades and rebuilds of amoc:
// never inside a build or install tree (XDG base directories).
fs::path default_dir() {
  if (auto dir = from_env(defaults::plugins::dir_env); !dir.empty())
    return dir;
  if (auto data = from_env("XDG_DATA_HOME"); data.is_absolute())
    return data / defaults::plugins::dir_in_data_home;
  auto home = from_env("HOME");
  if (home.empty())
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir)
      home = pw->pw_dir;
  return home / ".local/share" / defaults::plugins::dir_in_data_home;
}

fs::path sdk_dir() {
  if (auto dir = from_env(defaults::plugins::sdk_env); !dir.empty())
    return dir;
  if (auto dir = installed_sdk_dir(); !dir.empty())
    return dir;
  // Set by CMake: the sdk/ folder of the build tree this library was built in.
  return fs::path{AMOC_SDK_DIR};
}

const char* abi_tag() noexcept { return AMOC_PLUGIN_ABI; }

}  // namespace amoc::plugins
