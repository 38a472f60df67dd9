#pragma once

// Runs tests/xmpp/hostile/hostile_server.py (a real process on 127.0.0.1)
// for one test: it logs clients in and then misbehaves as its mode says.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace amoc::test {

class hostile_server {
public:
  /// Starts the server in `mode` with extra arguments (e.g. "--flood-bytes",
  /// "1000000"); fails the test if it does not come up within 10 s.
  explicit hostile_server(const std::string& mode, std::vector<std::string> args = {});
  /// Stops it (SIGTERM to the process it started).
  ~hostile_server();
  hostile_server(const hostile_server&) = delete;
  hostile_server& operator=(const hostile_server&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }

  /// The first event line whose words after "conn ID" start with `what`
  /// ("client-closed", "sent-misbehaviour", ...), waiting up to `timeout`.
  [[nodiscard]] std::optional<std::string> wait_for(const std::string& what,
                                                    std::chrono::milliseconds timeout);
  /// How many event lines of kind `what` arrived so far (reads what is ready).
  [[nodiscard]] std::size_t count(const std::string& what);
  /// The time (seconds since the epoch) an event line carries as its first value.
  [[nodiscard]] static double time_of(const std::string& line);

private:
  // Reads what the server printed, waiting at most `timeout` for a first byte.
  bool read_some(std::chrono::milliseconds timeout);
  [[nodiscard]] std::optional<std::string> find(const std::string& what) const;

  pid_t pid_ = -1;
  int out_ = -1;  // the read end of its stdout
  std::string pending_;
  std::vector<std::string> lines_;
  std::uint16_t port_ = 0;
};

/// Seconds since the epoch, as the server prints them.
[[nodiscard]] double now_s();

/// Forgets this process's peak RSS (Linux: /proc/self/clear_refs).
void reset_peak_rss();
/// This process's peak RSS since the last reset, in KiB (VmHWM).
[[nodiscard]] std::size_t peak_rss_kib();

}  // namespace amoc::test
