#pragma once

// Writing to a non-blocking socket for the floor client (tests/bench/xmpp_floor.cpp):
// straight to the socket when nothing waits, the rest kept until epoll says
// the socket takes more (EPOLLOUT asked for only while something waits).

#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>

namespace floor_client {

inline constexpr std::size_t max_pending = 1 << 20;  // per user, as amoc's max_unread_bytes

struct output {
  int ep, fd;
  std::uint32_t key;     // the epoll data of the socket
  std::string& pending;  // what the socket did not take yet, usually empty

  void want_writable(bool on) const {
    epoll_event ev{};
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    ev.data.u32 = key;
    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
  }

  // False when the socket failed or too much waits.
  bool send(std::string_view data) const {
    if (!pending.empty()) {
      pending.append(data);
      return pending.size() <= max_pending;
    }
    const auto w = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
      return false;
    if (w == static_cast<ssize_t>(data.size()))
      return true;
    pending.assign(data.substr(w < 0 ? 0 : static_cast<std::size_t>(w)));
    want_writable(true);
    return true;
  }

  // On EPOLLOUT: false when the socket failed.
  bool flush() const {
    const auto w = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
    if (w < 0)
      return errno == EAGAIN || errno == EWOULDBLOCK;
    pending.erase(0, static_cast<std::size_t>(w));
    if (pending.empty()) {
      std::string{}.swap(pending);
      want_writable(false);
    }
    return true;
  }
};

}  // namespace floor_client
