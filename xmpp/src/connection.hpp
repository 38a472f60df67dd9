#pragma once

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "amoc/loop_turn.hpp"
#include "amoc/parked_waiter.hpp"
#include "amoc/user.hpp"
#include "amoc/xmpp/error.hpp"
#include "amoc/xmpp/stanza.hpp"
#include "amoc/xmpp/stream_framer.hpp"
#include "xmpp_metrics.hpp"

namespace amoc::xmpp::detail {

/// Where and how to connect.
struct endpoint_spec {
  std::string host;
  std::uint16_t port = 0;
  std::string source_address;  ///< local address to bind, or ""
  std::string domain;          ///< the XMPP domain: TLS server name, WebSocket Host
  bool direct_tls = false;     ///< TLS right after TCP connect (XEP-0368)
  bool verify_tls = false;
  std::string websocket_path;  ///< WebSocket transports only
  std::string bosh_path;       ///< BOSH transports only: the HTTP path
  unsigned bosh_hold = 1;      ///< BOSH: requests the server may hold
  unsigned bosh_wait = 60;     ///< BOSH: seconds the server may hold one

  friend bool operator==(const endpoint_spec&, const endpoint_spec&) = default;
};

/// What a server may make a connection hold.
struct connection_limits {
  std::size_t max_stanza_bytes;
  std::size_t max_unread_stanzas;  ///< older unread stanzas are dropped beyond this
  std::size_t max_unread_bytes;    ///< unread stanzas (see `unread_charge`) before failing
  std::size_t max_send_buffer;     ///< unsent bytes before sending fails
};

/// Why a connection failed, and in which phase: the one the transport or the
/// stream names (resolve, connect, tls, stream, receive), otherwise the one
/// the client was in.
struct failure_info {
  xmpp::phase phase;
  std::string condition;
  std::string detail;
};

/// What `connection::start_pause` decided: `condition` empty when the pause
/// request is on its way, else why it is refused.
struct pause_plan {
  std::string condition;
  std::string detail;
  /// How long the client holds no request: the pause asked for, bounded so
  /// that the resume reaches the server before the pause it asked for ends.
  std::chrono::milliseconds hold{0};
};

/// One XMPP connection, shared between the user's coroutine (the actor side)
/// and the I/O thread that reads it. Everything below is guarded by one
/// mutex, uncontended in the common case: the I/O thread frames incoming
/// bytes into stanzas and queues them; the actor side takes them, sends, and
/// parks its coroutine until the next event (a stanza, a state change, a
/// failure). Transports (TCP/TLS, WebSocket, BOSH) derive from it.
class connection : public std::enable_shared_from_this<connection> {
public:
  using clock = std::chrono::steady_clock;

  connection(boost::asio::io_context& io, connection_limits limits, xmpp_metrics& metrics);
  virtual ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // ---- actor side -------------------------------------------------------

  /// Starts resolving, connecting and (direct TLS, WebSocket) the handshakes.
  /// `is_open()` turns true when done, `failure()` tells if it failed.
  virtual void start_connect(std::shared_ptr<const endpoint_spec> spec) = 0;
  /// Starts a TLS handshake on the open connection (STARTTLS, after `<proceed/>`).
  virtual void start_tls() = 0;
  /// Sends XML without blocking: what the socket does not take at once is
  /// buffered and flushed by the I/O thread. A failure shows in `failure()`.
  void send(std::string_view xml);
  /// Closes at once; the peer sees the TCP connection end.
  void close();

  /// The XML that opens and closes a stream on this transport.
  [[nodiscard]] virtual std::string stream_open(std::string_view domain) const = 0;
  [[nodiscard]] virtual std::string stream_close() const = 0;
  /// TLS can be started on this transport (plain TCP).
  [[nodiscard]] virtual bool supports_starttls() const { return false; }
  /// Each element must be sent on its own (one WebSocket message each, RFC
  /// 7395 §3.3.3); a byte stream takes several in one write.
  [[nodiscard]] virtual bool one_element_per_send() const { return false; }

  /// Forgets the current stream: the server opens a new one (after STARTTLS
  /// and SASL success, RFC 6120 §5.4.3.3, §6.4.6). Call before sending the new header.
  void restart_stream();
  /// Session pause (XEP-0124 §10, BOSH only; other transports refuse): asks
  /// the server to keep the session for `length` with no request outstanding.
  virtual pause_plan start_pause(std::chrono::milliseconds length);
  /// The pause request went out and the server answered every request.
  [[nodiscard]] virtual bool pause_settled() const { return false; }
  /// Ends the pause: the next request goes out and the session goes on.
  virtual void end_pause() {}

  /// The server may end the stream now (after an account removal, XEP-0077
  /// §3.2): a stream error then closes it like `</stream:stream>`, no failure.
  void expect_stream_end();

  /// Moves the stanzas received so far to the end of `out`. They still count
  /// as unread until `handed_out`.
  void take_received(std::vector<stanza>& out);

  /// What a wait for unread stanzas looks at, read under the lock once.
  struct unread_look {
    std::uint64_t events;  ///< `events()` before the stanzas were taken
    bool peer_closed;      ///< `peer_closed()`
    bool failed;           ///< `failure()` holds one
    bool half_full;        ///< `unread_half_full()` once they are taken
    [[nodiscard]] bool ended() const noexcept { return peer_closed || failed; }
  };
  /// `take_received(out)` and what a wait needs to know with it, in one
  /// locking of the mutex the I/O thread takes for every read (not four).
  unread_look take_received_and_look(std::vector<stanza>& out);
  /// A stanza taken with `take_received` left the client (the scenario has it).
  void handed_out(const stanza& s);
  /// What an unread stanza counts against `max_unread_bytes`: its text and
  /// the bookkeeping around it (a stanza object, its text's allocation).
  [[nodiscard]] static std::size_t unread_charge(std::size_t xml_bytes) noexcept {
    return xml_bytes + 64;
  }

  /// What the client is doing (and whether it is logging in): a failure the
  /// I/O side finds while the client does it is counted in that phase.
  void set_client_phase(xmpp::phase p, bool logging_in) noexcept;

  /// Counts events: compare two readings to see whether anything happened.
  [[nodiscard]] std::uint64_t events() const;
  [[nodiscard]] bool is_open() const;
  [[nodiscard]] bool is_secure() const;
  [[nodiscard]] bool stream_opened() const;  ///< the server's stream header arrived
  [[nodiscard]] bool peer_closed() const;    ///< the server closed its stream
  [[nodiscard]] std::optional<failure_info> failure() const;

  /// XEP-0198: the I/O thread counts inbound stanzas from the `<enabled/>` or
  /// `<resumed/>` it received on (and answers `<r/>` at once with `<a h='...'/>`);
  /// this adds `inbound_before`, a resumed session's count, to that.
  void enable_stream_management(std::uint32_t inbound_before);
  /// Inbound stanzas counted since stream management was enabled.
  [[nodiscard]] std::uint32_t inbound_handled() const;

  /// Awaitable: resumes when `events()` differs from `seen`, or at `deadline`.
  /// Stanzas received meanwhile wake it only once `stanzas` of them are
  /// queued here, or half of what the connection may hold unread (every
  /// other event wakes it): a wait that needs that many is not woken, and its
  /// user not scheduled, for each one before.
  [[nodiscard]] auto next_event(user& u, clock::time_point deadline, std::uint64_t seen,
                                std::size_t stanzas = 1) {
    stanzas_to_wake_.store(stanzas, std::memory_order_relaxed);
    return wait_until{mutex_, waiter_, u, deadline, [this, seen] { return events_ != seen; }};
  }

protected:
  enum class state : std::uint8_t { idle, connecting, open, closed };

  // ---- I/O side: with `mutex_` held ----------------------------------------

  /// What an I/O handler holds while it runs: a `loop_turn` (the users it
  /// wakes run once it returns, after the lock is free), then the mutex.
  class handler_scope {
  public:
    explicit handler_scope(const connection& c) : guard_(c.mutex_) {}

  private:
    loop_turn turn_;
    std::lock_guard<std::mutex> guard_;
  };

  /// Runs `f(*self)` on the I/O thread in a `handler_scope`, unless the connection closed.
  template <class Self, class F>
  static void post_locked(std::shared_ptr<Self> self, F f) {
    auto& io = self->io_;
    boost::asio::post(io, [self = std::move(self), f = std::move(f)]() mutable {
      handler_scope scope{*self};
      if (!self->closed_locked())
        f(*self);
    });
  }

  /// Frames received bytes; queues stanzas, notes headers, closes and stream errors.
  void deliver_locked(std::string_view bytes);
  /// A complete top-level element from a transport that frames by itself
  /// (WebSocket), checked with `check_element` first: the client reads
  /// received stanzas without parsing them, trusting they parse.
  void deliver_element_locked(std::string_view xml);
  /// The server's stream header (or what stands for it) arrived.
  void on_stream_header_locked();
  void on_stream_close_locked();
  /// Records and counts the first failure (in `p`, or the client's phase),
  /// closes the transport and wakes the waiter. Ignored once closed.
  void fail_locked(std::optional<xmpp::phase> p, std::string condition, std::string detail = {});
  /// "" if `xml` is one well-formed element (a transport that frames by itself
  /// checks each message with it), otherwise why not.
  [[nodiscard]] std::string check_element(std::string_view xml) const;
  /// Something happened: count it and wake the parked coroutine, if any.
  void notify_locked();
  /// Stanzas were queued: count it, and wake the parked coroutine once as
  /// many are queued as it waits for (`next_event`).
  void notify_received_locked();
  /// The connection reached `open` (TCP up and, if asked for, TLS done).
  void opened_locked();
  /// The server ended the connection: cleanly after closing its stream, a failure otherwise.
  void eof_locked();

  /// Transport hooks.
  virtual void close_transport_locked() = 0;
  /// Writes what it can of `out_` now; buffers the rest and arranges a flush.
  virtual void write_locked(std::string_view xml) = 0;

  [[nodiscard]] bool closed_locked() const { return state_ == state::closed; }

  boost::asio::io_context& io_;
  // Shared by the connections made alike (`endpoint_for`): not one copy of
  // its strings per user.
  std::shared_ptr<const endpoint_spec> spec_;
  connection_limits limits_;
  xmpp_metrics& metrics_;
  mutable std::mutex mutex_;
  state state_ = state::idle;
  bool secure_ = false;

private:
  void enter_closed_locked();
  void take_received_locked(std::vector<stanza>& out);
  [[nodiscard]] bool unread_half_full_locked() const;
  void queue_locked(std::string_view xml);
  /// Drops the oldest unread stanza (beyond `max_unread_stanzas`).
  void drop_oldest_locked();
  void answer_ack_request_locked();

  stream_framer framer_;
  std::vector<stanza> incoming_;
  std::size_t oldest_ = 0;  // incoming_[0, oldest_) were dropped: emptied, not erased yet
  std::uint64_t events_ = 0;
  std::uint64_t queued_ = 0;  // stanzas queued since the start
  std::uint64_t dropped_ = 0;
  // Charges (`unread_charge`) of the stanzas received and not handed out:
  // queued here or taken by the client.
  std::size_t unread_bytes_ = 0;
  std::atomic<xmpp::phase> client_phase_{xmpp::phase::connect};
  std::atomic<bool> client_logging_in_{true};
  std::unique_ptr<failure_info> failure_;  // the first; rare, so not held inline
  bool stream_opened_ = false;
  bool peer_closed_ = false;
  bool stream_end_expected_ = false;
  bool counted_open_ = false;
  bool sm_counting_ = false;     // `<enabled/>` or `<resumed/>` came in
  bool sm_enabled_ = false;      // ...and the client took it in (`enable_stream_management`)
  bool sm_ack_pending_ = false;  // an `<r/>` came in between the two
  std::uint32_t sm_inbound_ = 0;
  // The coroutine parked in `next_event`, if any, and how many queued
  // stanzas wake it (set by the actor side before it parks, read under mutex_).
  parked_waiter waiter_;
  std::atomic<std::size_t> stanzas_to_wake_{1};
};

}  // namespace amoc::xmpp::detail
