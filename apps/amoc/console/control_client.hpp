#pragma once

// A console's side of the control channel (`amoc attach`, `status`, `stop`).

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "console/control_channel.hpp"

namespace amoc::console {

class control_client {
public:
  /// Connects, reads the node's hello and answers it; the error says no node
  /// runs there (or that it turned this console away).
  [[nodiscard]] static caf::expected<std::unique_ptr<control_client>>
  connect(const std::filesystem::path& path);

  ~control_client();
  control_client(const control_client&) = delete;
  control_client& operator=(const control_client&) = delete;

  [[nodiscard]] int fd() const noexcept { return fd_; }
  /// The node's scenario names (for completion).
  [[nodiscard]] const std::vector<std::string>& scenarios() const noexcept { return scenarios_; }

  bool send(std::string_view kind, std::string_view text) { return send_message(fd_, kind, text); }

  /// Reads what arrived (blocking for some); `on_message` gets each complete
  /// message. False when the node closed the connection.
  bool receive(const std::function<void(const message&)>& on_message);

  /// Blocks until the reply to the last line ends (`end`), handing each
  /// message to `on_message`; false when the connection closed first.
  bool await_reply(const std::function<void(const message&)>& on_message);

private:
  // The node's lines may be longer than a console's (a long reply line).
  explicit control_client(int fd) : fd_(fd), in_(fd, 16 * defaults::control::max_line) {}

  int fd_;
  message_reader in_;
  std::vector<std::string> scenarios_;
};

}  // namespace amoc::console
