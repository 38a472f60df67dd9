#pragma once

// A one-thread loopback HTTP server that answers with scripted bytes, for
// what nginx will not do: close in the middle of a body, close a kept-alive
// connection without saying so.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace amoc::test {

class loopback_server {
public:
  /// Answers every request with `reply`, `delay` after it came; closes each
  /// connection after `per_connection` requests.
  loopback_server(std::string reply, int per_connection,
                  std::chrono::milliseconds delay = std::chrono::milliseconds{0});
  ~loopback_server();

  [[nodiscard]] std::string url(const std::string& path = "/") const;
  [[nodiscard]] int connections() const { return connections_.load(); }
  [[nodiscard]] int requests() const { return requests_.load(); }

private:
  void serve();
  void answer(int fd);

  std::string reply_;
  int per_connection_;
  std::chrono::milliseconds delay_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace amoc::test
