#include "subprocess.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace amoc::detail {

namespace {

using clock = std::chrono::steady_clock;

// Appends `more`, keeping the first and the last half of max_command_output.
void keep(std::string& out, std::string_view more) {
  constexpr std::size_t half = max_command_output / 2;
  static const std::string gap = "\n[... output left out ...]\n";
  out.append(more);
  if (out.size() <= max_command_output + gap.size())
    return;
  if (out.compare(half, gap.size(), gap) != 0)
    out.insert(half, gap);
  out.erase(half + gap.size(), out.size() - (max_command_output + gap.size()));
}

// Reads until end of file; past `deadline` (if any) kills the process group
// and reads what is left.
std::string read_all(int fd, pid_t group, std::optional<clock::time_point> deadline,
                     bool& timed_out) {
  std::string out;
  char buf[4096];
  for (;;) {
    if (deadline && !timed_out) {
      const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - clock::now());
      pollfd p{fd, POLLIN, 0};
      const int ready = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
      if (ready == 0) {
        timed_out = true;
        ::kill(-group, SIGKILL);
      }
      if (ready <= 0)
        continue;
    }
    const auto n = ::read(fd, buf, sizeof buf);
    if (n > 0)
      keep(out, {buf, static_cast<std::size_t>(n)});
    else if (n == 0 || errno != EINTR)
      return out;
  }
}

void wait_for(pid_t pid, command_result& result) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

}  // namespace

command_result run_command(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return {-1, std::string{"pipe: "} + std::strerror(errno)};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // With a timeout, its own process group, so that the kill also stops the
  // compilers it started (without one, Ctrl-C in the terminal reaches them).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (timeout.count() > 0) {
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
  }
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return {-1, argv[0] + ": " + std::strerror(rc)};
  }
  command_result result;
  std::optional<clock::time_point> deadline;
  if (timeout.count() > 0)
    deadline = clock::now() + timeout;
  result.output = read_all(fds[0], pid, deadline, result.timed_out);
  ::close(fds[0]);
  wait_for(pid, result);
  return result;
}

}  // namespace amoc::detail
