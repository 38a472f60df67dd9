// One XMPP stream over TCP: connect (every address in turn), STARTTLS or
// direct TLS, the read loop into the framer, the write queue and its bounds.
// Over 400 lines on purpose: these steps share the socket's strand and
// state, and splitting them would expose that state to several files.

#include "socket_connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "amoc/error.hpp"
#include "amoc/net/tls_client.hpp"
#include "amoc/source_address.hpp"
#include "amoc/xmpp/stanzas.hpp"

namespace amoc::xmpp::detail {

namespace {

namespace asio = boost::asio;
using boost::system::error_code;

// Reads per readiness event before other connections of the thread get a turn.
constexpr int reads_per_turn = 8;
// One read buffer per I/O thread, shared by its connections.
constexpr std::size_t read_buffer_size = 16 * 1024;

std::string describe(const asio::ip::tcp::endpoint& ep) {
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

socket_connection::socket_connection(asio::io_context& io, connection_limits limits,
                                     xmpp_metrics& metrics)
    : connection(io, limits, metrics), socket_(io) {}

socket_connection::~socket_connection() {
  error_code ignored;
  socket_.close(ignored);
  if (ssl_)
    SSL_free(ssl_);
}

std::shared_ptr<socket_connection> socket_connection::self() {
  return std::static_pointer_cast<socket_connection>(shared_from_this());
}

std::string socket_connection::stream_open(std::string_view domain) const {
  return stanzas::stream_header(domain);
}

std::string socket_connection::stream_close() const { return stanzas::stream_close(); }

// ---- connecting ---------------------------------------------------------------

void socket_connection::start_connect(std::shared_ptr<const endpoint_spec> spec) {
  std::lock_guard guard{mutex_};
  spec_ = std::move(spec);
  state_ = state::connecting;
  post_locked(self(), [](socket_connection& c) { c.connect_locked(); });
}

void socket_connection::connect_locked() {
  error_code ec;
  const auto address = asio::ip::make_address(spec_->host, ec);
  if (!ec) {
    endpoints_ = {endpoint{address, spec_->port}};
    try_next_endpoint_locked();
    return;
  }
  resolver_ = std::make_unique<asio::ip::tcp::resolver>(io_);
  resolver_->async_resolve(
    spec_->host, std::to_string(spec_->port),
    [self = self()](const error_code& ec, asio::ip::tcp::resolver::results_type results) {
      handler_scope scope{*self};
      if (self->closed_locked())
        return;
      if (ec) {
        self->fail_locked(phase::resolve, "resolve-failed",
                          self->spec_->host + ": " + ec.message());
        return;
      }
      for (const auto& entry : results)
        self->endpoints_.push_back(entry.endpoint());
      self->try_next_endpoint_locked();
    });
}

void socket_connection::try_next_endpoint_locked() {
  if (endpoints_.empty()) {
    fail_locked(phase::connect, "connect-failed", last_error_);
    return;
  }
  const auto ep = endpoints_.front();
  endpoints_.erase(endpoints_.begin());
  error_code ec;
  socket_.close(ec);
  ec = open_from(socket_, ep.protocol(), spec_->source_address);
  if (ec && !spec_->source_address.empty()) {
    fail_locked(phase::connect, "bind-failed",
                "source address " + spec_->source_address + ": " + ec.message());
    return;
  }
  if (ec) {
    fail_locked(phase::connect, "connect-failed", ec.message());
    return;
  }
  socket_.async_connect(ep, [self = self(), ep](const error_code& ec) {
    handler_scope scope{*self};
    if (self->closed_locked())
      return;
    if (ec) {
      self->last_error_ = ec.message() + " (" + describe(ep) + ")";
      self->try_next_endpoint_locked();
      return;
    }
    self->on_connected_locked(ep.protocol());
  });
}

void socket_connection::on_connected_locked(asio::ip::tcp protocol) {
  endpoints_.clear();
  endpoints_.shrink_to_fit();
  resolver_.reset();
  error_code ec;
  reregister(protocol, ec);
  if (ec) {
    fail_locked(phase::connect, "connect-failed", ec.message());
    return;
  }
  socket_.set_option(asio::ip::tcp::no_delay{true}, ec);
  socket_.non_blocking(true, ec);
  if (ec) {
    fail_locked(phase::connect, "connect-failed", ec.message());
    return;
  }
  if (spec_->direct_tls) {
    begin_tls_locked();
    return;
  }
  opened_locked();
  flush_locked();
  arm_read_locked();
}

// Asio learns that a connect completed from EPOLLOUT, and keeps EPOLLOUT in
// the socket's epoll registration. Every later wait for data re-registers the
// socket (epoll_ctl MOD), and as a writable socket it then reports EPOLLOUT at
// once: a trip through epoll_wait for nothing per stanza received (measured:
// one of the seven system calls a chat message cost). Registered afresh, the
// socket is watched for input only, until a write has to wait.
void socket_connection::reregister(asio::ip::tcp protocol, error_code& ec) {
  const auto fd = socket_.release(ec);
  if (ec)
    return;
  socket_.assign(protocol, fd, ec);
  if (ec)
    ::close(fd);
}

// ---- TLS ------------------------------------------------------------------------

void socket_connection::start_tls() {
  std::lock_guard guard{mutex_};
  post_locked(self(), [](socket_connection& c) { c.begin_tls_locked(); });
}

void socket_connection::begin_tls_locked() {
  net::tls_settings settings;
  settings.verify_peer = spec_->verify_tls;
  auto ctx = net::shared_tls_client_context(settings, "xmpp");
  if (!ctx) {
    fail_locked(phase::tls, "tls-setup-failed", context_of(ctx.error()));
    return;
  }
  ssl_ = SSL_new((*ctx)->native_handle());
  if (!ssl_) {
    fail_locked(phase::tls, "tls-setup-failed", net::tls_errors());
    return;
  }
  SSL_set_fd(ssl_, socket_.native_handle());
  SSL_set_tlsext_host_name(ssl_, spec_->domain.c_str());
  if (spec_->verify_tls)
    SSL_set1_host(ssl_, spec_->domain.c_str());
  SSL_set_connect_state(ssl_);
  handshaking_ = true;
  continue_handshake_locked();
}

void socket_connection::continue_handshake_locked() {
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_);
  if (result == 1) {
    handshaking_ = false;
    secure_ = true;
    if (state_ == state::connecting)
      opened_locked();
    else
      notify_locked();
    flush_locked();
    if (!closed_locked())
      read_available_locked();
    return;
  }
  switch (SSL_get_error(ssl_, result)) {
  case SSL_ERROR_WANT_READ: arm_read_locked(); return;
  case SSL_ERROR_WANT_WRITE: arm_write_locked(); return;
  default: break;
  }
  auto detail = net::tls_errors();
  if (const auto verify = SSL_get_verify_result(ssl_); verify != X509_V_OK)
    detail += std::string{"; certificate: "} + X509_verify_cert_error_string(verify);
  fail_locked(phase::tls, "handshake-failed", detail);
}

socket_connection::io_status socket_connection::tls_status(int result) {
  switch (SSL_get_error(ssl_, result)) {
  case SSL_ERROR_WANT_READ: return io_status::want_read;
  case SSL_ERROR_WANT_WRITE: return io_status::want_write;
  case SSL_ERROR_ZERO_RETURN: return io_status::eof;
  case SSL_ERROR_SYSCALL:
    if (errno == 0)
      return io_status::eof;
    last_error_ = std::strerror(errno);
    return io_status::error;
  default: last_error_ = net::tls_errors(); return io_status::error;
  }
}

// ---- reading ----------------------------------------------------------------------

socket_connection::io_status socket_connection::read_some(char* buf, std::size_t size,
                                                          std::size_t& got) {
  if (ssl_) {
    ERR_clear_error();
    errno = 0;
    const int n = SSL_read(ssl_, buf, static_cast<int>(size));
    if (n > 0) {
      got = static_cast<std::size_t>(n);
      return io_status::done;
    }
    return tls_status(n);
  }
  for (;;) {
    const auto n = ::recv(socket_.native_handle(), buf, size, 0);
    if (n > 0) {
      got = static_cast<std::size_t>(n);
      return io_status::done;
    }
    if (n == 0)
      return io_status::eof;
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
      return io_status::want_read;
    last_error_ = std::strerror(errno);
    return io_status::error;
  }
}

void socket_connection::read_available_locked() {
  thread_local char buffer[read_buffer_size];
  for (int i = 0; i < reads_per_turn; ++i) {
    std::size_t got = 0;
    switch (read_some(buffer, sizeof buffer, got)) {
    case io_status::done:
      deliver_locked({buffer, got});
      if (closed_locked())
        return;
      // A short plain read emptied the socket, and the next wait re-checks
      // readiness anyway: the recv that would only say EAGAIN is saved (one
      // syscall per message). TLS may still hold decrypted records: it reads on.
      if (!ssl_ && got < sizeof buffer) {
        arm_read_locked();
        return;
      }
      continue;
    case io_status::want_read: arm_read_locked(); return;
    case io_status::want_write:
      read_wants_write_ = true;
      arm_write_locked();
      return;
    case io_status::eof: eof_locked(); return;
    case io_status::error: fail_locked(std::nullopt, "read-failed", last_error_); return;
    }
  }
  // Still more to read: let the thread's other connections have their turn.
  post_locked(self(), [](socket_connection& c) { c.read_available_locked(); });
}

// `async_wait` re-registers the socket with epoll_ctl(MOD), which also
// reports data that came in before the wait began: with the short-read
// shortcut above, a message costs this call and one recv.
void socket_connection::arm_read_locked() {
  if (read_armed_)
    return;
  read_armed_ = true;
  socket_.async_wait(asio::socket_base::wait_read, [self = self()](const error_code& ec) {
    handler_scope scope{*self};
    self->read_armed_ = false;
    if (!self->closed_locked())
      self->on_readable_locked(ec);
  });
}

void socket_connection::on_readable_locked(const error_code& ec) {
  if (ec) {
    fail_locked(std::nullopt, "read-failed", ec.message());
    return;
  }
  if (handshaking_) {
    continue_handshake_locked();
    return;
  }
  if (std::exchange(write_wants_read_, false))
    flush_locked();
  if (!closed_locked())
    read_available_locked();
}

// ---- writing ----------------------------------------------------------------------

socket_connection::io_status socket_connection::write_some(std::string_view data,
                                                           std::size_t& put) {
  if (ssl_) {
    ERR_clear_error();
    errno = 0;
    const int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
    if (n > 0) {
      put = static_cast<std::size_t>(n);
      return io_status::done;
    }
    return tls_status(n);
  }
  for (;;) {
    const auto n = ::send(socket_.native_handle(), data.data(), data.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      put = static_cast<std::size_t>(n);
      return io_status::done;
    }
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
      return io_status::want_write;
    last_error_ = std::strerror(errno);
    return io_status::error;
  }
}

void socket_connection::write_locked(std::string_view xml) {
  // Behind buffered bytes, or before the socket is ready for data: keep order.
  if (state_ != state::open || handshaking_ || !out_.empty()) {
    buffer_locked(xml);
    if (state_ == state::open && !handshaking_)
      schedule_flush_locked();
    return;
  }
  std::size_t put = 0;
  switch (write_some(xml, put)) {
  case io_status::done:
    if (put < xml.size()) {
      buffer_locked(xml.substr(put));
      schedule_flush_locked();
    }
    return;
  case io_status::want_read:
  case io_status::want_write:
    buffer_locked(xml);
    schedule_flush_locked();
    return;
  case io_status::eof: fail_locked(std::nullopt, "connection-closed", "while sending"); return;
  case io_status::error: fail_locked(std::nullopt, "write-failed", last_error_); return;
  }
}

void socket_connection::buffer_locked(std::string_view rest) {
  if (out_.size() + rest.size() > limits_.max_send_buffer) {
    fail_locked(phase::send, "send-buffer-full",
                std::to_string(out_.size() + rest.size())
                  + " bytes not taken by the server (it stopped reading)");
    return;
  }
  out_.append(rest);
}

void socket_connection::schedule_flush_locked() {
  if (flush_posted_ || write_armed_)
    return;
  flush_posted_ = true;
  post_locked(self(), [](socket_connection& c) {
    c.flush_posted_ = false;
    c.flush_locked();
  });
}

void socket_connection::flush_locked() {
  while (!out_.empty() && !handshaking_ && !closed_locked()) {
    std::size_t put = 0;
    switch (write_some(out_, put)) {
    case io_status::done: out_.erase(0, put); continue;
    case io_status::want_write: arm_write_locked(); return;
    case io_status::want_read:
      write_wants_read_ = true;
      arm_read_locked();
      return;
    case io_status::eof: fail_locked(std::nullopt, "connection-closed", "while sending"); return;
    case io_status::error: fail_locked(std::nullopt, "write-failed", last_error_); return;
    }
  }
  if (out_.empty() && out_.capacity() > 4096)
    std::string{}.swap(out_);
}

void socket_connection::arm_write_locked() {
  if (write_armed_)
    return;
  write_armed_ = true;
  socket_.async_wait(asio::socket_base::wait_write, [self = self()](const error_code& ec) {
    handler_scope scope{*self};
    self->write_armed_ = false;
    if (!self->closed_locked())
      self->on_writable_locked(ec);
  });
}

void socket_connection::on_writable_locked(const error_code& ec) {
  if (ec) {
    fail_locked(std::nullopt, "write-failed", ec.message());
    return;
  }
  if (handshaking_) {
    continue_handshake_locked();
    return;
  }
  if (std::exchange(read_wants_write_, false))
    read_available_locked();
  if (!closed_locked())
    flush_locked();
}

// ---- closing ----------------------------------------------------------------------

void socket_connection::close_transport_locked() {
  if (resolver_)
    resolver_->cancel();
  if (ssl_ && secure_) {
    ERR_clear_error();
    SSL_shutdown(ssl_);  // best effort close_notify; never waits
  }
  error_code ignored;
  socket_.close(ignored);
}

}  // namespace amoc::xmpp::detail
