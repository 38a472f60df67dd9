#include "node_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace amoc::test {

using namespace std::chrono_literals;

std::string amoc_binary() {
  const char* bin = std::getenv("AMOC_BIN");
  return bin ? bin : AMOC_BIN;
}

std::uint16_t free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

child_process::child_process(std::vector<std::string> args) {
  char tmpl[] = "/tmp/amoc-test-XXXXXX";
  const int fd = mkstemp(tmpl);
  log_file_ = tmpl;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fd, STDERR_FILENO);
    dup2(fd, STDOUT_FILENO);
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fd);
}

child_process::~child_process() {
  kill_hard();
  unlink(log_file_.c_str());
}

std::string child_process::log() const {
  std::ifstream in{log_file_};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool child_process::await_log(const std::string& text, int seconds) const {
  for (int i = 0; i < seconds * 20; ++i) {
    if (log().find(text) != std::string::npos)
      return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

void child_process::kill_hard() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

namespace {

int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int child_process::terminate() {
  if (pid_ <= 0)
    return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return exit_code(status);
}

pid_t child_process::guarded_pid() const {
  std::ifstream children{"/proc/" + std::to_string(pid_) + "/task/" + std::to_string(pid_)
                         + "/children"};
  pid_t child = -1;
  children >> child;
  return child;
}

void child_process::signal(int signal) const {
  if (pid_ > 0)
    ::kill(pid_, signal);
}

int child_process::wait_exit(int seconds) {
  for (int i = 0; pid_ > 0 && i < seconds * 20; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return exit_code(status);
    }
    std::this_thread::sleep_for(50ms);
  }
  return -1;
}

node_process::node_process(std::string name, std::vector<std::string> extra, std::uint16_t port)
    : child_process([&] {
        std::vector<std::string> args{
          amoc_binary(), "node", "--listen", "127.0.0.1:" + std::to_string(port), "--name", name};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
      }()),
      name_(std::move(name)) {
  // "amoc node NAME listening on 127.0.0.1:PORT (...)"
  const std::regex listening{"listening on 127\\.0\\.0\\.1:([0-9]+)"};
  for (int i = 0; i < 100 && port_ == 0; ++i) {
    std::smatch m;
    auto text = log();
    if (std::regex_search(text, m, listening))
      port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
    else
      std::this_thread::sleep_for(50ms);
  }
  EXPECT_NE(port_, 0) << "node " << name_ << " did not start: " << log();
}

}  // namespace amoc::test
