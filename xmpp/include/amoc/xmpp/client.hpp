#pragma once

/// The XMPP client for scenarios: what escalus gives Erlang scenarios, as
/// C++ coroutines run by the simulated user's actor.
///
///   xmpp::client c{u, xmpp::options::from(u)};   // user_<id> / password_<id>, or users_file
///   co_await c.connect();                        // TCP, STARTTLS, SASL, bind, session
///   c.send(xmpp::stanzas::presence());
///   c.send(xmpp::stanzas::chat_with_timestamp(peer, "hello"));
///   auto msg = co_await c.wait_for_stanza(5s, xmpp::is::chat());
///   co_await c.stop();                           // closes the stream, waits for the server
///
/// Over BOSH a user may step away and come back, as a browser tab does:
///
///   co_await c.pause(30s);   // XEP-0124 §10: the server keeps the session and
///                            // queues what comes; the stanzas follow the resume
///
/// Every failure throws `xmpp::error` naming its phase (connect, tls, sasl,
/// bind, wait, ...) and is counted in `xmpp.failures.<phase>`; uncaught, it
/// ends the user with reason `scenario_error`. A forced stop of the user
/// destroys the coroutine and with it the client, which closes the socket.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/config.hpp"
#include "amoc/task.hpp"
#include "amoc/user.hpp"
#include "amoc/xmpp/error.hpp"
#include "amoc/xmpp/jid.hpp"
#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp {

namespace detail {
class connection;
struct failure_info;
struct xmpp_metrics;
}  // namespace detail

/// How bytes reach the server.
enum class transport : std::uint8_t {
  tcp,            ///< RFC 6120 over TCP (STARTTLS as configured)
  tls,            ///< TLS from the first byte (XEP-0368, usually port 5223)
  websocket,      ///< RFC 7395 over ws://
  websocket_tls,  ///< RFC 7395 over wss://
  bosh,           ///< BOSH (XEP-0124, XEP-0206) over http://
  bosh_tls,       ///< BOSH over https://
};

/// "tcp", "tls", "websocket", ... (as `xmpp_transport` spells them).
[[nodiscard]] const char* to_string(transport t) noexcept;

/// Whether to upgrade a TCP connection with STARTTLS.
enum class starttls : std::uint8_t {
  off,       ///< never
  optional,  ///< when the server offers it
  required,  ///< fail in phase `tls` when the server does not offer it
};

using namespace std::chrono_literals;

/// How a client connects and logs in, the same for every user of a run (the
/// `xmpp_*` variables): the clients made alike hold one copy of it.
struct connection_settings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 5222;
  std::string domain = "localhost";
  std::string resource = "amoc";
  xmpp::transport transport = transport::tcp;
  xmpp::starttls starttls = starttls::optional;
  /// Check the server's certificate and name (off: self-signed servers work).
  bool verify_tls = false;
  /// SASL mechanisms to use, in order of preference, among those offered.
  std::vector<std::string> sasl_mechanisms = {"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"};
  /// Path of the WebSocket endpoint (websocket transports).
  std::string websocket_path = "/ws-xmpp";
  /// Path of the BOSH endpoint (bosh transports): ejabberd serves /bosh,
  /// Prosody /http-bind.
  std::string bosh_path = "/bosh";
  /// BOSH: requests the server may keep waiting to push stanzas with
  /// (XEP-0124 `hold`); one more carries what the client sends.
  unsigned bosh_hold = 1;
  /// BOSH: how long the server may keep a request waiting (XEP-0124 `wait`,
  /// whole seconds; the server may shorten it).
  duration bosh_wait = 60s;
  duration connect_timeout = 5s;  ///< TCP and TLS (or WebSocket) connection
  duration step_timeout = 5s;     ///< each answer during login and stop
  std::size_t max_stanza_bytes = 1 << 20;
  /// Unread stanzas kept per connection; the oldest are dropped beyond it.
  std::size_t max_unread_stanzas = 1000;
  /// Bytes of stanzas received and not read yet (text plus 64 bytes each)
  /// per connection; beyond it the connection fails in phase `receive`.
  std::size_t max_unread_bytes = 1 << 20;
  /// XEP-0198 stream management: enable it when the server offers it.
  bool stream_management = false;
  /// ...and ask for a resumable session.
  bool stream_resumption = false;
  /// Log in with fewer round trips (XEP-0305 §3, `steps::pipelined()`): the
  /// stream header goes out with the SASL `<auth/>`, the restarted stream's
  /// header with the bind request.
  bool pipelining = false;

  bool operator==(const connection_settings&) const = default;
};

/// Where and how a client connects and logs in, and as whom: the settings
/// and one user's account, usually read by `options::from`.
struct options : connection_settings {
  std::string username;
  std::string password;
  /// Local address to connect from ("" lets the system choose).
  std::string source_address;

  /// Options from the run's config for user `u` (the `xmpp_*` variables,
  /// see `config_variables()`): username and password from the user's row of
  /// the `users_file` when one is set, else `user_<id>` / `password_<id>`.
  [[nodiscard]] static options from(const user& u);
};

/// The username (JID localpart) of user `id`, to address another user: from
/// the `users_file` when one is set (that user's row), else `user_<id>`.
[[nodiscard]] std::string username_of(const user& u, std::uint64_t id);

/// The bare JID of `u`'s partner when users chat in pairs (1 with 2, 3 with
/// 4, ...); "" with a warning when the `users_file` has no row for it (the
/// last user of an odd count), so that user only listens.
[[nodiscard]] std::string pair_partner_jid(const user& u, const std::string& domain);

/// The config variables `options::from` reads, with defaults and rules, to
/// declare in a scenario's registration: `AMOC_REGISTER_SCENARIO(...,
/// (xmpp::config_variables({...mine})))`.
[[nodiscard]] std::vector<config::variable>
config_variables(std::vector<config::variable> more = {});

/// XEP-0198 state of a connection, for resuming its session on a new one.
struct sm_state {
  std::string id;              ///< the session id from `<enabled/>` ("" when not resumable)
  std::uint32_t inbound = 0;   ///< stanzas received and handled
  std::uint32_t outbound = 0;  ///< stanzas sent
};

class client;

/// One login step, escalus style: `co_await step(client)`. See `steps`.
using step = std::function<task<>(client&)>;

/// One user's XMPP connection: connect, log in step by step, send stanzas and
/// await the ones that match a predicate, from the scenario coroutine.
class client {
public:
  /// A client for user `u`; nothing happens until `connect()`.
  client(user& u, options opts);
  /// Closes the connection at once if it is still open.
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // ---- connecting -----------------------------------------------------------

  /// Connects and logs in with `steps::defaults()`.
  [[nodiscard]] task<> connect();
  /// Connects, then runs `login_steps` in order (see `steps`).
  [[nodiscard]] task<> connect(std::vector<step> login_steps);
  /// The same with the steps as arguments:
  /// `co_await c.connect_with(steps::start_stream, steps::authenticate, steps::bind);`
  /// (g++ 12 cannot `co_await c.connect({...})`: a braced list's array does not
  /// survive the suspension; this builds the list outside the coroutine).
  template <class... Steps>
  [[nodiscard]] task<> connect_with(Steps&&... login_steps) {
    return connect(std::vector<step>{step{std::forward<Steps>(login_steps)}...});
  }

  // ---- stanzas --------------------------------------------------------------

  /// Sends a stanza without waiting (what the socket does not take at once is
  /// flushed in the background). Throws in phase `send` if the connection failed.
  void send(const stanza& s);
  /// The next stanza received; throws in phase `wait` on timeout or a lost connection.
  [[nodiscard]] task<stanza> wait_for_stanza(duration timeout);
  /// The first received stanza `pred` accepts; stanzas it refuses stay queued
  /// for later waits, in order (as Erlang's selective receive).
  [[nodiscard]] task<stanza> wait_for_stanza(duration timeout, predicate pred);
  /// Like `wait_for_stanza`, but a timeout gives nullopt instead of throwing.
  [[nodiscard]] task<std::optional<stanza>> receive(duration timeout, predicate pred = is::any());
  /// Stanzas received and not handed out yet (a quick look, never waits).
  [[nodiscard]] std::size_t unread();
  /// Waits until `n` stanzas are unread or `deadline` passes, without waking
  /// for each stanza that arrives before (see `count_received`); true when
  /// they are there. It also returns false, to take them, once the unread
  /// stanzas fill half of what a connection may hold (`xmpp_max_unread_bytes`,
  /// 1,000 stanzas). A failed or closed connection ends the wait: with
  /// stanzas still unread it returns false (take them), without it throws as
  /// `receive` does.
  [[nodiscard]] task<bool> wait_for_unread(std::chrono::steady_clock::time_point deadline,
                                           std::size_t n);
  /// The oldest unread stanza, without waiting; nullopt when none is unread.
  [[nodiscard]] std::optional<stanza> take_next();
  /// Takes every stanza received so far, without waiting. Arrival times are
  /// taken by the I/O thread, so reading in batches (say once per message
  /// sent) keeps time to delivery exact while the user wakes half as often.
  [[nodiscard]] std::vector<stanza> take_received();
  /// Sends an iq and waits for the result or error with the same id.
  [[nodiscard]] task<stanza> send_iq_and_wait(const stanza& iq, duration timeout);
  /// Same, but an error reply throws (in the current phase) naming its condition.
  [[nodiscard]] task<stanza> send_iq_and_wait_for_result(const stanza& iq, duration timeout);

  // ---- BOSH session pause ----------------------------------------------------

  /// Pauses the BOSH session (XEP-0124 §10) for `length`, then resumes it: a
  /// request with `pause` asks the server to keep the session with no request
  /// outstanding (it answers those it holds at once; ejabberd 23.01 never
  /// answers the pause request itself, the client drops it at the resume);
  /// the client sends nothing for `length` (stanzas sent meanwhile wait) and
  /// then polls again with the next rid. What the server queued meanwhile arrives after the resume,
  /// in order, for the usual waits. The request asks for one second more than `length` (within
  /// `maxpause`) so that the resume arrives in time; a pause of exactly `maxpause` resumes a second
  /// early for the same reason. Throws in phase `send`: `pause-unsupported` on a transport other
  /// than bosh / bosh_tls (a scenario that pauses a TCP user measures something other than it says:
  /// no silent no-op) or when the server announced no `maxpause` (Prosody 0.12); `pause-too-long`
  /// when `length` (rounded up to whole seconds) exceeds `maxpause` (ejabberd: 120 s); `bad-pause`
  /// when `length` is not positive; `timeout` when the server does not answer the requests it holds
  /// within `step_timeout`.
  [[nodiscard]] task<> pause(duration length);

  // ---- closing --------------------------------------------------------------

  /// Closes the stream and waits for the server to close its own (or throws in
  /// phase `close` after `timeout`); then closes the connection. If the
  /// connection failed and no call has thrown that failure yet, throws it.
  [[nodiscard]] task<> stop(duration timeout = 5s);
  /// Closes the connection at once, without closing the stream.
  void kill();

  // ---- state ------------------------------------------------------------------

  [[nodiscard]] bool connected() const;
  /// The bound full JID (after the bind step; empty before).
  [[nodiscard]] const xmpp::jid& jid() const noexcept { return jid_; }
  [[nodiscard]] bool secure() const;
  /// How this client connects: one copy shared by the clients of a run made
  /// alike (a copy per user was 360 bytes of each user's memory).
  [[nodiscard]] const connection_settings& settings() const noexcept { return *settings_; }
  /// The account this client logs in with (`options::username`, `password`).
  [[nodiscard]] const std::string& username() const noexcept { return username_; }
  [[nodiscard]] const std::string& password() const noexcept { return password_; }
  [[nodiscard]] user& owner() const noexcept { return user_; }
  /// XEP-0198 state (for `steps::resume` on a new client).
  [[nodiscard]] sm_state stream_management() const;
  /// Sends `<r/>` and waits for the server's `<a/>`; true when it acked every stanza sent.
  [[nodiscard]] task<bool> request_ack(duration timeout);

  // ---- for login steps (see amoc/xmpp/steps.hpp) -----------------------------

  /// The phase failures are attributed to; each login step sets its own.
  void set_phase(phase p);
  [[nodiscard]] phase current_phase() const noexcept { return phase_; }
  /// Throws `xmpp::error` in the current phase, counting it.
  [[noreturn]] void fail(std::string condition, std::string_view detail = {});
  /// The server may end the stream from now on, with a stream error even
  /// (XEP-0077 §3.2 after an account removal): that closes it, no failure.
  void expect_stream_end();
  /// Sends raw XML (stream headers, nonzas); counted as nothing.
  void send_raw(std::string_view xml);
  /// Opens a new stream (restarting the framer) and waits for the server's
  /// header; `then` goes out right behind the header, in the same write
  /// (pipelining, XEP-0305 §3).
  [[nodiscard]] task<> open_stream(std::string_view then = {});
  /// The server's header of the current stream arrived.
  [[nodiscard]] bool stream_open() const;
  /// Waits for the `<stream:features/>` of the current stream (after `open_stream`).
  [[nodiscard]] task<> read_features();
  /// The features of the current stream.
  [[nodiscard]] const stanza& features() const;
  /// Upgrades the connection to TLS (after `<proceed/>`) and waits for the handshake.
  [[nodiscard]] task<> upgrade_to_tls();
  /// Waits for a stanza `pred` accepts, in the current phase, `step_timeout` at most.
  [[nodiscard]] task<stanza> expect(predicate pred, std::string_view what);
  /// Like `expect`, but nullopt when the server closes its stream instead of answering.
  [[nodiscard]] task<std::optional<stanza>> expect_or_close(predicate pred, std::string_view what);
  /// Records the bound JID (bind step).
  void set_bound_jid(xmpp::jid j) { jid_ = std::move(j); }
  /// Records that XEP-0198 is on, with the stanza counts to start from (both 0, or a resumed
  /// session's).
  void stream_management_enabled(std::string id, std::uint32_t inbound, std::uint32_t outbound);

private:
  using clock = std::chrono::steady_clock;

  // Waits inline on the connection: one coroutine frame per count, not a
  // second one for each wait inside it (`wait_for_unread`'s).
  friend task<std::int64_t> count_received(client& c, clock::time_point until, std::int64_t wanted,
                                           predicate pred);

  [[nodiscard]] detail::connection& conn();
  /// Enters phase `wait`, unless logging in.
  void enter_wait();
  /// One look of a wait for `n` unread stanzas (see `wait_for_unread`): true
  /// when they are there, false when they must be taken now (or `deadline`
  /// passed), nullopt to wait for the connection's next event after `events`.
  [[nodiscard]] std::optional<bool> look_unread(clock::time_point deadline, std::size_t n,
                                                std::uint64_t& events);
  /// Waits until `ready()` holds, in the current phase, until `deadline`.
  [[nodiscard]] task<> wait_until(clock::time_point deadline, std::function<bool()> ready,
                                  std::string_view what);
  /// Throws if the connection failed or the server closed it.
  void check_alive(std::string_view doing);
  /// Throws the connection's failure, in the phase the transport names or the current one.
  [[noreturn]] void fail_with(const detail::failure_info& f, std::string_view doing);
  /// What a stanza wait does when nothing came in time, or the stream closed.
  struct wait_rules {
    bool timeout_fails;  ///< throw on timeout (else nullopt)
    bool close_ends;     ///< a clean close by the server gives nullopt (else throws)
  };
  /// The first stanza `pred` accepts, waiting until `deadline`.
  [[nodiscard]] task<std::optional<stanza>> next_stanza(clock::time_point deadline, predicate pred,
                                                        std::string_view what, wait_rules rules);
  /// Takes the first stanza `pred` accepts (parsing it), if any, of those
  /// taken from the connection and then of those queued there, skipping the
  /// first `refused` (refused before); counts those it refuses.
  [[nodiscard]] std::optional<stanza> take_matching(const predicate& pred, std::size_t& refused);
  /// `take_matching` among the stanzas already taken from the connection.
  [[nodiscard]] std::optional<stanza> match_taken(const predicate& pred, std::size_t& refused);
  void on_received(const stanza& s);
  void finish_login_phase();
  /// Sets the phase failures are attributed to, here and in the connection.
  void enter(phase p);

  user& user_;
  std::shared_ptr<const connection_settings> settings_;
  std::string username_;
  std::string password_;
  std::string source_address_;
  detail::xmpp_metrics& metrics_;
  std::shared_ptr<detail::connection> conn_;
  std::vector<stanza> received_;  // taken from the connection, not handed out yet
  mutable stanza features_;
  // After login: the features' text, one copy shared by the clients that got
  // the same (a run's users do); `features()` makes `features_` from it again.
  std::shared_ptr<const std::string> features_text_;
  xmpp::jid jid_;
  phase phase_ = phase::connect;
  bool logging_in_ = false;
  bool failure_reported_ = false;  // the connection's failure was thrown to the scenario
  clock::time_point phase_started_{};
  clock::time_point login_started_{};
  // XEP-0198
  bool sm_enabled_ = false;
  std::string sm_id_;
  std::uint32_t sm_outbound_ = 0;
};

}  // namespace amoc::xmpp
