// XMPP over BOSH: the HTTP side. Requests leave through a few keep-alive
// connections ("channels", one request outstanding on each); the session's
// rules (what goes next, rid order) are in bosh_window, the body text in
// bosh_body. Over 400 lines on purpose, as socket_connection: connecting,
// the request timing and reading answers share the channels and the mutex,
// and splitting them would expose that state to several files.

#include "bosh_connection.hpp"

#include <utility>  // before Asio under C++20 (see DESIGN-NOTES)

#include <random>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "amoc/error.hpp"
#include "amoc/net/tls_client.hpp"
#include "amoc/source_address.hpp"
#include "bosh_window.hpp"
#include "client_namespace.hpp"

namespace amoc::xmpp::detail {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using ssl_stream = beast::ssl_stream<beast::tcp_stream>;

// What the client sends through `send` to open and close the stream: never
// real XML from the client (it sends no comments).
constexpr std::string_view open_marker = "<!--amoc:bosh-open-->";
constexpr std::string_view close_marker = "<!--amoc:bosh-close-->";

// Requests must reach the server in rid order: ejabberd 23.01 keeps both
// requests unanswered until they time out when rid N+1 arrives before N
// (seen with curl on two connections). Two requests sent together on two
// connections may arrive either way round, so a request goes out at least
// `reorder_guard` after the one before it while that one is still out...
constexpr std::chrono::milliseconds reorder_guard{20};
// ...and an empty poll waits `poll_delay` after an answer: the client usually
// answers an answer at once (login steps), and then that request is the one
// the server holds, with no second request racing it.
constexpr std::chrono::milliseconds poll_delay{20};
// Before the stream restart that follows SASL success the server sends nothing
// unasked, so no poll goes out then: every login step is one request and its
// answer. A poll racing a slow client's next step (a SCRAM proof takes a while
// under a sanitizer) could reach Prosody after the step's request, and the
// restart's answer, the new stream's features, then came back on the poll.
// (A client that never authenticates gets no pushes: there are none to get.)
// Beyond the `wait` the server may hold a request: how late its answer may be.
constexpr std::chrono::seconds answer_margin{10};
// A pause asks the server for this much more than the client holds, so that
// the resume arrives before the pause the server granted ends (it counts from
// when the request arrived or was answered).
constexpr std::chrono::seconds pause_margin{1};
// How much of a bad body an error message quotes.
constexpr std::size_t quote_limit = 120;

std::string quote(std::string_view text) {
  std::string out{text.substr(0, quote_limit)};
  if (text.size() > quote_limit)
    out += "...";
  return out;
}

// XEP-0124 §14.1: a random first rid, small enough never to pass 2^53.
std::uint64_t random_first_rid() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return std::uniform_int_distribution<std::uint64_t>{1, 1ull << 32}(gen);
}

// One HTTP connection with at most one request outstanding.
template <class Stream>
struct channel {
  template <class... Args>
  explicit channel(asio::io_context& io, Args&&... args)
      : stream(io, std::forward<Args>(args)...) {}

  Stream stream;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  std::optional<http::response_parser<http::string_body>> parser;
  std::uint64_t rid = 0;
  std::chrono::seconds timeout{0};  // for the answer to `request`
  bool connected = false;
  bool busy = false;
  bool abandoned = false;  // its request's answer is not waited for any more
};

template <class Stream>
class bosh_connection final : public connection {
  static constexpr bool tls = std::is_same_v<Stream, ssl_stream>;
  using channel_t = channel<Stream>;

public:
  bosh_connection(asio::io_context& io, connection_limits limits, xmpp_metrics& metrics,
                  asio::ssl::context* ctx)
      : connection(io, limits, metrics), ctx_(ctx) {}

  ~bosh_connection() override {
    for (auto& ch : channels_)
      close_channel(*ch);
  }

  void start_connect(std::shared_ptr<const endpoint_spec> spec) override {
    std::lock_guard guard{mutex_};
    spec_ = std::move(spec);
    window_.emplace(spec_->domain, random_first_rid(), spec_->bosh_hold, spec_->bosh_wait);
    state_ = state::connecting;
    post_locked(self(), [](bosh_connection& c) { c.resolve_locked(); });
  }

  void start_tls() override {
    std::lock_guard guard{mutex_};
    fail_locked(phase::tls, "starttls-unsupported",
                "STARTTLS is not used over BOSH: use the bosh_tls transport");
  }

  [[nodiscard]] std::string stream_open(std::string_view) const override {
    return std::string{open_marker};
  }
  [[nodiscard]] std::string stream_close() const override { return std::string{close_marker}; }
  // The stream header is a request of its own (session creation, restart).
  [[nodiscard]] bool one_element_per_send() const override { return true; }

  pause_plan start_pause(std::chrono::milliseconds length) override {
    std::lock_guard guard{mutex_};
    if (state_ != state::open || !window_->has_session())
      return {"not-connected", "a BOSH session pauses once it exists (after connect())", {}};
    const auto maxpause = window_->maxpause();
    if (!maxpause)
      return {"pause-unsupported",
              "the server announced no maxpause when the BOSH session was created: it does not "
              "support pausing (XEP-0124 §10)",
              {}};
    const auto whole = std::chrono::ceil<std::chrono::seconds>(length);
    if (whole.count() > *maxpause)
      return {"pause-too-long",
              "a pause of " + std::to_string(length.count()) + " ms is longer than the server's "
                + "maxpause of " + std::to_string(*maxpause) + " s",
              {}};
    const auto asked = std::min<std::int64_t>(*maxpause, whole.count() + pause_margin.count());
    window_->pause(static_cast<unsigned>(asked));
    pause_asked_ = std::chrono::seconds{asked};
    schedule_pump_locked();
    const auto hold = std::min<std::chrono::milliseconds>(
      length, std::max<std::chrono::milliseconds>(std::chrono::seconds{asked} - pause_margin,
                                                  std::chrono::milliseconds{0}));
    return {{}, {}, hold};
  }

  [[nodiscard]] bool pause_settled() const override {
    std::lock_guard guard{mutex_};
    return window_ && window_->paused();
  }

  void end_pause() override {
    std::lock_guard guard{mutex_};
    if (!window_ || closed_locked())
      return;
    const auto unanswered = window_->resume();
    // The server may have closed the idle keep-alive connections during the
    // pause (unseen: nothing reads them): the next requests connect anew
    // rather than fail on a connection closed under them. A pause request
    // still out (ejabberd never answers it) is dropped with its connection.
    post_locked(self(), [unanswered](bosh_connection& c) {
      for (auto& ch : c.channels_) {
        if (ch->busy && unanswered && ch->rid == *unanswered) {
          ch->abandoned = true;
          close_channel(*ch);
        } else if (!ch->busy && ch->connected) {
          close_channel(*ch);
          ch->connected = false;
        }
      }
      c.pump_locked();
    });
  }

protected:
  void close_transport_locked() override {
    // Beast streams belong to the I/O thread.
    asio::post(io_, [self = self()] {
      for (auto& ch : self->channels_)
        close_channel(*ch);
      if (self->resolver_)
        self->resolver_->cancel();
      self->timer_.cancel();
    });
  }

  void write_locked(std::string_view xml) override {
    if (xml == open_marker) {
      window_->open_stream();
    } else if (xml == close_marker) {
      window_->terminate();
    } else {
      const auto message = with_client_namespace(xml);
      if (window_->queued_bytes() + message.size() > limits_.max_send_buffer) {
        fail_locked(phase::send, "send-buffer-full",
                    std::to_string(window_->queued_bytes() + message.size())
                      + " bytes not taken by the server");
        return;
      }
      window_->send(message);
    }
    schedule_pump_locked();
  }

private:
  std::shared_ptr<bosh_connection> self() {
    return std::static_pointer_cast<bosh_connection>(shared_from_this());
  }

  static void close_channel(channel_t& ch) {
    error_code ignored;
    beast::get_lowest_layer(ch.stream).socket().close(ignored);
  }

  /// Wraps a completion handler: runs it with the mutex held, unless closed.
  template <class F>
  auto locked(channel_t& ch, F f) {
    return [self = self(), ch = &ch, f = std::move(f)](auto&&... args) mutable {
      handler_scope scope{*self};
      if (!self->closed_locked())
        f(*self, *ch, std::forward<decltype(args)>(args)...);
    };
  }

  [[nodiscard]] std::string url() const {
    return (tls ? "https://" : "http://") + spec_->host + ":" + std::to_string(spec_->port)
           + spec_->bosh_path;
  }

  [[nodiscard]] std::chrono::seconds answer_timeout() const {
    return std::chrono::seconds{window_->wait()} + answer_margin;
  }

  // ---- connecting ---------------------------------------------------------------

  void resolve_locked() {
    error_code ec;
    const auto address = asio::ip::make_address(spec_->host, ec);
    if (!ec) {
      endpoint_ = tcp::endpoint{address, spec_->port};
      connect_channel_locked(new_channel_locked());
      return;
    }
    resolver_ = std::make_unique<tcp::resolver>(io_);
    resolver_->async_resolve(spec_->host, std::to_string(spec_->port),
                             [self = self()](const error_code& ec, tcp::resolver::results_type r) {
                               handler_scope scope{*self};
                               if (self->closed_locked())
                                 return;
                               if (ec || r.empty()) {
                                 self->fail_locked(phase::resolve, "resolve-failed",
                                                   self->spec_->host + ": " + ec.message());
                                 return;
                               }
                               self->endpoint_ = r.begin()->endpoint();
                               self->connect_channel_locked(self->new_channel_locked());
                             });
  }

  channel_t& new_channel_locked() {
    if constexpr (tls)
      channels_.push_back(std::make_unique<channel_t>(io_, *ctx_));
    else
      channels_.push_back(std::make_unique<channel_t>(io_));
    return *channels_.back();
  }

  void connect_channel_locked(channel_t& ch) {
    auto& lowest = beast::get_lowest_layer(ch.stream);
    const auto ec = open_from(lowest.socket(), endpoint_.protocol(), spec_->source_address);
    if (ec) {
      fail_locked(phase::connect, "connect-failed", ec.message());
      return;
    }
    lowest.expires_after(answer_timeout());
    lowest.async_connect(
      endpoint_, locked(ch, [](bosh_connection& c, channel_t& ch, const error_code& ec) {
        if (ec) {
          c.fail_locked(phase::connect, "connect-failed", ec.message() + " (" + c.url() + ")");
          return;
        }
        beast::get_lowest_layer(ch.stream).socket().set_option(tcp::no_delay{true});
        c.handshake_locked(ch);
      }));
  }

  void handshake_locked(channel_t& ch) {
    if constexpr (tls) {
      SSL_set_tlsext_host_name(ch.stream.native_handle(), spec_->domain.c_str());
      if (spec_->verify_tls) {
        ch.stream.set_verify_mode(asio::ssl::verify_peer);
        ch.stream.set_verify_callback(asio::ssl::host_name_verification(spec_->domain));
      }
      ch.stream.async_handshake(
        asio::ssl::stream_base::client,
        locked(ch, [](bosh_connection& c, channel_t& ch, const error_code& ec) {
          if (ec) {
            c.fail_locked(phase::tls, "handshake-failed", ec.message());
            return;
          }
          c.secure_ = true;
          c.channel_ready_locked(ch);
        }));
    } else {
      channel_ready_locked(ch);
    }
  }

  void channel_ready_locked(channel_t& ch) {
    ch.connected = true;
    resolver_.reset();
    if (state_ == state::connecting)
      opened_locked();
    if (ch.busy)
      write_request_locked(ch);
    else
      pump_locked();
  }

  // ---- requests -------------------------------------------------------------------

  void schedule_pump_locked() {
    if (pump_posted_ || state_ != state::open)
      return;
    pump_posted_ = true;
    post_locked(self(), [](bosh_connection& c) {
      c.pump_posted_ = false;
      c.pump_locked();
    });
  }

  // Sends what the window allows now, each request on an idle channel; a
  // request held back by the timing rules above comes with the timer.
  void pump_locked() {
    while (!closed_locked()) {
      const auto now = clock::now();
      if (window_->outstanding() > 0 && now < last_sent_ + reorder_guard) {
        if (window_->has_queued() || window_->outstanding() < window_->requests())
          arm_timer_locked(last_sent_ + reorder_guard);
        return;
      }
      const bool poll_due = now >= last_answer_ + poll_delay;
      auto req = window_->next(restarted_ && poll_due);
      if (!req) {
        if (restarted_ && !poll_due && window_->outstanding() < window_->requests())
          arm_timer_locked(last_answer_ + poll_delay);
        return;
      }
      last_sent_ = now;
      restarted_ = restarted_ || req->kind == bosh::request_kind::restart;
      const bool pause = req->kind == bosh::request_kind::pause;
      send_locked(idle_channel_locked(), std::move(*req));
      // With no other request out the session is paused now: wake the client.
      if (pause && window_->paused())
        notify_locked();
    }
  }

  void arm_timer_locked(clock::time_point at) {
    if (timer_armed_ && timer_at_ <= at)
      return;
    timer_armed_ = true;
    timer_at_ = at;
    timer_.expires_at(at);
    timer_.async_wait([self = self(), at](const error_code& ec) {
      handler_scope scope{*self};
      // A wait replaced by an earlier one, or cancelled by the close.
      if (ec || self->closed_locked() || self->timer_at_ != at)
        return;
      self->timer_armed_ = false;
      self->pump_locked();
    });
  }

  channel_t& idle_channel_locked() {
    for (auto& ch : channels_) {
      if (ch->busy)
        continue;
      // A TLS stream cannot be reused once closed: a new one takes its place.
      if (!ch->connected) {
        close_channel(*ch);
        if constexpr (tls)
          ch = std::make_unique<channel_t>(io_, *ctx_);
        else
          ch = std::make_unique<channel_t>(io_);
      }
      return *ch;
    }
    return new_channel_locked();
  }

  void send_locked(channel_t& ch, bosh::request req) {
    ch.busy = true;
    ch.rid = req.rid;
    // The server may keep a pause request as long as the pause.
    ch.timeout =
      req.kind == bosh::request_kind::pause ? pause_asked_ + answer_margin : answer_timeout();
    ch.request = {http::verb::post, spec_->bosh_path, 11};
    ch.request.set(http::field::host, spec_->host + ":" + std::to_string(spec_->port));
    ch.request.set(http::field::content_type, "text/xml; charset=utf-8");
    ch.request.keep_alive(true);
    ch.request.body() = std::move(req.body);
    ch.request.prepare_payload();
    if (ch.connected)
      write_request_locked(ch);
    else
      connect_channel_locked(ch);
  }

  void write_request_locked(channel_t& ch) {
    beast::get_lowest_layer(ch.stream).expires_after(ch.timeout);
    http::async_write(
      ch.stream, ch.request,
      locked(ch, [](bosh_connection& c, channel_t& ch, const error_code& ec, std::size_t) {
        if (ec) {
          c.channel_failed_locked(ch, "write-failed", ec);
          return;
        }
        c.read_answer_locked(ch);
      }));
  }

  void read_answer_locked(channel_t& ch) {
    ch.request.body().clear();
    ch.request.body().shrink_to_fit();
    ch.parser.emplace();
    ch.parser->body_limit(limits_.max_unread_bytes + limits_.max_stanza_bytes);
    http::async_read(ch.stream, ch.buffer, *ch.parser,
                     locked(ch, [](bosh_connection& c, channel_t& ch, const error_code& ec,
                                   std::size_t) { c.on_answer_locked(ch, ec); }));
  }

  void on_answer_locked(channel_t& ch, const error_code& ec) {
    if (ch.abandoned) {
      drop_abandoned_locked(ch);
      return;
    }
    if (ec) {
      channel_failed_locked(ch, "read-failed", ec);
      return;
    }
    auto response = ch.parser->release();
    ch.parser.reset();
    ch.busy = false;
    if (ch.buffer.capacity() > 16 * 1024)
      ch.buffer.shrink_to_fit();
    if (!response.keep_alive()) {
      close_channel(ch);
      ch.connected = false;
    }
    if (response.result() != http::status::ok && window_->terminating()) {
      // Closing: a server may answer requests of an ended session with an
      // error; the session is over either way.
      on_stream_close_locked();
      eof_locked();
      return;
    }
    if (response.result() != http::status::ok) {
      fail_locked(phase::stream, "http-error",
                  "HTTP " + std::to_string(response.result_int()) + " "
                    + std::string{response.reason()} + " from POST " + url());
      return;
    }
    last_answer_ = clock::now();
    window_->answered(ch.rid, std::move(response.body()));
    while (auto a = window_->next_answer()) {
      on_body_locked(a->kind, a->body);
      if (closed_locked())
        return;
    }
    pump_locked();
  }

  // The request of `ch` was given up (closing its connection): whatever
  // ended it is no failure, and the channel takes requests again.
  static void drop_abandoned_locked(channel_t& ch) {
    close_channel(ch);
    ch.parser.reset();
    ch.buffer.consume(ch.buffer.size());
    ch.abandoned = false;
    ch.connected = false;
    ch.busy = false;
  }

  void channel_failed_locked(channel_t& ch, const char* condition, const error_code& ec) {
    if (ch.abandoned) {
      drop_abandoned_locked(ch);
      return;
    }
    if (window_->terminating()) {
      // Stopping: the server may drop its held requests once the session ends.
      close_channel(ch);
      ch.connected = false;
      ch.busy = false;
      return;
    }
    if (ec == beast::error::timeout) {
      fail_locked(std::nullopt, "timeout",
                  "no HTTP answer within " + std::to_string(ch.timeout.count()) + " s from "
                    + url());
      return;
    }
    if (ec == http::error::end_of_stream || ec == asio::error::eof) {
      fail_locked(std::nullopt, "connection-closed",
                  "the server closed the HTTP connection to " + url() + " before answering");
      return;
    }
    if (ec == http::error::body_limit) {
      fail_locked(phase::stream, "stanza-too-large",
                  "a BOSH answer exceeds "
                    + std::to_string(limits_.max_unread_bytes + limits_.max_stanza_bytes)
                    + " bytes");
      return;
    }
    fail_locked(std::nullopt, condition, ec.message() + " (" + url() + ")");
  }

  // ---- answers ----------------------------------------------------------------------

  void on_body_locked(bosh::request_kind kind, std::string_view text) {
    std::string why;
    auto r = bosh::parse_response(text, limits_.max_stanza_bytes, why);
    if (!r) {
      fail_locked(phase::stream, "bad-bosh-body", why + " in \"" + quote(text) + "\"");
      return;
    }
    const bool terminate = r->type == "terminate";
    if (kind == bosh::request_kind::create && !terminate) {
      if (r->sid.empty()) {
        fail_locked(phase::stream, "bad-bosh-body",
                    "the session creation answer has no sid: \"" + quote(text) + "\"");
        return;
      }
      window_->created(*r);
    }
    if ((kind == bosh::request_kind::create || kind == bosh::request_kind::restart) && !terminate)
      on_stream_header_locked();  // XEP-0206 §4: the answer stands for the stream header
    // A <stream:error/> comes inside a terminate (XEP-0206 §7): it fails first.
    for (const auto& child : r->children) {
      deliver_element_locked(child);
      if (closed_locked())
        return;
    }
    if (terminate) {
      on_terminate_locked(*r);
      return;
    }
    notify_locked();
  }

  void on_terminate_locked(const bosh::response& r) {
    if (!r.condition.empty() && !window_->terminating()) {
      fail_locked(phase::stream, "bosh-terminate: " + r.condition,
                  "the server ended the BOSH session with condition '" + r.condition + "'");
      return;
    }
    // The answer to our terminate, or the server ending the session without
    // complaint: the stream is closed.
    on_stream_close_locked();
    eof_locked();
  }

  asio::ssl::context* ctx_;
  tcp::endpoint endpoint_;
  std::unique_ptr<tcp::resolver> resolver_;
  std::optional<bosh::window> window_;
  // Never erased while the connection lives: handlers hold pointers to them.
  std::vector<std::unique_ptr<channel_t>> channels_;
  bool pump_posted_ = false;
  std::chrono::seconds pause_asked_{0};
  clock::time_point last_sent_{};
  clock::time_point last_answer_{};
  bool restarted_ = false;  ///< the stream restarted after SASL: polls may go
  asio::steady_timer timer_{io_};
  clock::time_point timer_at_{};
  bool timer_armed_ = false;
};

}  // namespace

std::shared_ptr<connection> make_bosh_connection(bool tls, asio::io_context& io,
                                                 connection_limits limits, xmpp_metrics& metrics) {
  if (tls) {
    // The trusting context: verification is switched on per connection (with
    // the host name check) when the options ask for it.
    net::tls_settings settings;
    settings.verify_peer = false;
    auto ctx = net::shared_tls_client_context(settings, "xmpp");
    if (!ctx)
      throw error(phase::tls, "tls-setup-failed", context_of(ctx.error()));
    return std::make_shared<bosh_connection<ssl_stream>>(io, limits, metrics, *ctx);
  }
  return std::make_shared<bosh_connection<beast::tcp_stream>>(io, limits, metrics, nullptr);
}

}  // namespace amoc::xmpp::detail
