#include "console/pid_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <string>

#include "amoc/error.hpp"

namespace amoc::console {

namespace {

pid_t read_pid(int fd) {
  char text[32] = {};
  const auto n = ::pread(fd, text, sizeof text - 1, 0);
  return n > 0 ? static_cast<pid_t>(std::atol(text)) : 0;
}

}  // namespace

pid_t pid_file::holder(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  pid_t pid = 0;
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0)
    pid = read_pid(fd);
  ::close(fd);
  return pid;
}

caf::expected<std::unique_ptr<pid_file>> pid_file::acquire(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return make_error(ec::invalid_argument, "cannot open " + path.string());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const auto pid = read_pid(fd);
    ::close(fd);
    return make_error(ec::wrong_state, "a node is already running (pid " + std::to_string(pid)
                                         + ", pid file " + path.string() + ")");
  }
  const auto text = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) < 0) {
    ::close(fd);
    return make_error(ec::invalid_argument, "cannot write " + path.string());
  }
  return std::unique_ptr<pid_file>{new pid_file{path, fd}};
}

pid_file::~pid_file() {
  // Unlink first: a new node must not lock the old inode we are about to release.
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace amoc::console
