#include "hostile_server.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace amoc::test {

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

std::string word_after_conn_id(const std::string& line) {
  // "conn ID WHAT ..."
  std::istringstream in{line};
  std::string conn, id, what;
  in >> conn >> id >> what;
  return what;
}

}  // namespace

hostile_server::hostile_server(const std::string& mode, std::vector<std::string> args) {
  int fds[2];
  if (::pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return;
  }
  std::vector<std::string> argv_strings{"python3", AMOC_HOSTILE_SERVER, mode};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execvp("python3", argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  out_ = fds[0];
  const auto until = clock_type::now() + 10s;
  while (lines_.empty() && clock_type::now() < until)
    if (!read_some(100ms) && pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
  if (lines_.empty() || !lines_[0].starts_with("port ")) {
    ADD_FAILURE() << "the hostile server did not start (" << AMOC_HOSTILE_SERVER << ")";
    return;
  }
  port_ = static_cast<std::uint16_t>(std::stoi(lines_[0].substr(5)));
  lines_.erase(lines_.begin());
}

hostile_server::~hostile_server() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0)
    ::close(out_);
}

bool hostile_server::read_some(std::chrono::milliseconds timeout) {
  pollfd p{out_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0)
    return false;
  char buf[4096];
  const auto n = ::read(out_, buf, sizeof buf);
  if (n <= 0)
    return false;
  pending_.append(buf, static_cast<std::size_t>(n));
  for (auto nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n')) {
    lines_.push_back(pending_.substr(0, nl));
    pending_.erase(0, nl + 1);
  }
  return true;
}

std::optional<std::string> hostile_server::find(const std::string& what) const {
  for (const auto& line : lines_)
    if (word_after_conn_id(line) == what)
      return line;
  return std::nullopt;
}

std::optional<std::string> hostile_server::wait_for(const std::string& what,
                                                    std::chrono::milliseconds timeout) {
  const auto until = clock_type::now() + timeout;
  for (;;) {
    if (auto line = find(what))
      return line;
    const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(until - clock_type::now());
    if (left <= 0ms)
      return std::nullopt;
    (void)read_some(std::min(left, std::chrono::milliseconds{50}));
  }
}

std::size_t hostile_server::count(const std::string& what) {
  while (read_some(0ms)) {
  }
  std::size_t n = 0;
  for (const auto& line : lines_)
    n += word_after_conn_id(line) == what;
  return n;
}

double hostile_server::time_of(const std::string& line) {
  std::istringstream in{line};
  std::string conn, id, what;
  double t = 0;
  in >> conn >> id >> what >> t;
  return t;
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void reset_peak_rss() { std::ofstream{"/proc/self/clear_refs"} << "5"; }

std::size_t peak_rss_kib() {
  std::ifstream status{"/proc/self/status"};
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmHWM:"))
      return std::strtoul(line.c_str() + 6, nullptr, 10);
  return 0;
}

}  // namespace amoc::test
