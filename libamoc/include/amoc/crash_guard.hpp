#pragma once

/// A guard process for amoc's long-running commands, as Erlang's `heart`:
/// the command runs in a child process; when scenario code crashes it (a
/// segfault, an abort, `std::terminate`), the guard still lives and reports
/// the signal, the scenario and the user whose code was running, and can
/// write what was measured until then.
///
///   auto end = amoc::crash::run_guarded([&] { return run_the_command(); });
///   if (end.crashed()) ... end.report.describe() ...
///
/// The child runs in its own process group and dies with the guard; signals
/// sent to the guard (Ctrl-C, SIGTERM, SIGHUP) are passed on to it once.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace amoc::crash {

/// Where the child crashed: filled in by its signal handler (in memory shared
/// with the guard), or by the guard from the child's exit status.
struct report {
  int signal = 0;          ///< 0: it did not crash
  std::uint64_t user = 0;  ///< the user whose scenario code ran (0: none known)
  std::string scenario;    ///< the run's scenario ("" before a run)
  std::string what;        ///< std::terminate: the exception's message

  /// "SIGSEGV (Segmentation fault) in scenario crash, user 3".
  [[nodiscard]] std::string describe() const;
};

/// How the guarded child ended.
struct ending {
  int exit_code = 0;  ///< when it exited
  report crash;       ///< when a signal killed it (crash.signal != 0)
  [[nodiscard]] bool crashed() const noexcept { return crash.signal != 0; }
};

/// Runs `child` in a forked child process and waits for it. Call it before
/// any thread exists (the child starts the actor system). Without a guard
/// (`AMOC_GUARD=0`, for debuggers), runs `child` in this process.
[[nodiscard]] ending run_guarded(const std::function<int()>& child);

/// As `run_guarded`, but starts the child again a second after a crash, at
/// most `restarts` times a minute (a worker node stays available);
/// `on_crash` hears of each crash first. Ends with the last child's ending.
[[nodiscard]] ending run_restarting(const std::function<int()>& child, int restarts,
                                    const std::function<void(const report&)>& on_crash);

/// In a child that `run_restarting` started again: the crash that ended the
/// one before it; an empty report otherwise.
[[nodiscard]] report previous_crash();

/// Leaves a short note (at most 63 bytes) for the child a guard starts
/// again: a node keeps the port it listened on.
void note_for_restart(std::string_view note) noexcept;
/// The note the previous child left ("" in the first one).
[[nodiscard]] std::string note_from_previous();

/// Marks the scenario the process runs now, for a crash report (any thread).
void set_scenario(std::string_view name) noexcept;

/// Marks the user whose scenario code runs on this thread while it lives.
class user_scope {
public:
  explicit user_scope(std::uint64_t user) noexcept;
  ~user_scope();
  user_scope(const user_scope&) = delete;
  user_scope& operator=(const user_scope&) = delete;

private:
  std::uint64_t previous_;
};

}  // namespace amoc::crash
