#pragma once

// Drives a program through a pseudo-terminal, as a person at a terminal would:
// it sees a tty (libedit line editing, prompts) and answers typed keys.

#include <sys/types.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amoc::test {

class pty_session {
public:
  using environment = std::vector<std::pair<std::string, std::string>>;

  /// Starts `args` (args[0] is the program's path) in `dir` with `env` added to ours.
  pty_session(std::vector<std::string> args, const environment& env, const std::string& dir);
  /// Kills the program (SIGKILL) if it still runs.
  ~pty_session();
  pty_session(const pty_session&) = delete;
  pty_session& operator=(const pty_session&) = delete;

  /// Types raw keys ("\t" Tab, "\x04" Ctrl+D).
  void type(std::string_view keys);
  /// Types a line and Enter.
  void line(std::string_view text) { type(std::string{text} + "\r"); }

  /// Waits until the output after the last match contains `text`; false after
  /// `seconds`. Terminal escape sequences and carriage returns are ignored.
  bool expect(std::string_view text, int seconds = 10);
  /// Sends `command` every second until `text` appears in what follows.
  bool poll(std::string_view command, std::string_view text, int seconds = 10);

  /// Everything the program wrote, without escape sequences.
  [[nodiscard]] std::string output();
  /// Waits for the program to exit: its exit status, or -1 after `seconds`.
  int wait_exit(int seconds = 10);

private:
  void read_available(int timeout_ms);

  int master_ = -1;
  pid_t pid_ = -1;
  std::string raw_;
  std::string clean_;
  std::size_t mark_ = 0;  // where the next expect starts looking
};

}  // namespace amoc::test
