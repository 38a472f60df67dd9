#include "console/control_server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>

#include "amoc/defaults.hpp"
#include "amoc/log.hpp"
#include "console/control_channel.hpp"

namespace amoc::console {

namespace {

using namespace std::chrono_literals;

}  // namespace

struct control_server::client {
  explicit client(int socket) : fd(socket) {
    s.attached = true;
    // A console that stops reading costs a send at most this long, once.
    set_timeout(fd, SO_SNDTIMEO, defaults::control::send_timeout);
  }
  ~client() { ::close(fd); }

  // Replies and broadcasts come from different threads: one message at a time.
  bool send(std::string_view kind, std::string_view text, bool drop_if_busy = false) {
    std::lock_guard guard{write_mutex};
    if (gone)
      return false;
    if (send_message(fd, kind, text, drop_if_busy))
      return true;
    gone = true;  // its reader sees the connection end
    ::shutdown(fd, SHUT_RDWR);
    return false;
  }

  /// Ends the connection; its thread finishes.
  void drop() {
    std::lock_guard guard{write_mutex};
    gone = true;
    ::shutdown(fd, SHUT_RDWR);
  }

  int fd;
  session s;
  std::mutex write_mutex;
  bool gone = false;                 // guarded by write_mutex
  std::atomic<bool> greeted{false};  // it said hello: a console, not a stray connection
  std::atomic<bool> finished{false};
  std::thread worker;
};

caf::expected<std::unique_ptr<control_server>>
control_server::start(const std::filesystem::path& path, interpreter& interp,
                      std::function<void()> on_stop) {
  auto listener = listen_unix(path);
  if (!listener)
    return listener.error();
  std::unique_ptr<control_server> server{
    new control_server{path, *listener, interp, std::move(on_stop)}};
  server->acceptor_ = std::thread{[s = server.get()] { s->accept_loop(); }};
  return server;
}

control_server::control_server(std::filesystem::path path, int listener, interpreter& interp,
                               std::function<void()> on_stop)
    : path_(std::move(path)), listener_(listener), interp_(interp), on_stop_(std::move(on_stop)) {}

control_server::~control_server() {
  ::unlink(path_.c_str());
  ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
  acceptor_.join();
  ::close(listener_);
  std::list<std::shared_ptr<client>> clients;
  {
    std::lock_guard guard{mutex_};
    clients.swap(clients_);
  }
  for (auto& c : clients) {
    c->send("bye", "the node is stopping");
    ::shutdown(c->fd, SHUT_RDWR);
    c->worker.join();
  }
}

void control_server::accept_loop() {
  for (;;) {
    const int fd = accept_owner(listener_);
    if (fd < 0)
      return;
    reap_finished();
    auto c = std::make_shared<client>(fd);
    std::lock_guard guard{mutex_};
    if (!make_room()) {
      c->send("bye", "too many consoles attached ("
                       + std::to_string(defaults::control::max_connections) + ")");
      continue;
    }
    clients_.push_back(c);
    c->worker = std::thread{[this, c] { serve(*c); }};
  }
}

// Under the cap, or closes the oldest connection that never said hello (a
// console says it at once); false when every one did (under `mutex_`).
bool control_server::make_room() {
  std::size_t open = 0;
  for (auto& c : clients_)
    open += c->finished ? 0 : 1;
  if (open < defaults::control::max_connections)
    return true;
  for (auto& c : clients_)
    if (!c->finished && !c->greeted) {
      c->drop();
      c->finished = true;  // counted out now; reaped when its thread ends
      return true;
    }
  return false;
}

void control_server::reap_finished() {
  std::lock_guard guard{mutex_};
  for (auto it = clients_.begin(); it != clients_.end();) {
    if (!(*it)->finished) {
      ++it;
      continue;
    }
    (*it)->worker.join();
    it = clients_.erase(it);
  }
}

void control_server::serve(client& c) {
  std::string names;
  for (const auto& n : interpreter::scenarios())
    names += (names.empty() ? "" : " ") + n;
  c.send("hello", names);
  message_reader in{c.fd};
  if (handshake(c, in))
    converse(c, in);
  if (in.overflowed())
    c.send("bye", "a line longer than " + std::to_string(defaults::control::max_line)
                    + " bytes: not a console");
  ::shutdown(c.fd, SHUT_RDWR);
  c.finished = true;
}

// The console's hello, within the handshake timeout: until it comes, the
// connection may be anything (and holds a thread).
bool control_server::handshake(client& c, message_reader& in) {
  set_timeout(c.fd, SO_RCVTIMEO, defaults::control::handshake_timeout);
  std::optional<message> first;
  while (!first && in.fill())
    first = in.next();
  if (!first || first->kind != "hello") {
    if (first)
      c.send("bye", "expected hello, got '" + first->kind.substr(0, 40) + "'");
    return false;
  }
  c.greeted = true;
  set_timeout(c.fd, SO_RCVTIMEO, 0ms);  // an attached console may idle for hours
  return true;
}

void control_server::converse(client& c, message_reader& in) {
  // Messages that came with the hello first.
  for (bool more = true; more; more = in.fill()) {
    while (auto m = in.next()) {
      if (m->kind == "stop") {
        c.send("out", interp_.leave_notice() + "; the node stops");
        c.send("end", "");
        on_stop_();
        continue;
      }
      if (m->kind != "line")
        continue;
      auto r = interp_.execute(m->text, c.s);
      if (!r.text.empty())
        c.send("out", r.text);
      c.send("end", "");
      if (r.leave) {
        c.send("bye", "detached");
        return;
      }
    }
  }
}

void control_server::broadcast_log(std::string_view line) {
  std::lock_guard guard{mutex_};
  for (auto& c : clients_)
    if (!c->finished)
      c->send("log", line, true);
}

bool control_server::wants_progress() {
  std::lock_guard guard{mutex_};
  for (auto& c : clients_)
    if (!c->finished && c->s.progress)
      return true;
  return false;
}

void control_server::publish_progress(const std::vector<std::string>& lines) {
  std::lock_guard guard{mutex_};
  for (auto& c : clients_)
    if (!c->finished && c->s.progress)
      for (const auto& line : lines)
        c->send("progress", line, true);
}

}  // namespace amoc::console
