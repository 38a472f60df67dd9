#include "pty_session.hpp"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

namespace amoc::test {

namespace {

// Drops CSI sequences (ESC [ ... final byte), other two-byte escapes and \r.
std::string strip_escapes(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\r' || c == '\a')
      continue;
    if (c != '\033') {
      out.push_back(c);
      continue;
    }
    if (i + 1 < raw.size() && raw[i + 1] == '[') {
      i += 2;
      while (i < raw.size() && !(raw[i] >= 0x40 && raw[i] <= 0x7e))
        ++i;
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace

pty_session::pty_session(std::vector<std::string> args, const environment& env,
                         const std::string& dir) {
  winsize size{};
  size.ws_row = 50;
  size.ws_col = 200;
  pid_ = forkpty(&master_, nullptr, nullptr, &size);
  if (pid_ == 0) {
    if (chdir(dir.c_str()) != 0)
      _exit(126);
    for (const auto& [name, value] : env)
      setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
}

pty_session::~pty_session() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (master_ >= 0)
    close(master_);
}

void pty_session::type(std::string_view keys) {
  while (!keys.empty()) {
    const auto n = write(master_, keys.data(), keys.size());
    if (n <= 0)
      return;
    keys.remove_prefix(static_cast<std::size_t>(n));
  }
}

void pty_session::read_available(int timeout_ms) {
  pollfd fd{master_, POLLIN, 0};
  if (::poll(&fd, 1, timeout_ms) <= 0)
    return;
  char chunk[4096];
  const auto n = read(master_, chunk, sizeof chunk);
  if (n <= 0)
    return;
  raw_.append(chunk, static_cast<std::size_t>(n));
  clean_ = strip_escapes(raw_);
}

bool pty_session::expect(std::string_view text, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{seconds};
  for (;;) {
    if (auto at = clean_.find(text, mark_); at != std::string::npos) {
      mark_ = at + text.size();
      return true;
    }
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    read_available(50);
  }
}

bool pty_session::poll(std::string_view command, std::string_view text, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{seconds};
  while (std::chrono::steady_clock::now() < deadline) {
    line(command);
    if (expect(text, 1))
      return true;
  }
  return false;
}

std::string pty_session::output() {
  read_available(0);
  return clean_;
}

int pty_session::wait_exit(int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{seconds};
  while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      for (int i = 0; i < 20; ++i)
        read_available(10);
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    read_available(50);
  }
  return -1;
}

}  // namespace amoc::test
