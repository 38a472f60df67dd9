#pragma once

// A background node's side of the control channel: accepts consoles of the
// same user, runs their lines through the node's interpreter, and streams log
// and progress lines to every attached console. Whatever connects, it keeps
// its bounds: a thread per connection but at most
// defaults::control::max_connections of them, a hello within
// handshake_timeout, lines of at most max_line bytes, and a send_timeout for
// consoles that stop reading.

#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <caf/expected.hpp>

#include "console/control_channel.hpp"
#include "console/interpreter.hpp"

namespace amoc::console {

class control_server {
public:
  /// Listens at `path`; `on_stop` runs (on a session thread) when a console sends `stop`.
  [[nodiscard]] static caf::expected<std::unique_ptr<control_server>>
  start(const std::filesystem::path& path, interpreter& interp, std::function<void()> on_stop);

  /// Says bye to every console, closes the socket and removes its file.
  ~control_server();
  control_server(const control_server&) = delete;
  control_server& operator=(const control_server&) = delete;

  /// A log line (already formatted) to every attached console.
  void broadcast_log(std::string_view line);
  /// True when an attached console asked for progress lines.
  [[nodiscard]] bool wants_progress();
  /// Progress lines to the consoles that asked for them.
  void publish_progress(const std::vector<std::string>& lines);

private:
  struct client;

  control_server(std::filesystem::path path, int listener, interpreter& interp,
                 std::function<void()> on_stop);
  void accept_loop();
  [[nodiscard]] bool make_room();
  void serve(client& c);
  [[nodiscard]] bool handshake(client& c, message_reader& in);
  void converse(client& c, message_reader& in);
  void reap_finished();

  std::filesystem::path path_;
  int listener_;
  interpreter& interp_;
  std::function<void()> on_stop_;
  std::mutex mutex_;
  std::list<std::shared_ptr<client>> clients_;  // guarded by mutex_
  std::thread acceptor_;
};

}  // namespace amoc::console
