#include "output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "amoc/error.hpp"

namespace amoc::cli {

namespace {

caf::error cannot_write(const std::string& option, const std::string& path, int err) {
  return make_error(ec::invalid_argument,
                    option + " " + path + ": cannot write: " + std::strerror(err));
}

// Tries the open the run will do at its end; a file created only for the
// try is removed at once, so nothing is left behind if the run never starts.
int try_open(const std::string& path, bool exists) {
  const int flags = O_WRONLY | O_CLOEXEC | O_NONBLOCK | (exists ? 0 : O_CREAT | O_EXCL);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0)
    return errno;
  ::close(fd);
  if (!exists)
    ::unlink(path.c_str());
  return 0;
}

}  // namespace

caf::error check_writable(const std::string& option, const std::string& path) {
  if (path.empty())
    return make_error(ec::invalid_argument, option + " needs a file name");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return cannot_write(option, path, EISDIR);
    // A FIFO or a device (/dev/stdout, /dev/null): opening it now could block or consume.
    if (!S_ISREG(st.st_mode))
      return ::access(path.c_str(), W_OK) == 0 ? caf::error{} : cannot_write(option, path, errno);
    const int err = try_open(path, true);
    return err == 0 ? caf::error{} : cannot_write(option, path, err);
  }
  if (errno != ENOENT)
    return cannot_write(option, path, errno);
  // A missing folder gives ENOENT here too, with the path named.
  const int err = try_open(path, false);
  return err == 0 ? caf::error{} : cannot_write(option, path, err);
}

caf::error write_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return make_error(ec::invalid_argument, path + ": cannot write: " + std::strerror(errno));
  std::size_t done = 0;
  int err = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = errno;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && err == 0)
    err = errno;
  if (err != 0)
    return make_error(ec::invalid_argument, path + ": cannot write: " + std::strerror(err));
  return {};
}

}  // namespace amoc::cli
