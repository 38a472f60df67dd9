#pragma once

// Where consoles and background nodes keep their files.

#include <filesystem>

#include <caf/error.hpp>

namespace amoc::console {

/// $XDG_STATE_HOME/amoc, else ~/.local/state/amoc: the console history.
[[nodiscard]] std::filesystem::path state_dir();

/// The background node's pid file, log file and control socket:
/// $AMOC_RUN_DIR, else $XDG_RUNTIME_DIR/amoc, else state_dir()/run.
[[nodiscard]] std::filesystem::path run_dir();

[[nodiscard]] inline std::filesystem::path history_file() { return state_dir() / "history"; }
[[nodiscard]] inline std::filesystem::path socket_path() { return run_dir() / "console.sock"; }
[[nodiscard]] inline std::filesystem::path pid_path() { return run_dir() / "amoc.pid"; }
[[nodiscard]] inline std::filesystem::path log_path() { return run_dir() / "amoc.log"; }

/// Creates `dir` (and parents) readable by its owner only, and refuses one
/// owned by someone else or open to others: the control socket inside lets
/// whoever reaches it run commands.
[[nodiscard]] caf::error ensure_private_dir(const std::filesystem::path& dir);

}  // namespace amoc::console
