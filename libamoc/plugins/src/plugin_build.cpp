// amoc::plugins::build: a generated CMake build of a scenarios folder. The
// project itself (sdk/project/CMakeLists.txt) globs the sources and reads the
// folder's dependencies; this side only runs CMake and reports.

#include <algorithm>
#include <functional>
#include <sstream>

#include "amoc/error.hpp"
#include "amoc/plugins.hpp"
#include "subprocess.hpp"

namespace amoc::plugins {

namespace {

caf::error build_failure(const fs::path& dir, const std::string& why) {
  return make_error(ec::plugin_build_failed, dir.string() + ": " + why);
}

std::vector<fs::path> scenario_sources(const fs::path& dir) {
  std::vector<fs::path> sources;
  for (const auto& entry : fs::directory_iterator{dir})
    if (entry.is_regular_file() && entry.path().extension() == ".cpp")
      sources.push_back(entry.path());
  std::sort(sources.begin(), sources.end());
  return sources;
}

// One CMake build tree per scenarios folder, inside the plugin folder, so a
// rebuild only recompiles what changed.
fs::path work_dir(const fs::path& source_dir, const fs::path& out_dir) {
  const auto key = std::hash<std::string>{}(source_dir.string());
  std::ostringstream name;
  name << source_dir.filename().string() << '-' << std::hex << key;
  return out_dir / ".cmake" / name.str();
}

// Ninja's progress lines and the failed command lines bury the compiler's
// messages: keep only what the compiler and CMake said.
std::string compiler_messages(const std::string& output) {
  std::istringstream in{output};
  std::string line, kept;
  bool skip_command = false;
  while (std::getline(in, line)) {
    if (skip_command) {
      skip_command = false;
      continue;
    }
    if (line.starts_with("FAILED: ")) {
      skip_command = true;
      continue;
    }
    if (line.starts_with("[") || line.starts_with("ninja: ") || line.empty())
      continue;
    kept += line + '\n';
  }
  return kept.empty() ? output : kept;
}

caf::error run_cmake(const std::vector<std::string>& argv, const fs::path& source_dir,
                     std::string& log, std::chrono::milliseconds timeout) {
  auto result = detail::run_command(argv, timeout);
  log += result.output;
  if (result.timed_out)
    return build_failure(source_dir, "the build took longer than "
                                       + std::to_string(timeout.count() / 1000)
                                       + " s and was stopped");
  if (result.status == 0)
    return {};
  return build_failure(source_dir, "\n" + compiler_messages(result.output));
}

std::vector<std::string> configure_command(const fs::path& source_dir, const fs::path& out_dir,
                                           const fs::path& work) {
  const auto sdk = sdk_dir();
  return {"cmake",
          "-S",
          (sdk / "project").string(),
          "-B",
          work.string(),
          "-G",
          "Ninja",
          "-DAMOC_SDK_DIR=" + sdk.string(),
          "-DAMOC_SCENARIOS_DIR=" + source_dir.string(),
          "-DAMOC_PLUGIN_DIR=" + out_dir.string()};
}

}  // namespace

caf::expected<build_result> build(const fs::path& source_dir, const fs::path& out_dir) {
  return build(source_dir, out_dir, std::chrono::milliseconds{0});
}

caf::expected<build_result> build(const fs::path& source_dir_in, const fs::path& out_dir_in,
                                  std::chrono::milliseconds timeout) {
  const auto started = std::chrono::steady_clock::now();
  // What is left of `timeout` for the next step (0 stays "no limit").
  auto left = [&] {
    if (timeout.count() == 0)
      return timeout;
    const auto used = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
    return std::max(std::chrono::milliseconds{1}, timeout - used);
  };
  std::error_code ec;
  const auto source_dir = fs::weakly_canonical(source_dir_in, ec);
  if (ec || !fs::exists(source_dir))
    return build_failure(source_dir_in, "no such directory");
  if (!fs::is_directory(source_dir))
    return build_failure(source_dir_in, "not a directory");
  const auto sources = scenario_sources(source_dir);
  if (sources.empty())
    return build_failure(source_dir, "no scenario sources (*.cpp)");
  fs::create_directories(out_dir_in, ec);
  if (ec)
    return build_failure(out_dir_in, "cannot create the plugin folder: " + ec.message());
  const auto out_dir = fs::canonical(out_dir_in);
  const auto work = work_dir(source_dir, out_dir);
  build_result result;
  // Configure once; the project re-globs the folder itself on every build.
  if (!fs::exists(work / "build.ninja"))
    if (auto err =
          run_cmake(configure_command(source_dir, out_dir, work), source_dir, result.log, left()))
      return err;
  if (auto err = run_cmake({"cmake", "--build", work.string()}, source_dir, result.log, left()))
    return err;
  for (const auto& source : sources)
    result.plugins.push_back(out_dir / (source.stem().string() + ".so"));
  return result;
}

}  // namespace amoc::plugins
