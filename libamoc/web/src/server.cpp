// amoc::web::server: Boost.Beast sessions on one I/O thread, handlers on a
// small worker pool. A control API sees few real clients, but anything may
// connect to it: no connection may hold a thread, and every phase of a
// connection has a deadline (see session.cpp).

#include "amoc/web_server.hpp"

#include <future>
#include <thread>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "amoc/error.hpp"
#include "amoc/log.hpp"
#include "amoc/tcp_listener.hpp"
#include "http_text.hpp"
#include "server_core.hpp"
#include "session.hpp"

namespace amoc::web {

namespace detail {

response server_core::answer(request& req) noexcept {
  try {
    return handle(req);
  } catch (const std::exception& e) {
    return plain_error(500, e.what());
  } catch (...) {
    return plain_error(500, "the handler failed");
  }
}

void server_core::admit(std::shared_ptr<session> s) {
  s->place = sessions.insert(sessions.end(), s);
  s->start();
}

// The oldest session waiting for a request (a connection that never sent
// one, or a kept-alive one between requests) is the cheapest to lose: its
// client, if any, opens a new connection.
bool server_core::make_room() {
  for (auto& s : sessions)
    if (s->idle()) {
      s->close();
      return true;
    }
  return false;
}

}  // namespace detail

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Out of file descriptors: accepting again at once would spin.
constexpr auto accept_pause = 100ms;

}  // namespace

struct server::impl {
  impl(const options& o, handler h)
      : core(o, std::move(h)), acceptor(core.io), pause(core.io),
        work(asio::make_work_guard(core.io)) {}

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (core.stopping)
        return;
      if (ec) {
        // EMFILE and friends: the listener stays, accepting resumes shortly.
        pause.expires_after(accept_pause);
        pause.async_wait([this](boost::system::error_code wait_ec) {
          if (!wait_ec && !core.stopping)
            accept();
        });
        return;
      }
      admit(std::move(socket));
      accept();
    });
  }

  void admit(tcp::socket socket) {
    auto s = std::make_shared<detail::session>(core, std::move(socket));
    if (core.sessions.size() < core.opts.max_connections || core.make_room())
      return core.admit(std::move(s));
    if (core.refusals >= defaults::web::max_refusals)
      return s->close();  // refusing costs too; past this, just hang up
    s->refuse(detail::plain_error(503, "too many connections ("
                                         + std::to_string(core.opts.max_connections)
                                         + " open, none idle); retry shortly"));
  }

  // The I/O thread survives a throwing completion handler (a bug): it is
  // logged, and the other connections go on.
  void run() {
    for (;;) {
      try {
        core.io.run();
        return;
      } catch (const std::exception& e) {
        log::line(log::level::error, "web server: ") << e.what();
      }
    }
  }

  void stop() {
    std::promise<void> closed;
    asio::post(core.io, [this, &closed] {
      core.stopping = true;
      boost::system::error_code ignored;
      acceptor.close(ignored);
      pause.cancel();
      while (!core.sessions.empty())
        core.sessions.front()->close();
      closed.set_value();
    });
    closed.get_future().wait();
    // Handlers under way finish; their answers find their sessions closed.
    core.workers.stop();
    work.reset();
    core.io.stop();
    if (thread.joinable())
      thread.join();
  }

  detail::server_core core;
  tcp::acceptor acceptor;
  asio::steady_timer pause;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::uint16_t port = 0;
  std::thread thread;
};

caf::expected<std::unique_ptr<server>> server::start(const options& opts, handler handle) {
  auto i = std::make_unique<impl>(opts, std::move(handle));
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address(opts.address, ec);
  if (ec)
    return make_error(ec::invalid_config, "bad listen address '" + opts.address + "'");
  const tcp::endpoint endpoint{addr, opts.port};
  ec = net::listen_on(i->acceptor, endpoint);
  if (ec)
    return make_error(ec::invalid_config, "cannot listen on " + opts.address + ":"
                                            + std::to_string(opts.port) + ": " + ec.message());
  i->port = i->acceptor.local_endpoint(ec).port();
  i->accept();
  i->thread = std::thread{[raw = i.get()] { raw->run(); }};
  return std::unique_ptr<server>{new server{std::move(i)}};
}

server::server(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

server::~server() { impl_->stop(); }

std::uint16_t server::port() const noexcept { return impl_->port; }

}  // namespace amoc::web
