#include "console/paths.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "amoc/error.hpp"

namespace amoc::console {

namespace {

std::filesystem::path env_path(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? std::filesystem::path{value} : std::filesystem::path{};
}

}  // namespace

std::filesystem::path state_dir() {
  if (auto dir = env_path("XDG_STATE_HOME"); !dir.empty())
    return dir / "amoc";
  return env_path("HOME") / ".local" / "state" / "amoc";
}

std::filesystem::path run_dir() {
  if (auto dir = env_path("AMOC_RUN_DIR"); !dir.empty())
    return dir;
  if (auto dir = env_path("XDG_RUNTIME_DIR"); !dir.empty())
    return dir / "amoc";
  return state_dir() / "run";
}

caf::error ensure_private_dir(const std::filesystem::path& dir) {
  std::error_code ec_fs;
  std::filesystem::create_directories(dir, ec_fs);
  if (ec_fs)
    return make_error(ec::invalid_argument,
                      "cannot create " + dir.string() + ": " + ec_fs.message());
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return make_error(ec::invalid_argument, dir.string() + " is not a directory");
  if (st.st_uid != ::geteuid())
    return make_error(ec::invalid_argument, dir.string() + " belongs to another user (uid "
                                              + std::to_string(st.st_uid)
                                              + "): refusing to put the control socket there");
  if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0)
    return make_error(ec::invalid_argument, "cannot make " + dir.string() + " private (0700)");
  return {};
}

}  // namespace amoc::console
