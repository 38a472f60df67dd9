#include "loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace amoc::test {

loopback_server::loopback_server(std::string reply, int per_connection,
                                 std::chrono::milliseconds delay)
    : reply_(std::move(reply)), per_connection_(per_connection), delay_(delay) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), len) != 0
      || ::listen(listener_, 16) != 0
      || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("loopback_server: cannot listen");
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread{[this] { serve(); }};
}

loopback_server::~loopback_server() {
  stopping_ = true;
  thread_.join();
  ::close(listener_);
}

std::string loopback_server::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void loopback_server::serve() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0)
      continue;
    const int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0)
      continue;
    ++connections_;
    answer(fd);
    ::close(fd);
  }
}

// Reads requests up to their blank line (the tests send no bodies) and
// answers each with the script.
void loopback_server::answer(int fd) {
  std::string in;
  for (int answered = 0; answered < per_connection_ && !stopping_;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0)
      continue;
    char buf[4096];
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      return;
    in.append(buf, static_cast<std::size_t>(n));
    for (auto end = in.find("\r\n\r\n"); end != std::string::npos; end = in.find("\r\n\r\n")) {
      in.erase(0, end + 4);
      ++requests_;
      ++answered;
      std::this_thread::sleep_for(delay_);
      (void)::send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL);
    }
  }
}

}  // namespace amoc::test
