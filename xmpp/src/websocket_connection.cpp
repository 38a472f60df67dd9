#include "websocket_connection.hpp"

#include <utility>  // before Asio under C++20 (see DESIGN-NOTES)

#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "amoc/error.hpp"
#include "amoc/net/tls_client.hpp"
#include "amoc/source_address.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "client_namespace.hpp"

namespace amoc::xmpp::detail {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::system::error_code;
using tcp = asio::ip::tcp;

std::string_view trimmed(std::string_view s) {
  while (!s.empty()
         && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty()
         && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

template <class Stream>
class websocket_connection final : public connection {
public:
  template <class... Args>
  websocket_connection(asio::io_context& io, connection_limits limits, xmpp_metrics& metrics,
                       Args&&... stream_args)
      : connection(io, limits, metrics), ws_(io, std::forward<Args>(stream_args)...) {}

  ~websocket_connection() override {
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  void start_connect(std::shared_ptr<const endpoint_spec> spec) override {
    std::lock_guard guard{mutex_};
    spec_ = std::move(spec);
    state_ = state::connecting;
    post_locked(self(), [](websocket_connection& c) { c.connect_locked(); });
  }

  void start_tls() override {
    std::lock_guard guard{mutex_};
    fail_locked(phase::tls, "starttls-unsupported",
                "STARTTLS is not used over WebSocket: use the websocket_tls transport");
  }

  [[nodiscard]] std::string stream_open(std::string_view domain) const override {
    return stanzas::ws_open(domain).xml();
  }
  [[nodiscard]] std::string stream_close() const override { return stanzas::ws_close().xml(); }
  [[nodiscard]] bool one_element_per_send() const override { return true; }

protected:
  void close_transport_locked() override {
    // Beast streams belong to the I/O thread.
    asio::post(io_, [self = self()] {
      error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
  }

  void write_locked(std::string_view xml) override {
    auto message = with_client_namespace(xml);
    if (queued_bytes_ + message.size() > limits_.max_send_buffer) {
      fail_locked(phase::send, "send-buffer-full",
                  std::to_string(queued_bytes_ + message.size())
                    + " bytes not taken by the server");
      return;
    }
    queued_bytes_ += message.size();
    out_.push_back(std::move(message));
    if (!writing_ && state_ == state::open)
      post_locked(self(), [](websocket_connection& c) { c.write_next_locked(); });
  }

private:
  std::shared_ptr<websocket_connection> self() {
    return std::static_pointer_cast<websocket_connection>(shared_from_this());
  }

  /// Wraps a completion handler: runs it with the mutex held, unless closed.
  template <class F>
  auto locked(F f) {
    return [self = self(), f = std::move(f)](auto&&... args) mutable {
      handler_scope scope{*self};
      if (!self->closed_locked())
        f(*self, std::forward<decltype(args)>(args)...);
    };
  }

  void connect_locked() {
    error_code ec;
    const auto address = asio::ip::make_address(spec_->host, ec);
    if (!ec) {
      connect_to_locked(tcp::endpoint{address, spec_->port});
      return;
    }
    resolver_ = std::make_unique<tcp::resolver>(io_);
    resolver_->async_resolve(
      spec_->host, std::to_string(spec_->port),
      locked([](websocket_connection& c, const error_code& ec, tcp::resolver::results_type r) {
        if (ec || r.empty()) {
          c.fail_locked(phase::resolve, "resolve-failed", c.spec_->host + ": " + ec.message());
          return;
        }
        c.connect_to_locked(r.begin()->endpoint());
      }));
  }

  void connect_to_locked(const tcp::endpoint& ep) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    const auto ec = open_from(socket, ep.protocol(), spec_->source_address);
    if (ec) {
      fail_locked(phase::connect, "connect-failed", ec.message());
      return;
    }
    socket.async_connect(ep, locked([ep](websocket_connection& c, const error_code& ec) {
                           if (ec) {
                             c.fail_locked(phase::connect, "connect-failed",
                                           ec.message() + " (" + ep.address().to_string() + ":"
                                             + std::to_string(ep.port()) + ")");
                             return;
                           }
                           c.on_tcp_connected_locked();
                         }));
  }

  void on_tcp_connected_locked() {
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay{true});
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      auto& tls = ws_.next_layer();
      SSL_set_tlsext_host_name(tls.native_handle(), spec_->domain.c_str());
      if (spec_->verify_tls) {
        tls.set_verify_mode(asio::ssl::verify_peer);
        tls.set_verify_callback(asio::ssl::host_name_verification(spec_->domain));
      }
      tls.async_handshake(asio::ssl::stream_base::client,
                          locked([](websocket_connection& c, const error_code& ec) {
                            if (ec) {
                              c.fail_locked(phase::tls, "handshake-failed", ec.message());
                              return;
                            }
                            c.secure_ = true;
                            c.websocket_handshake_locked();
                          }));
    } else {
      websocket_handshake_locked();
    }
  }

  void websocket_handshake_locked() {
    // RFC 7395 §3.1: the "xmpp" subprotocol.
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(beast::http::field::sec_websocket_protocol, "xmpp");
    }));
    ws_.read_message_max(limits_.max_stanza_bytes);
    ws_.auto_fragment(false);
    ws_.text(true);
    const auto host = spec_->host + ":" + std::to_string(spec_->port);
    ws_.async_handshake(host, spec_->websocket_path,
                        locked([](websocket_connection& c, const error_code& ec) {
                          if (ec) {
                            c.fail_locked(phase::connect, "websocket-handshake-failed",
                                          ec.message() + " (" + c.spec_->websocket_path + ")");
                            return;
                          }
                          c.resolver_.reset();
                          c.opened_locked();
                          c.read_next_locked();
                          c.write_next_locked();
                        }));
  }

  void read_next_locked() {
    ws_.async_read(in_, locked([](websocket_connection& c, const error_code& ec, std::size_t) {
                     c.on_read_locked(ec);
                   }));
  }

  void on_read_locked(const error_code& ec) {
    if (ec == websocket::error::closed || ec == asio::error::eof) {
      eof_locked();
      return;
    }
    if (ec == websocket::error::message_too_big) {
      fail_locked(phase::stream, "stanza-too-large",
                  "a WebSocket message exceeds " + std::to_string(limits_.max_stanza_bytes)
                    + " bytes");
      return;
    }
    if (ec) {
      fail_locked(std::nullopt, "read-failed", ec.message());
      return;
    }
    const auto data = in_.cdata();
    const auto text = trimmed(std::string_view{static_cast<const char*>(data.data()), data.size()});
    // Each message is one element (RFC 7395 §3.3.3), checked as the framer checks a stream.
    if (auto why = check_element(text); !why.empty()) {
      fail_locked(phase::stream, "malformed-xml", std::move(why));
      return;
    }
    if (text.starts_with("<open"))
      on_stream_header_locked();
    else if (text.starts_with("<close"))
      on_stream_close_locked();
    else if (!text.empty()) {
      deliver_element_locked(text);
      if (!closed_locked())
        notify_received_locked();
    }
    in_.consume(in_.size());
    if (in_.capacity() > 16 * 1024)
      in_.shrink_to_fit();
    if (!closed_locked())
      read_next_locked();
  }

  void write_next_locked() {
    if (writing_ || out_.empty() || state_ != state::open)
      return;
    writing_ = true;
    ws_.async_write(asio::buffer(out_.front()),
                    locked([](websocket_connection& c, const error_code& ec, std::size_t) {
                      c.writing_ = false;
                      if (ec) {
                        c.fail_locked(std::nullopt, "write-failed", ec.message());
                        return;
                      }
                      c.queued_bytes_ -= c.out_.front().size();
                      c.out_.erase(c.out_.begin());
                      c.write_next_locked();
                    }));
  }

  websocket::stream<Stream> ws_;
  std::unique_ptr<tcp::resolver> resolver_;
  beast::flat_buffer in_;
  std::vector<std::string> out_;  // messages to send, in order
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
};

}  // namespace

std::shared_ptr<connection> make_websocket_connection(bool tls, asio::io_context& io,
                                                      connection_limits limits,
                                                      xmpp_metrics& metrics) {
  if (tls) {
    // The trusting context: verification is switched on per connection (with
    // the host name check) when the options ask for it.
    net::tls_settings settings;
    settings.verify_peer = false;
    auto ctx = net::shared_tls_client_context(settings, "xmpp");
    if (!ctx)
      throw error(phase::tls, "tls-setup-failed", context_of(ctx.error()));
    return std::make_shared<websocket_connection<beast::ssl_stream<beast::tcp_stream>>>(
      io, limits, metrics, **ctx);
  }
  return std::make_shared<websocket_connection<beast::tcp_stream>>(io, limits, metrics);
}

}  // namespace amoc::xmpp::detail
