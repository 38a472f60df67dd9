#include "amoc/link_service.hpp"

#include <sys/socket.h>

#include <list>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "amoc/error.hpp"
#include "amoc/log.hpp"
#include "amoc/tcp_listener.hpp"
#include "link_tls.hpp"
#include "relay.hpp"

namespace amoc::links {

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using local_socket = asio::local::stream_protocol::socket;
using error_code = boost::system::error_code;
using tls_stream = ssl::stream<tcp::socket>;

std::string endpoint_text(const tcp::socket& s) {
  error_code err;
  const auto ep = s.remote_endpoint(err);
  return err ? std::string{"unknown peer"}
             : ep.address().to_string() + ":" + std::to_string(ep.port());
}

// A local socket pair: the relay's end and CAF's end (a raw descriptor).
std::optional<std::pair<local_socket, int>> socket_pair(asio::io_context& io) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    return std::nullopt;
  local_socket mine{io};
  error_code err;
  mine.assign(asio::local::stream_protocol{}, fds[0], err);
  if (err) {
    ::close(fds[0]);
    ::close(fds[1]);
    return std::nullopt;
  }
  return std::make_pair(std::move(mine), fds[1]);
}

// Warnings about links, at most 20 a second: a flood of bad connections must
// not turn into a flood of log lines.
class warning_limiter {
public:
  void warn(const std::string& text) {
    const auto now = std::chrono::steady_clock::now();
    if (now - window_ > std::chrono::seconds{1}) {
      if (dropped_ > 0)
        log::line(log::level::warning, "node links: ") << dropped_ << " more warnings not shown";
      window_ = now;
      shown_ = dropped_ = 0;
    }
    if (shown_++ < 20)
      log::write(log::level::warning, text);
    else
      ++dropped_;
  }

private:
  std::chrono::steady_clock::time_point window_{};
  std::size_t shown_ = 0;
  std::size_t dropped_ = 0;
};

}  // namespace

struct link_service::impl {
  explicit impl(options o) : opts(std::move(o)) {}

  options opts;
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::optional<ssl::context> server_tls;
  std::optional<ssl::context> client_tls;
  std::list<tcp::acceptor> acceptors;
  // Every open link, to close them all on stop (closers by id).
  std::map<std::uint64_t, std::function<void()>> open;
  std::uint64_t next_id = 0;
  std::size_t handshaking = 0;
  warning_limiter warnings;
  std::thread thread;
  bool stopped = false;

  bool secure() const { return server_tls.has_value(); }

  // Registers a relay: counted as handshaking until its handshake is done,
  // forgotten when it closes; `why` of an abnormal close becomes a warning.
  template <class Stream>
  std::shared_ptr<relay<Stream>> make_relay(Stream net, frame_guard::peer sender,
                                            std::string peer) {
    const auto id = next_id++;
    ++handshaking;
    auto counted = std::make_shared<bool>(true);
    auto uncount = [this, counted] {
      if (std::exchange(*counted, false))
        --handshaking;
    };
    relay_events events{uncount, [this, id, peer, uncount](const std::string& why) {
                          uncount();
                          open.erase(id);
                          if (!why.empty())
                            warnings.warn("node link " + peer + " closed: " + why);
                        }};
    auto r = std::make_shared<relay<Stream>>(std::move(net), sender, std::move(events));
    open.emplace(id, [w = std::weak_ptr{r}] {
      if (auto r = w.lock())
        r->close("");
    });
    r->arm_deadline(opts.handshake_deadline);
    return r;
  }

  void accept_next(tcp::acceptor& acceptor, std::shared_ptr<on_accept> accepted) {
    acceptor.async_accept([this, &acceptor, accepted](error_code err, tcp::socket s) {
      if (err == asio::error::operation_aborted)
        return;
      if (!err)
        on_connection(std::move(s), accepted);
      else
        warnings.warn("node links: accept failed: " + err.message());
      accept_next(acceptor, accepted);
    });
  }

  void on_connection(tcp::socket s, std::shared_ptr<on_accept> accepted) {
    auto peer = endpoint_text(s);
    error_code ignored;
    const auto local_port = s.local_endpoint(ignored).port();
    if (handshaking >= opts.max_handshaking) {
      warnings.warn("node link " + peer + " refused: " + std::to_string(handshaking)
                    + " connections are still in their handshake");
      return;  // closed with the socket
    }
    s.set_option(tcp::no_delay{true}, ignored);
    if (!secure())
      return hand_over(make_relay(std::move(s), frame_guard::peer::dialling, peer),
                       {-1, peer, local_port}, *accepted);
    auto r = make_relay(tls_stream{std::move(s), *server_tls}, frame_guard::peer::dialling, peer);
    r->net().async_handshake(ssl::stream_base::server,
                             [this, r, peer, local_port, accepted](error_code err) {
                               if (r->closed())
                                 return;
                               if (err)
                                 return r->close("TLS: " + err.message());
                               hand_over(r, {-1, peer, local_port}, *accepted);
                             });
  }

  template <class Stream>
  void hand_over(std::shared_ptr<relay<Stream>> r, connection c, const on_accept& accepted) {
    auto pair = socket_pair(io);
    if (!pair)
      return r->close("no local socket pair for CAF (out of file descriptors?)");
    r->start(std::move(pair->first));
    c.fd = pair->second;
    accepted(std::move(c));
  }

  void dial(const std::string& host, std::uint16_t port, std::shared_ptr<on_dial> done) {
    auto resolver = std::make_shared<tcp::resolver>(io);
    const auto peer = host + ":" + std::to_string(port);
    resolver->async_resolve(
      host, std::to_string(port),
      [this, resolver, peer, done](error_code err, tcp::resolver::results_type found) {
        if (err)
          return (*done)(
            make_error(ec::node_unavailable, "cannot resolve " + peer + ": " + err.message()));
        connect(std::move(found), peer, done);
      });
  }

  void connect(tcp::resolver::results_type found, const std::string& peer,
               std::shared_ptr<on_dial> done) {
    auto sock = std::make_shared<tcp::socket>(io);
    // TCP connect has no deadline of its own (a dropped SYN waits minutes).
    auto deadline = std::make_shared<asio::steady_timer>(io, opts.handshake_deadline);
    deadline->async_wait([sock](error_code err) {
      if (!err)
        sock->close(err);
    });
    asio::async_connect(*sock, found, [=, this](error_code err, const auto&) {
      if (deadline->cancel() == 0)  // it fired first and closed the socket
        err = asio::error::timed_out;
      if (err)
        return (*done)(
          make_error(ec::node_unavailable, "cannot connect to " + peer + ": " + err.message()));
      sock->set_option(tcp::no_delay{true}, err);
      if (!secure())
        return connected(make_relay(std::move(*sock), frame_guard::peer::dialled, peer), peer,
                         done);
      auto r =
        make_relay(tls_stream{std::move(*sock), *client_tls}, frame_guard::peer::dialled, peer);
      r->net().async_handshake(ssl::stream_base::client, [this, r, peer, done](error_code err) {
        if (r->closed())
          return (*done)(make_error(ec::node_unavailable,
                                    "TLS with " + peer + ": no handshake within the deadline"));
        if (err) {
          r->close("");
          return (*done)(
            make_error(ec::node_unavailable, "TLS with " + peer + ": " + err.message()));
        }
        connected(r, peer, done);
      });
    });
  }

  template <class Stream>
  void connected(std::shared_ptr<relay<Stream>> r, const std::string& peer,
                 std::shared_ptr<on_dial> done) {
    auto pair = socket_pair(io);
    if (!pair) {
      r->close("");
      return (*done)(make_error(ec::node_unavailable, "no local socket pair for CAF"));
    }
    r->start(std::move(pair->first));
    (*done)(connection{pair->second, peer, 0});
  }
};

caf::expected<std::shared_ptr<link_service>> link_service::start(options opts) {
  if (auto err = opts.security.check())
    return err;
  auto p = std::make_unique<impl>(std::move(opts));
  if (!p->opts.security.insecure) {
    auto server = link_tls_context(p->opts.security, true);
    if (!server)
      return server.error();
    auto client = link_tls_context(p->opts.security, false);
    if (!client)
      return client.error();
    p->server_tls.emplace(std::move(*server));
    p->client_tls.emplace(std::move(*client));
  }
  p->thread = std::thread{[io = &p->io] { io->run(); }};
  return std::shared_ptr<link_service>{new link_service(std::move(p))};
}

link_service::link_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

link_service::~link_service() { stop(); }

caf::expected<std::uint16_t> link_service::listen(const std::string& host, std::uint16_t port,
                                                  on_accept accepted) {
  error_code err;
  const auto address = asio::ip::make_address(host, err);
  if (err)
    return make_error(ec::invalid_config, "cannot listen on " + host + ": not an IP address");
  tcp::acceptor acceptor{impl_->io};
  const tcp::endpoint where{address, port};
  err = net::listen_on(acceptor, where);
  if (err)
    return make_error(ec::invalid_config, "cannot listen on " + host + ":" + std::to_string(port)
                                            + ": " + err.message());
  const auto bound = acceptor.local_endpoint().port();
  asio::post(impl_->io, [p = impl_.get(), a = std::move(acceptor),
                         accepted = std::make_shared<on_accept>(std::move(accepted))]() mutable {
    p->acceptors.push_back(std::move(a));
    p->accept_next(p->acceptors.back(), accepted);
  });
  return bound;
}

void link_service::dial(const std::string& host, std::uint16_t port, on_dial done) {
  asio::post(impl_->io,
             [p = impl_.get(), host, port, done = std::make_shared<on_dial>(std::move(done))] {
               p->dial(host, port, done);
             });
}

void link_service::stop() {
  if (!impl_ || impl_->stopped)
    return;
  impl_->stopped = true;
  asio::post(impl_->io, [p = impl_.get()] {
    for (auto& a : p->acceptors)
      a.close();
    auto open = std::move(p->open);
    for (auto& [id, close] : open)
      close();
    p->work.reset();
    p->io.stop();
  });
  if (impl_->thread.joinable())
    impl_->thread.join();
}

}  // namespace amoc::links
