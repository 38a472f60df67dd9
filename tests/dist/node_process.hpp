#pragma once

// amoc processes for distributed tests: worker nodes (`amoc node`) and
// masters (`amoc run`) on 127.0.0.1, as users run them.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace amoc::test {

/// A child process whose stderr goes to a temporary log file.
class child_process {
public:
  explicit child_process(std::vector<std::string> args);
  /// Kills the process (SIGKILL) if it still runs.
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// What it wrote to stderr so far.
  [[nodiscard]] std::string log() const;
  /// Waits until the log contains `text`; false after `seconds`.
  bool await_log(const std::string& text, int seconds = 10) const;
  /// kill -9: the process dies mid-run, as a crashed machine would.
  void kill_hard();
  /// SIGTERM, then waits for the exit status.
  int terminate();
  /// Waits for the process to exit on its own: its exit status, or -1 after `seconds`.
  int wait_exit(int seconds = 10);
  /// Sends `signal` (SIGSTOP, SIGCONT, ...).
  void signal(int signal) const;
  /// Its process id.
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  /// The process that runs the users: amoc runs `run` and `node` in a child
  /// of the process started (its crash guard); -1 if there is none.
  [[nodiscard]] pid_t guarded_pid() const;

private:
  std::string log_file_;
  pid_t pid_ = -1;
};

/// `amoc node --listen 127.0.0.1:PORT --name NAME` plus `extra`.
class node_process : public child_process {
public:
  /// Waits until it listens; fails the test (and leaves port() 0) if it does not.
  node_process(std::string name, std::vector<std::string> extra = {"--insecure"},
               std::uint16_t port = 0);

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

private:
  std::string name_;
  std::uint16_t port_ = 0;
};

/// A port nobody listens on right now.
[[nodiscard]] std::uint16_t free_port();

/// The amoc executable under test (the build's, or $AMOC_BIN).
[[nodiscard]] std::string amoc_binary();

}  // namespace amoc::test
