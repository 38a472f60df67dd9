#include "session.hpp"

#include <algorithm>
#include <cctype>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "event_sink.hpp"
#include "http_text.hpp"

namespace amoc::web::detail {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;

// Room for a whole header plus one read: the parser moves body bytes out.
constexpr std::size_t read_room = 8 << 10;

bool expects_continue(const request& head) {
  std::string value{head.header("expect")};
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return value == "100-continue";
}

std::string limit_text(std::size_t bytes) { return std::to_string(bytes) + " bytes"; }

}  // namespace

session::session(server_core& core, tcp::socket socket)
    : core_(core), stream_(std::move(socket)), buffer_(core.opts.max_header_bytes + read_room) {}

session::~session() = default;

void session::start() {
  deadline_ = clock::now() + core_.opts.request_timeout;
  await_request();
}

// Waits for a request's first byte apart from the rest: until it comes the
// connection is idle (it may make room for a newcomer), and on a kept-alive
// connection the request's own deadline starts with it.
void session::await_request() {
  phase_ = phase::waiting;
  if (buffer_.size() > 0) {  // pipelined: the next request is here already
    deadline_ = clock::now() + core_.opts.request_timeout;
    read_header();
    return;
  }
  stream_.expires_at(first_ ? deadline_ : clock::now() + core_.opts.idle_timeout);
  // Into the session's own few bytes: an idle connection holds no buffer.
  stream_.async_read_some(
    asio::buffer(first_bytes_), [self = shared_from_this()](error_code ec, std::size_t n) {
      if (ec)
        return self->on_read_error(ec);
      self->buffer_.commit(
        asio::buffer_copy(self->buffer_.prepare(n), asio::buffer(self->first_bytes_, n)));
      if (!self->first_)
        self->deadline_ = clock::now() + self->core_.opts.request_timeout;
      self->read_header();
    });
}

void session::read_header() {
  if (phase_ == phase::closed)
    return;
  phase_ = phase::reading;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(core_.opts.max_header_bytes));
  parser_->body_limit(core_.opts.max_body_bytes);
  stream_.expires_at(deadline_);
  http::async_read_header(
    stream_, buffer_, *parser_,
    [self = shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
}

void session::on_header(error_code ec) {
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
    return finish_with(
      plain_error(431, "request headers larger than " + limit_text(core_.opts.max_header_bytes)));
  if (ec == http::error::body_limit) {  // a Content-Length past the server's limit
    body_limit_ = core_.opts.max_body_bytes;
    return finish_with(too_large(request_of(parser_->get())));
  }
  if (ec)
    return on_read_error(ec);
  auto head = request_of(parser_->get());
  head_only_ = head.method == "HEAD";
  body_limit_ = core_.opts.max_body_bytes;
  if (core_.opts.screen) {
    auto verdict = core_.opts.screen(head);
    if (verdict.refusal && !parser_->is_done())
      return finish_with(*verdict.refusal);  // its body is never read
    if (verdict.refusal) {
      keep_alive_ = parser_->get().keep_alive();
      parser_.reset();
      return respond(std::move(*verdict.refusal));
    }
    body_limit_ = std::min(verdict.max_body_bytes, body_limit_);
  }
  if (const auto length = parser_->content_length(); length && *length > body_limit_)
    return finish_with(too_large(head));
  parser_->body_limit(body_limit_);
  if (parser_->is_done())
    return dispatch();
  if (!expects_continue(head))
    return read_body();
  // The client waits for this before it sends the body (curl does so for
  // larger uploads); the body's deadline is the request's, as for any body.
  static const std::string go_on = "HTTP/1.1 100 Continue\r\n\r\n";
  asio::async_write(stream_, asio::buffer(go_on),
                    [self = shared_from_this()](error_code write_ec, std::size_t) {
                      if (write_ec)
                        return self->close();
                      self->read_body();
                    });
}

void session::read_body() {
  if (phase_ == phase::closed)
    return;
  stream_.expires_at(deadline_);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](error_code ec, std::size_t) { self->on_body(ec); });
}

void session::on_body(error_code ec) {
  if (ec == http::error::body_limit)
    return finish_with(too_large(request_of(parser_->get())));
  if (ec)
    return on_read_error(ec);
  dispatch();
}

// A deadline passed or the client left: close. Bytes that are not HTTP get
// an answer naming the problem first.
void session::on_read_error(error_code ec) {
  const bool malformed = ec.category() == http::make_error_code(http::error::bad_method).category()
                         && ec != http::error::end_of_stream && ec != http::error::partial_message;
  if (!malformed || phase_ == phase::closed)
    return close();
  finish_with(plain_error(400, "not an HTTP/1.1 request: " + ec.message()));
}

response session::too_large(const request& head) const {
  return plain_error(413, head.method + " " + head.path + ": the body may have at most "
                            + limit_text(body_limit_));
}

void session::dispatch() {
  phase_ = phase::handling;
  stream_.expires_never();
  keep_alive_ = parser_->get().keep_alive();
  auto req = request_of(parser_->get());
  req.body = std::move(parser_->get().body());
  parser_.reset();
  auto self = shared_from_this();
  const bool queued = core_.workers.submit([self, req = std::move(req)]() mutable {
    auto res = self->core_.answer(req);
    asio::post(self->core_.io,
               [self, res = std::move(res)]() mutable { self->respond(std::move(res)); });
  });
  if (!queued)
    finish_with(plain_error(503, "the server is busy: " + std::to_string(core_.opts.max_queued)
                                   + " requests are waiting; retry shortly"));
}

void session::respond(response res) {
  if (phase_ == phase::closed)
    return;
  if (res.stream)
    return open_stream(std::move(res));
  phase_ = phase::writing;
  out_ = message_of(res, keep_alive_, head_only_);
  stream_.expires_after(core_.opts.write_timeout);
  http::async_write(stream_, out_, [self = shared_from_this()](error_code ec, std::size_t) {
    self->on_written(ec);
  });
}

void session::on_written(error_code ec) {
  if (ec || !keep_alive_)
    return close();
  out_ = {};
  if (buffer_.size() == 0)
    buffer_.shrink_to_fit();  // an idle connection holds no buffer
  first_ = false;
  await_request();
}

void session::open_stream(response res) {
  if (core_.streams >= core_.opts.max_streams)
    return finish_with(plain_error(503, "too many event streams open ("
                                          + std::to_string(core_.opts.max_streams) + ")"));
  ++core_.streams;
  phase_ = phase::streaming;
  sink_ = std::make_shared<event_sink>(weak_from_this(), core_.io.get_executor(),
                                       core_.opts.max_stream_backlog);
  (void)sink_->write(stream_head(res));
  res.stream(sink_);
}

void session::flush_stream() {
  if (phase_ != phase::streaming || !chunk_.empty())
    return;  // closed, or a write is under way: its end flushes again
  if (sink_->closed())
    return close();
  chunk_ = sink_->take();
  if (chunk_.empty())
    return;
  stream_.expires_after(core_.opts.write_timeout);
  asio::async_write(
    stream_, asio::buffer(chunk_),
    [self = shared_from_this()](error_code ec, std::size_t n) { self->on_stream_written(ec, n); });
}

void session::on_stream_written(error_code ec, std::size_t n) {
  if (ec)
    return close();
  sink_->written(n);
  chunk_.clear();
  flush_stream();
}

void session::refuse(response res) {
  refusing_ = true;
  ++core_.refusals;
  finish_with(res);
}

// An answer before the request was read (or instead of reading it): say so,
// then linger, since closing with unread input makes the kernel reset the
// connection and the client could lose the answer.
void session::finish_with(const response& res) {
  phase_ = phase::writing;
  out_ = message_of(res, false, false);
  stream_.expires_after(core_.opts.write_timeout);
  http::async_write(stream_, out_, [self = shared_from_this()](error_code ec, std::size_t) {
    if (ec)
      return self->close();
    self->phase_ = phase::lingering;
    error_code ignored;
    self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    self->stream_.expires_after(defaults::web::linger);
    self->linger();
  });
}

void session::linger() {
  stream_.async_read_some(asio::buffer(first_bytes_),
                          [self = shared_from_this()](error_code ec, std::size_t) {
                            if (ec)
                              return self->close();
                            self->linger();
                          });
}

void session::close() {
  if (phase_ == phase::closed)
    return;
  if (phase_ == phase::streaming)
    --core_.streams;
  phase_ = phase::closed;
  if (sink_)
    sink_->close();
  error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
  if (refusing_)
    --core_.refusals;
  if (place) {
    // The list held this session: keep it alive to the end of this call.
    auto keep = shared_from_this();
    core_.sessions.erase(*place);
    place.reset();
  }
}

}  // namespace amoc::web::detail
