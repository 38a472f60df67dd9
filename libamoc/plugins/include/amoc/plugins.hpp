#pragma once

/// Scenario plugins: a directory of scenario sources (one `.cpp` per scenario,
/// public headers only) compiled into shared libraries, and loaded at start.
///
///   auto built = amoc::plugins::build("my_scenarios", amoc::plugins::default_dir());
///   if (!built) fputs(render(built.error()).c_str(), stderr);  // compiler messages
///   auto report = amoc::plugins::load_dir(amoc::plugins::default_dir());
///
/// Building generates a small CMake project against the amoc build found by
/// `sdk_dir()`; plugins get the same compiler and flags as amoc itself
/// (sanitizers included), and the ABI tag `abi_tag()` that the loader checks.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

namespace amoc::plugins {

namespace fs = std::filesystem;

/// Where `amoc` looks for plugins: `$AMOC_PLUGIN_DIR`, else `amoc/plugins` in
/// the user's data folder (`$XDG_DATA_HOME`, else `~/.local/share`).
[[nodiscard]] fs::path default_dir();

/// Where the plugin build finds amoc's headers, flags and project template:
/// `$AMOC_SDK_DIR`; else, when amoc is installed, `share/amoc/sdk` of its
/// prefix (found from this library's location); else the `sdk/` folder of the
/// build tree this library was built in.
[[nodiscard]] fs::path sdk_dir();

/// The tag every plugin must carry: amoc's version, compiler and sanitizers.
[[nodiscard]] const char* abi_tag() noexcept;

/// What a successful build produced.
struct build_result {
  std::vector<fs::path> plugins;  ///< one shared library per scenario source
  std::string log;                ///< CMake's and the compiler's output
};

/// Compiles every `*.cpp` in `source_dir` into `out_dir/<name>.so`, with the
/// libraries named by `source_dir/dependencies.cmake` or `dependencies.json`.
/// Incremental: an unchanged scenario is not recompiled. On failure the error
/// (`ec::plugin_build_failed`) carries the compiler's messages.
[[nodiscard]] caf::expected<build_result> build(const fs::path& source_dir,
                                                const fs::path& out_dir);
/// The same, giving up (killing the compilers) after `timeout`.
[[nodiscard]] caf::expected<build_result> build(const fs::path& source_dir, const fs::path& out_dir,
                                                std::chrono::milliseconds timeout);

/// A plugin that loaded, and the scenarios it added.
struct plugin {
  fs::path file;
  std::vector<std::string> scenarios;
};

/// Loads one plugin and adds its scenarios to the registry. Fails (with
/// `ec::plugin_load_failed`, naming the file) and adds nothing when the file
/// does not load (e.g. a missing symbol), carries no or another ABI tag,
/// registers no scenario, or registers a name that is already taken.
[[nodiscard]] caf::expected<plugin> load(const fs::path& file);

/// How `load` treats a plugin's scenario names.
struct load_options {
  /// Names already registered are replaced instead of refused (an uploaded
  /// scenario replacing its previous version).
  bool replace = false;
  /// Sees the names before anything is added; an error refuses the plugin.
  std::function<caf::error(const std::vector<std::string>&)> check = {};
};

/// `load` with options.
[[nodiscard]] caf::expected<plugin> load(const fs::path& file, const load_options& opts);

/// Writes a built plugin's `bytes` to `dir/<file_name>` (through a temporary
/// file, so a reader never sees half of it) and loads it, replacing scenarios
/// of the same names. `file_name` must be a plain `NAME.so`. A file of that
/// name this process loaded already is not loaded again (dlopen would hand
/// back the first one): its scenarios are registered again as they were.
/// `options.check` may refuse it; `options.replace` is always on.
[[nodiscard]] caf::expected<plugin> install(std::string_view file_name, std::string_view bytes,
                                            const fs::path& dir, const load_options& options = {});

/// The hidden `amoc` command that `trial_load` runs in its child process.
inline constexpr const char* trial_command = "__trial-load";

/// Loads `file` first in a throwaway `amoc` process (`amoc __trial-load FILE`):
/// a plugin whose static initialisers throw, crash or hang, or that would not
/// load anyway, fails there (`ec::plugin_load_failed` with the exception's
/// text, the signal, or the time limit) and this process is untouched. Gives
/// the names of the scenarios it registers.
[[nodiscard]] caf::expected<std::vector<std::string>> trial_load(const fs::path& file,
                                                                 std::chrono::milliseconds timeout);

/// The child's side of `trial_load`: loads `file`, prints the verdict, exits.
[[noreturn]] void trial_load_main(const fs::path& file);

/// Where plugins uploaded through the REST gateway go: `uploads/` in `default_dir()`.
[[nodiscard]] fs::path upload_dir();

/// What loading a folder did: the plugins that loaded and why others did not.
struct load_report {
  std::vector<plugin> loaded;
  std::vector<caf::error> failed;
};

/// Loads every `*.so` in `dir` (none if it does not exist), in name order.
[[nodiscard]] load_report load_dir(const fs::path& dir);

/// Writes `dir/<name>.cpp`, a commented scenario that compiles and runs as is.
/// Fails if the file exists or `name` is not an identifier.
[[nodiscard]] caf::expected<fs::path> write_template(const std::string& name, const fs::path& dir);

}  // namespace amoc::plugins
