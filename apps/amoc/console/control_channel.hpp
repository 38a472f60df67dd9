#pragma once

// The local control channel between a background node and its consoles: a
// Unix stream socket (mode 0600 in a 0700 directory, peers checked with
// SO_PEERCRED) carrying one message per line, "KIND TEXT":
//   node -> console: hello NAMES (scenario names, for completion), out TEXT
//                    (a reply line), end (the reply is complete), log TEXT,
//                    progress TEXT, bye TEXT (the session is over)
//   console -> node: hello (first, within defaults::control::handshake_timeout),
//                    line TEXT (a command line), stop (stop the node)
// A line is at most defaults::control::max_line bytes.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "amoc/defaults.hpp"

namespace amoc::console {

struct message {
  std::string kind;
  std::string text;
};

/// Reads messages from a socket, buffering partial lines up to a limit.
class message_reader {
public:
  explicit message_reader(int fd, std::size_t max_line = defaults::control::max_line)
      : fd_(fd), max_line_(max_line) {}
  /// Reads what is available (blocking for at least one byte). False on EOF,
  /// error, a read timeout, or a line longer than the limit.
  bool fill();
  /// The next complete message, if one is buffered.
  [[nodiscard]] std::optional<message> next();
  /// True once a line longer than the limit came: the peer is not a console.
  [[nodiscard]] bool overflowed() const noexcept { return overflowed_; }

private:
  int fd_;
  std::size_t max_line_;
  std::string buffer_;
  bool overflowed_ = false;
};

/// Bounds each blocking read (SO_RCVTIMEO) or send (SO_SNDTIMEO) on `fd`;
/// zero removes the bound.
void set_timeout(int fd, int option, std::chrono::milliseconds timeout);

/// Sends one message per line of `text` ("KIND line"); false when the peer is gone.
/// With `drop_if_busy`, a peer that does not read loses the message instead of
/// stalling the sender (log lines must never stall a node).
bool send_message(int fd, std::string_view kind, std::string_view text, bool drop_if_busy = false);

/// Binds and listens at `path` (mode 0600), replacing a stale socket file.
[[nodiscard]] caf::expected<int> listen_unix(const std::filesystem::path& path);

/// Accepts one console; -1 when the listener is closed. Connections from other
/// users are closed at once.
[[nodiscard]] int accept_owner(int listener);

/// Connects to a node's socket; the error says that no node runs there.
[[nodiscard]] caf::expected<int> connect_unix(const std::filesystem::path& path);

}  // namespace amoc::console
