#include "connection.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "amoc/error.hpp"
#include "amoc/net/tls_client.hpp"
#include "amoc/source_address.hpp"

namespace amoc::http::detail {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
using boost::system::error_code;

namespace {

bool is_ip_literal(const std::string& host) {
  error_code ec;
  (void)asio::ip::make_address(host, ec);
  return !ec;
}

// A read error as a short condition: what a load test report groups by.
std::string read_condition(const error_code& ec, bool got_some) {
  if (ec == beast_http::error::end_of_stream || ec == asio::error::eof)
    return got_some ? "closed-mid-response" : "connection-closed";
  if (ec == beast_http::error::partial_message || ec == asio::ssl::error::stream_truncated)
    return "closed-mid-response";
  if (ec == beast_http::error::body_limit)
    return "body-too-large";
  if (ec == asio::error::connection_reset)
    return "connection-reset";
  if (ec.category() == make_error_code(beast_http::error::end_of_stream).category()
      || ec == beast_http::error::bad_version)
    return "bad-response";
  return "read-failed";
}

}  // namespace

connection::connection(asio::io_context& io, connect_spec spec)
    : io_(io), spec_(std::move(spec)), socket_(io) {}

connection::~connection() = default;

// ---- coroutine side -----------------------------------------------------------

void connection::start(std::string bytes, bool head_request) {
  {
    std::lock_guard guard{mutex_};
    done_ = false;
    outcome_ = outcome{};
  }
  started_ = true;
  request_ = std::move(bytes);
  head_request_ = head_request;
  // Inline when the user runs on the connection's own loop thread (the node
  // scheduler's workers are the loops): the write then goes out at once.
  asio::dispatch(io_, [self = shared_from_this()] { self->run(); });
}

bool connection::done() const {
  std::lock_guard guard{mutex_};
  return done_;
}

outcome connection::take() {
  std::lock_guard guard{mutex_};
  done_ = false;
  return std::exchange(outcome_, outcome{});
}

void connection::abandon() {
  {
    std::lock_guard guard{mutex_};
    waiter_.forget();
    abandoned_ = true;
  }
  asio::post(io_, [self = shared_from_this()] { self->close_socket(); });
}

// ---- loop side: connecting ---------------------------------------------------------

template <class F>
void connection::with_stream(F&& f) {
  if (tls_)
    f(*tls_);
  else
    f(socket_);
}

void connection::run() {
  if (connected_) {
    reused_ = true;
    write();
    return;
  }
  phase_ = phase::resolve;
  error_code ec;
  const auto address = asio::ip::make_address(spec_.origin.host, ec);
  if (ec) {
    resolve();
    return;
  }
  endpoints_ = {tcp::endpoint{address, spec_.origin.port}};
  connect_next();
}

void connection::resolve() {
  resolver_ = std::make_unique<tcp::resolver>(io_);
  resolver_->async_resolve(
    spec_.origin.host, std::to_string(spec_.origin.port),
    [self = shared_from_this()](const error_code& ec, tcp::resolver::results_type results) {
      if (ec) {
        self->fail(phase::resolve, "resolve-failed", ec);
        return;
      }
      for (const auto& entry : results)
        self->endpoints_.push_back(entry.endpoint());
      self->connect_next();
    });
}

void connection::connect_next() {
  phase_ = phase::connect;
  if (endpoints_.empty()) {
    last_error_ = "no address left to try: " + last_error_;
    fail(phase::connect, "connect-failed", {});
    return;
  }
  const auto ep = endpoints_.front();
  endpoints_.erase(endpoints_.begin());
  error_code ec;
  socket_.close(ec);
  ec = open_from(socket_, ep.protocol(), spec_.source_address);
  if (ec) {
    fail(phase::connect, "connect-failed", ec);
    return;
  }
  socket_.async_connect(ep, [self = shared_from_this(), ep](const error_code& ec) {
    if (!ec) {
      self->on_connected();
      return;
    }
    if (ec == asio::error::operation_aborted) {
      self->fail(phase::connect, "aborted", ec);
      return;
    }
    self->last_error_ =
      ec.message() + " (" + ep.address().to_string() + ":" + std::to_string(ep.port()) + ")";
    self->connect_next();
  });
}

void connection::on_connected() {
  endpoints_.clear();
  resolver_.reset();
  error_code ec;
  socket_.set_option(tcp::no_delay{true}, ec);
  if (spec_.origin.tls) {
    handshake();
    return;
  }
  connected_ = true;
  write();
}

void connection::handshake() {
  phase_ = phase::tls;
  // The CA file matters only when servers are verified.
  net::tls_settings settings;
  settings.verify_peer = spec_.verify_tls;
  if (spec_.verify_tls)
    settings.ca_file = spec_.ca_file;
  auto ctx = net::shared_tls_client_context(settings, "http");
  if (!ctx) {
    last_error_ = context_of(ctx.error());
    fail(phase::tls, "tls-setup-failed", error_code{});
    return;
  }
  tls_ = std::make_unique<tls_stream>(socket_, **ctx);
  auto* ssl = tls_->native_handle();
  const auto& host = spec_.origin.host;
  const bool ip = is_ip_literal(host);
  // SNI carries names only (RFC 6066 §3); the certificate is checked against
  // the name or the address the URL gave.
  if (!ip)
    SSL_set_tlsext_host_name(ssl, host.c_str());
  if (spec_.verify_tls) {
    if (ip)
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
    else
      SSL_set1_host(ssl, host.c_str());
  }
  tls_->async_handshake(asio::ssl::stream_base::client,
                        [self = shared_from_this()](const error_code& ec) {
                          if (ec) {
                            const auto verify = SSL_get_verify_result(self->tls_->native_handle());
                            if (verify != X509_V_OK)
                              self->last_error_ = X509_verify_cert_error_string(verify);
                            self->fail(phase::tls, "handshake-failed", ec);
                            return;
                          }
                          self->connected_ = true;
                          self->write();
                        });
}

// ---- loop side: one exchange ---------------------------------------------------------

void connection::write() {
  phase_ = phase::write;
  with_stream([this](auto& stream) {
    asio::async_write(stream, asio::buffer(request_),
                      [self = shared_from_this()](const error_code& ec, std::size_t) {
                        if (ec) {
                          self->fail(phase::write, "write-failed", ec);
                          return;
                        }
                        self->read();
                      });
  });
}

void connection::read() {
  phase_ = phase::read;
  parser_.emplace();
  parser_->body_limit(spec_.max_body_bytes);
  // A HEAD response announces a length but carries no body (RFC 9110 §9.3.2).
  if (head_request_)
    parser_->skip(true);
  with_stream([this](auto& stream) {
    beast_http::async_read(
      stream, buffer_, *parser_, [self = shared_from_this()](const error_code& ec, std::size_t) {
        if (ec) {
          self->fail(phase::read, read_condition(ec, self->parser_->got_some()), ec);
          return;
        }
        self->on_response();
      });
  });
}

void connection::on_response() {
  auto& message = parser_->get();
  outcome o;
  o.status = message.result_int();
  o.headers.reserve(16);
  for (const auto& field : message)
    o.headers.push_back({std::string{field.name_string()}, std::string{field.value()}});
  o.body = std::move(message.body());
  o.keep_alive = parser_->keep_alive();
  o.reused = reused_;
  parser_.reset();
  if (!o.keep_alive)
    close_socket();
  complete(std::move(o));
}

void connection::fail(phase p, std::string condition, const error_code& ec) {
  outcome o;
  // A kept-alive connection the server closed while idle fails on the first
  // write or before the first response byte: the request never reached it.
  o.retryable =
    reused_ && (p == phase::write || (p == phase::read && parser_ && !parser_->got_some()));
  o.reused = reused_;
  std::string detail = ec ? ec.message() : std::string{};
  if (!last_error_.empty())
    detail += (detail.empty() ? "" : "; ") + last_error_;
  o.failure.emplace(p, std::move(condition), detail);
  close_socket();
  complete(std::move(o));
}

void connection::complete(outcome o) {
  std::lock_guard guard{mutex_};
  if (abandoned_)
    return;
  outcome_ = std::move(o);
  done_ = true;
  waiter_.wake();
}

void connection::close_socket() {
  connected_ = false;
  if (resolver_)
    resolver_->cancel();
  error_code ignored;
  socket_.close(ignored);
}

}  // namespace amoc::http::detail
