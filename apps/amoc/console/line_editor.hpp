#pragma once

/// The terminal side of a console: line editing, history across sessions and
/// tab completion (libedit), plus text from other threads (log lines,
/// progress, replies of a remote node) printed above the prompt without
/// breaking the line being typed. Without a terminal on stdin it reads plain
/// lines, so consoles can be scripted (`echo status | amoc attach`).

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace amoc::console {

class line_editor {
public:
  using completer =
    std::function<std::vector<std::string>(std::string_view before, std::string_view word)>;

  struct options {
    std::string prompt = "amoc> ";
    std::string history_file;  ///< read at start, written at the end; empty: none
    completer complete;
  };

  /// How `run` ended.
  enum class ending { eof, done, interrupted };

  explicit line_editor(options opts);
  /// Writes the history and gives the terminal back.
  ~line_editor();
  line_editor(const line_editor&) = delete;
  line_editor& operator=(const line_editor&) = delete;

  /// Queues `text` (one or more lines) to appear above the prompt. Thread-safe.
  void print(std::string_view text);

  /// Also waits for `fd`: `on_readable` runs in the loop; returning false ends it.
  void watch(int fd, std::function<bool()> on_readable);

  /// Reads lines until Ctrl+D (eof), `on_line` or a watch returns false
  /// (done), or SIGTERM/SIGHUP (interrupted). Ctrl+C clears the line.
  ending run(const std::function<bool(const std::string&)>& on_line);

private:
  void flush();
  void write_out(std::string_view text);
  ending run_plain(const std::function<bool(const std::string&)>& on_line);
  ending run_terminal(const std::function<bool(const std::string&)>& on_line);
  void on_wake();

  options opts_;
  bool terminal_;
  int wake_[2] = {-1, -1};
  int watch_fd_ = -1;
  std::function<bool()> on_watch_;
  std::mutex mutex_;
  std::string pending_;  // guarded by mutex_
  bool in_handler_ = false;
};

}  // namespace amoc::console
