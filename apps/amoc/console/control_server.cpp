#include "console/control_server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "amoc/log.hpp"
#include "console/control_channel.hpp"

namespace amoc::console {

struct control_server::client {
  explicit client(int socket) : fd(socket) { s.attached = true; }
  ~client() { ::close(fd); }

  // Replies and broadcasts come from different threads: one message at a time.
  bool send(std::string_view kind, std::string_view text, bool drop_if_busy = false) {
    std::lock_guard guard{write_mutex};
    return send_message(fd, kind, text, drop_if_busy);
  }

  int fd;
  session s;
  std::mutex write_mutex;
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
    clients_.push_back(c);
    c->worker = std::thread{[this, c] { serve(*c); }};
  }
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
  bool open = true;
  while (open && in.fill()) {
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
        open = false;
        break;
      }
    }
  }
  ::shutdown(c.fd, SHUT_RDWR);
  c.finished = true;
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
