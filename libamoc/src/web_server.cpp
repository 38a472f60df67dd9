// amoc::web::server: Boost.Beast, synchronous, one thread per connection. A
// control API sees few clients; plain blocking code keeps each session's
// logic (read, answer, maybe stream) in one readable function.

#include "amoc/web_server.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <list>
#include <mutex>
#include <thread>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "amoc/error.hpp"

namespace amoc::web {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

request to_request(http::request<http::string_body>& msg) {
  request r;
  r.method = std::string{msg.method_string()};
  const std::string_view target{msg.target().data(), msg.target().size()};
  const auto q = target.find('?');
  r.path = percent_decoded(target.substr(0, q));
  if (q != std::string_view::npos)
    r.query = std::string{target.substr(q + 1)};
  for (const auto& field : msg)
    r.headers.emplace_back(lower({field.name_string().data(), field.name_string().size()}),
                           std::string{field.value()});
  r.body = std::move(msg.body());
  return r;
}

// A deadline on every blocking read and write of the socket: a silent client
// frees its thread after `timeout`.
void set_timeouts(tcp::socket& socket, std::chrono::seconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count());
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

std::string_view request::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name)
      return value;
  return {};
}

std::string_view reason(unsigned status) {
  const auto text = http::obsolete_reason(static_cast<http::status>(status));
  return {text.data(), text.size()};
}

struct server::impl {
  struct connection {
    explicit connection(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  impl(const options& o, handler h) : opts(o), handle(std::move(h)), acceptor(io) {}

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec)
        return;  // closed: the server is stopping
      open(std::move(socket));
      accept();
    });
  }

  void open(tcp::socket socket) {
    std::lock_guard guard{mutex};
    reap();
    if (stopping || connections.size() >= opts.max_connections) {
      beast::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      return;  // too many: the client sees the connection close at once
    }
    auto& c = connections.emplace_back(std::move(socket));
    c.thread = std::thread{[this, &c] {
      serve(c.socket);
      c.done = true;
    }};
  }

  // Joins the threads of connections that ended (under `mutex`).
  void reap() {
    for (auto it = connections.begin(); it != connections.end();) {
      if (!it->done) {
        ++it;
        continue;
      }
      it->thread.join();
      it = connections.erase(it);
    }
  }

  void serve(tcp::socket& socket) {
    set_timeouts(socket, opts.read_timeout);
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(opts.max_body_bytes);
      beast::error_code ec;
      http::read(socket, buffer, parser, ec);
      if (ec == http::error::body_limit) {
        send(socket, too_large(), false);
        drain(socket);
        break;
      }
      if (ec)
        break;
      const bool keep_alive = parser.get().keep_alive();
      auto req = to_request(parser.get());
      auto res = answer(req);
      if (res.stream) {
        run_stream(socket, res);
        break;
      }
      if (!send(socket, res, keep_alive) || !keep_alive)
        break;
    }
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }

  // After an early answer (413), reads what the client still sends for a
  // moment: closing at once would reset the connection, and the client might
  // never read the answer.
  static void drain(tcp::socket& socket) {
    beast::error_code ec;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    set_timeouts(socket, std::chrono::seconds{1});
    char buf[16384];
    for (int i = 0; i < 4096 && !ec; ++i)
      socket.read_some(asio::buffer(buf), ec);
  }

  response too_large() const {
    return {413, "application/json",
            R"({"error":"request body larger than )" + std::to_string(opts.max_body_bytes)
              + R"( bytes"})"};
  }

  // A throwing handler is a bug; the client still gets an answer.
  response answer(request& req) {
    try {
      return handle(req);
    } catch (const std::exception& e) {
      return {500, "application/json", error_json(e.what())};
    }
  }

  static std::string error_json(std::string_view what) {
    std::string text = R"({"error":")";
    for (char c : what)
      if (c == '"' || c == '\\')
        text += ' ';
      else if (static_cast<unsigned char>(c) >= 0x20)
        text += c;
    return text + "\"}";
  }

  static bool send(tcp::socket& socket, const response& res, bool keep_alive) {
    http::response<http::string_body> out{static_cast<http::status>(res.status), 11};
    out.set(http::field::server, "amoc");
    out.set(http::field::content_type, res.content_type);
    for (const auto& [name, value] : res.headers)
      out.set(name, value);
    out.keep_alive(keep_alive);
    out.body() = res.body;
    out.prepare_payload();
    beast::error_code ec;
    http::write(socket, out, ec);
    return !ec;
  }

  // Headers without a length, then whatever the stream writes, then close.
  void run_stream(tcp::socket& socket, const response& res) {
    std::string head = "HTTP/1.1 " + std::to_string(res.status) + " "
                       + std::string{reason(res.status)} + "\r\nServer: amoc\r\nContent-Type: "
                       + res.content_type + "\r\nCache-Control: no-cache\r\nConnection: close\r\n";
    for (const auto& [name, value] : res.headers)
      head += name + ": " + value + "\r\n";
    head += "\r\n";
    auto write = [this, &socket](std::string_view chunk) {
      if (stopping)
        return false;
      beast::error_code ec;
      asio::write(socket, asio::buffer(chunk.data(), chunk.size()), ec);
      return !ec;
    };
    if (write(head))
      res.stream(write);
  }

  void stop() {
    {
      std::lock_guard guard{mutex};
      stopping = true;
      // Wakes threads blocked in a read or write on these sockets.
      for (auto& c : connections)
        ::shutdown(c.socket.native_handle(), SHUT_RDWR);
    }
    asio::post(io, [this] {
      beast::error_code ignored;
      acceptor.close(ignored);
    });
    if (accept_thread.joinable())
      accept_thread.join();
    std::lock_guard guard{mutex};
    for (auto& c : connections)
      c.thread.join();
    connections.clear();
  }

  options opts;
  handler handle;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread accept_thread;
  std::mutex mutex;
  std::list<connection> connections;  // stable addresses: threads hold theirs
  std::atomic<bool> stopping{false};
};

caf::expected<std::unique_ptr<server>> server::start(const options& opts, handler handle) {
  auto i = std::make_unique<impl>(opts, std::move(handle));
  beast::error_code ec;
  const auto addr = asio::ip::make_address(opts.address, ec);
  if (ec)
    return make_error(ec::invalid_config, "bad listen address '" + opts.address + "'");
  const tcp::endpoint endpoint{addr, opts.port};
  i->acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    i->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    i->acceptor.bind(endpoint, ec);
  if (!ec)
    i->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error(ec::invalid_config, "cannot listen on " + opts.address + ":"
                                            + std::to_string(opts.port) + ": " + ec.message());
  i->accept();
  i->accept_thread = std::thread{[raw = i.get()] { raw->io.run(); }};
  return std::unique_ptr<server>{new server{std::move(i)}};
}

server::server(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

server::~server() { impl_->stop(); }

std::uint16_t server::port() const noexcept {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

bool server::stopping() const noexcept { return impl_->stopping; }

}  // namespace amoc::web
