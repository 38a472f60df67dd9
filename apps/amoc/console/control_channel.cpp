#include "console/control_channel.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "amoc/error.hpp"
#include "console/text.hpp"

namespace amoc::console {

namespace {

caf::expected<sockaddr_un> address_of(const std::filesystem::path& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.native().size() >= sizeof addr.sun_path)
    return make_error(ec::invalid_argument, "socket path too long: " + path.string());
  std::strcpy(addr.sun_path, path.c_str());
  return addr;
}

bool send_all(int fd, std::string_view data, int flags) {
  while (!data.empty()) {
    const auto n = ::send(fd, data.data(), data.size(), flags | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

bool message_reader::fill() {
  char chunk[4096];
  if (overflowed_)
    return false;
  for (;;) {
    const auto n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    // The unfinished line; a finished one is checked by next().
    const auto last_nl = buffer_.rfind('\n');
    const auto open = last_nl == std::string::npos ? buffer_.size() : buffer_.size() - last_nl - 1;
    overflowed_ = open > max_line_;
    return !overflowed_;
  }
}

std::optional<message> message_reader::next() {
  const auto nl = buffer_.find('\n');
  if (nl == std::string::npos || overflowed_)
    return std::nullopt;
  if (nl > max_line_) {
    overflowed_ = true;
    return std::nullopt;
  }
  std::string_view line{buffer_.data(), nl};
  const auto space = line.find(' ');
  message m{std::string{line.substr(0, space)},
            space == std::string_view::npos ? std::string{} : std::string{line.substr(space + 1)}};
  buffer_.erase(0, nl + 1);
  return m;
}

void set_timeout(int fd, int option, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
  ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

bool send_message(int fd, std::string_view kind, std::string_view text, bool drop_if_busy) {
  std::string data;
  const auto lines = lines_of(text);
  if (lines.empty())
    data = std::string{kind} + " \n";
  for (const auto& line : lines)
    data += std::string{kind} + " " + line + "\n";
  if (!drop_if_busy)
    return send_all(fd, data, 0);
  const auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  // A partial write would cut a line in two: finish it even if that blocks briefly.
  if (n > 0 && static_cast<std::size_t>(n) < data.size())
    return send_all(fd, std::string_view{data}.substr(static_cast<std::size_t>(n)), 0);
  return n > 0 || errno == EAGAIN || errno == EWOULDBLOCK;
}

caf::expected<int> listen_unix(const std::filesystem::path& path) {
  auto addr = address_of(path);
  if (!addr)
    return addr.error();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return make_error(ec::invalid_argument, std::string{"socket: "} + std::strerror(errno));
  ::unlink(path.c_str());  // stale from a node that crashed (the pid file lock says so)
  // Created 0600 from the start: no window in which others could connect.
  const auto old_mask = ::umask(0177);
  const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof *addr);
  ::umask(old_mask);
  if (bound != 0 || ::listen(fd, 16) != 0) {
    const auto why = std::string{std::strerror(errno)};
    ::close(fd);
    return make_error(ec::invalid_argument, "cannot listen on " + path.string() + ": " + why);
  }
  return fd;
}

int accept_owner(int listener) {
  for (;;) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      return -1;
    }
    ucred peer{};
    socklen_t len = sizeof peer;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) == 0 && peer.uid == ::geteuid())
      return fd;
    ::close(fd);
  }
}

caf::expected<int> connect_unix(const std::filesystem::path& path) {
  auto addr = address_of(path);
  if (!addr)
    return addr.error();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof *addr) == 0)
    return fd;
  const auto why = std::string{std::strerror(errno)};
  if (fd >= 0)
    ::close(fd);
  return make_error(ec::node_unavailable,
                    "no amoc node is running (" + path.string() + ": " + why + ")");
}

}  // namespace amoc::console
