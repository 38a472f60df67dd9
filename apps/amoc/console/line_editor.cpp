// libedit rather than GNU readline: it is BSD-licensed, so linking it keeps
// amoc's licence choice free (readline is GPL), and its readline-compatible
// callback API (rl_callback_read_char) lets one poll loop serve the keyboard,
// log lines from other threads and a remote node's socket.

#include "console/line_editor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include <editline/readline.h>

#include "amoc/defaults.hpp"
#include "console/text.hpp"

namespace amoc::console {

namespace {

// Signal handlers may only write to a pipe: the loop reads what happened.
int signal_fd = -1;

void on_signal(int sig) {
  const char what = sig == SIGINT ? 'i' : sig == SIGWINCH ? 'w' : 't';
  [[maybe_unused]] auto n = ::write(signal_fd, &what, 1);
}

// libedit's callback API takes plain functions: they reach the editor and the
// loop's state through these (one editor runs at a time).
line_editor::completer* active_completer = nullptr;
std::vector<std::string> completion_words;
std::function<void(char*)> line_handler;

char* next_completion(const char*, int state) {
  static std::size_t index = 0;
  if (state == 0)
    index = 0;
  if (index >= completion_words.size())
    return nullptr;
  return strdup(completion_words[index++].c_str());
}

char** complete(const char* text, int start, int) {
  rl_attempted_completion_over = 1;  // never fall back to file names
  if (!active_completer || !*active_completer)
    return nullptr;
  completion_words =
    (*active_completer)(std::string_view{rl_line_buffer, static_cast<std::size_t>(start)}, text);
  if (completion_words.empty())
    return nullptr;
  return rl_completion_matches(text, next_completion);
}

void handle_line(char* line) { line_handler(line); }

}  // namespace

line_editor::line_editor(options opts)
    : opts_(std::move(opts)), terminal_(isatty(STDIN_FILENO) == 1) {
  if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0)
    wake_[0] = wake_[1] = -1;
  signal_fd = wake_[1];
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGWINCH})
    sigaction(sig, &sa, nullptr);
  if (!terminal_)
    return;
  rl_readline_name = "amoc";
  rl_catch_signals = 0;
  rl_outstream = stdout;
  rl_attempted_completion_function = complete;
  rl_completion_append_character = ' ';
  using_history();
  stifle_history(defaults::console::history_size);
  if (!opts_.history_file.empty())
    read_history(opts_.history_file.c_str());
}

line_editor::~line_editor() {
  if (terminal_ && !opts_.history_file.empty()) {
    write_history(opts_.history_file.c_str());
    history_truncate_file(opts_.history_file.c_str(), defaults::console::history_size);
  }
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGWINCH})
    std::signal(sig, SIG_DFL);
  signal_fd = -1;
  for (int fd : wake_)
    if (fd >= 0)
      ::close(fd);
}

void line_editor::print(std::string_view text) {
  {
    std::lock_guard guard{mutex_};
    pending_ += text;
    if (!text.empty() && text.back() != '\n')
      pending_ += '\n';
  }
  const char what = 'p';
  [[maybe_unused]] auto n = ::write(wake_[1], &what, 1);
}

void line_editor::watch(int fd, std::function<bool()> on_readable) {
  watch_fd_ = fd;
  on_watch_ = std::move(on_readable);
}

void line_editor::write_out(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void line_editor::flush() {
  std::string text;
  {
    std::lock_guard guard{mutex_};
    text.swap(pending_);
  }
  if (text.empty())
    return;
  if (!terminal_ || in_handler_) {
    write_out(text);
    return;
  }
  // Clear the prompt line, print, then let libedit redraw prompt and buffer.
  write_out("\r\033[K" + text);
  rl_forced_update_display();
}

line_editor::ending line_editor::run(const std::function<bool(const std::string&)>& on_line) {
  const auto result = terminal_ ? run_terminal(on_line) : run_plain(on_line);
  // What arrived last (a reply before the node hung up) still gets printed.
  in_handler_ = true;
  flush();
  in_handler_ = false;
  return result;
}

line_editor::ending line_editor::run_plain(const std::function<bool(const std::string&)>& on_line) {
  std::string buffer;
  for (;;) {
    pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {wake_[0], POLLIN, 0}, {watch_fd_, POLLIN, 0}};
    if (::poll(fds, watch_fd_ >= 0 ? 3 : 2, -1) < 0)
      continue;
    if (fds[1].revents) {
      char what[64];
      const auto n = ::read(wake_[0], what, sizeof what);
      if (std::memchr(what, 't', n > 0 ? static_cast<std::size_t>(n) : 0))
        return ending::interrupted;
      flush();
    }
    if (watch_fd_ >= 0 && fds[2].revents && !on_watch_())
      return ending::done;
    if (!fds[0].revents)
      continue;
    char chunk[4096];
    const auto n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n <= 0) {
      if (!buffer.empty() && !on_line(buffer))
        return ending::done;
      return ending::eof;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
      auto line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (!on_line(line))
        return ending::done;
      flush();
    }
  }
}

line_editor::ending
line_editor::run_terminal(const std::function<bool(const std::string&)>& on_line) {
  std::optional<ending> result;
  line_handler = [&](char* raw) {
    if (!raw) {
      write_out("\n");
      result = ending::eof;
      return;
    }
    std::string line{raw};
    std::free(raw);
    if (!trim(line).empty())
      add_history(line.c_str());
    in_handler_ = true;
    const bool go_on = on_line(line);
    flush();
    in_handler_ = false;
    if (!go_on) {
      result = ending::done;
      return;
    }
    // libedit leaves buffered mode on after a line (its rl_callback_read_char
    // turns EL_UNBUFFERED off before calling us): installing the handler again
    // turns it back on and draws the next prompt.
    rl_callback_handler_install(opts_.prompt.c_str(), handle_line);
  };
  active_completer = &opts_.complete;
  rl_callback_handler_install(opts_.prompt.c_str(), handle_line);
  while (!result) {
    pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {wake_[0], POLLIN, 0}, {watch_fd_, POLLIN, 0}};
    if (::poll(fds, watch_fd_ >= 0 ? 3 : 2, -1) < 0)
      continue;
    if (fds[1].revents) {
      char what[64];
      const auto n = ::read(wake_[0], what, sizeof what);
      const std::string_view events{what, n > 0 ? static_cast<std::size_t>(n) : 0};
      if (events.find('t') != std::string_view::npos) {
        result = ending::interrupted;
        break;
      }
      if (events.find('w') != std::string_view::npos)
        rl_resize_terminal();
      if (events.find('i') != std::string_view::npos) {
        // Ctrl+C abandons the line being typed, as in a shell.
        write_out("^C\n");
        rl_replace_line("", 0);
        rl_forced_update_display();
      }
      flush();
    }
    if (watch_fd_ >= 0 && fds[2].revents && !on_watch_()) {
      result = ending::done;
      break;
    }
    if (fds[0].revents)
      rl_callback_read_char();
  }
  rl_callback_handler_remove();
  active_completer = nullptr;
  if (*result != ending::eof)
    write_out("\r\033[K");  // the prompt libedit left behind
  return *result;
}

}  // namespace amoc::console
