#include "amoc/xmpp/client.hpp"

#include <charconv>
#include <stdexcept>

#include "amoc/io_pool.hpp"
#include "amoc/metrics.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "amoc/xmpp/steps.hpp"
#include "connection.hpp"
#include "share_alike.hpp"
#include "transports.hpp"
#include "xmpp_metrics.hpp"

namespace amoc::xmpp {

namespace {

bool is_stanza(std::string_view xml) {
  return xml.starts_with("<message") || xml.starts_with("<presence") || xml.starts_with("<iq");
}

}  // namespace

// The settings are the same for a run's users: held once per thread's run
// of alike clients (`share_alike`), the account per client.
client::client(user& u, options opts)
    : user_(u),
      settings_(detail::share_alike<connection_settings>(
        static_cast<const connection_settings&>(opts))),
      username_(std::move(opts.username)), password_(std::move(opts.password)),
      source_address_(std::move(opts.source_address)),
      metrics_(u.metrics().attachment<detail::xmpp_metrics>()) {}

client::~client() { kill(); }

detail::connection& client::conn() {
  if (!conn_)
    throw std::logic_error("xmpp::client: not connected (call connect() first)");
  return *conn_;
}

// ---- connecting ---------------------------------------------------------------

task<> client::connect() {
  return connect(settings_->pipelining ? steps::pipelined() : steps::defaults());
}

task<> client::connect(std::vector<step> login_steps) {
  if (conn_)
    throw std::logic_error("xmpp::client: connect() called twice; use a new client to reconnect");
  logging_in_ = true;
  login_started_ = phase_started_ = clock::now();
  phase_ = phase::connect;
  conn_ = detail::make_connection(*settings_, user_.io().next(), metrics_);
  conn_->set_client_phase(phase_, logging_in_);
  conn_->start_connect(detail::endpoint_for(*settings_, source_address_));
  co_await wait_until(
    clock::now() + settings_->connect_timeout, [this] { return conn_->is_open(); }, "connection");
  for (auto& s : login_steps)
    co_await s(*this);
  finish_login_phase();
  logging_in_ = false;
  // Keep the features as shared text: their parsed DOM (a 32 KB pugixml page)
  // or a copy of their text would stay with every connected user for nothing.
  features_text_ = detail::share_alike<std::string>(features_.xml());
  features_ = stanza{};
  metrics_.login.record(clock::now() - login_started_);
  metrics_.logins.add();
  enter(phase::wait);
}

const stanza& client::features() const {
  if (features_text_ && features_.xml().empty())
    features_ = stanza{*features_text_, {}, stanza::checked};
  return features_;
}

void client::set_phase(phase p) {
  if (p == phase_)
    return;
  finish_login_phase();
  enter(p);
}

void client::enter(phase p) {
  phase_ = p;
  if (conn_)
    conn_->set_client_phase(p, logging_in_);
}

void client::finish_login_phase() {
  const auto now = clock::now();
  if (logging_in_)
    metrics_.login_phase_took(phase_, now - phase_started_);
  phase_started_ = now;
}

void client::fail(std::string condition, std::string_view detail) {
  metrics_.failed(phase_, logging_in_);
  throw error(phase_, std::move(condition), detail);
}

void client::fail_with(const detail::failure_info& f, std::string_view doing) {
  // Counted by the connection when it happened, in the phase it names
  // (connect, tls, stream, receive) or the one the client was in then.
  failure_reported_ = true;
  set_phase(f.phase);
  throw error(phase_, f.condition, f.detail.empty() ? doing : std::string_view{f.detail});
}

void client::check_alive(std::string_view doing) {
  if (auto f = conn().failure())
    fail_with(*f, doing);
  if (conn_->peer_closed())
    fail("stream-closed", std::string{"the server closed the stream while waiting for "} += doing);
}

task<> client::wait_until(clock::time_point deadline, std::function<bool()> ready,
                          std::string_view what) {
  for (;;) {
    const auto seen = conn().events();
    // Looked at before `ready()`: a close that comes in between must not
    // fail a wait it satisfies (stop() waits for exactly that close).
    const bool ended = conn_->peer_closed() || conn_->failure();
    if (ready())
      co_return;
    if (ended)
      check_alive(what);
    if (clock::now() >= deadline)
      fail("timeout", std::string{"no "} += what);
    co_await conn_->next_event(user_, deadline, seen);
  }
}

void client::send_raw(std::string_view xml) {
  if (auto f = conn().failure())
    fail_with(*f, "sending");
  conn_->send(xml);
}

void client::expect_stream_end() { conn().expect_stream_end(); }

task<> client::open_stream(std::string_view then) {
  conn().restart_stream();
  auto header = conn_->stream_open(settings_->domain);
  if (conn_->one_element_per_send()) {
    send_raw(header);
    if (!then.empty())
      send_raw(then);
  } else {
    send_raw(header.append(then));  // one write, one packet
  }
  co_await wait_until(
    clock::now() + settings_->step_timeout, [this] { return conn_->stream_opened(); },
    "stream header");
}

task<> client::read_features() {
  features_text_.reset();
  features_ = co_await expect(is::stream_features(), "stream features");
}

task<> client::upgrade_to_tls() {
  conn().restart_stream();
  conn_->start_tls();
  co_await wait_until(
    clock::now() + settings_->connect_timeout, [this] { return conn_->is_secure(); },
    "TLS handshake");
}

task<std::optional<stanza>> client::next_stanza(clock::time_point deadline, predicate pred,
                                                std::string_view what, wait_rules rules) {
  const auto started = clock::now();
  std::size_t refused = 0;
  for (;;) {
    const auto look = conn().take_received_and_look(received_);
    if (auto s = match_taken(pred, refused))
      co_return s;
    if (rules.close_ends && look.peer_closed)
      co_return std::nullopt;
    if (look.ended())
      check_alive(what);
    if (clock::now() >= deadline) {
      if (rules.timeout_fails)
        fail("timeout",
             (std::string{"no "} += what) + " within "
               + amoc::to_string(std::chrono::ceil<std::chrono::milliseconds>(deadline - started)));
      co_return std::nullopt;
    }
    co_await conn_->next_event(user_, deadline, look.events);
  }
}

task<stanza> client::expect(predicate pred, std::string_view what) {
  auto s = co_await next_stanza(clock::now() + settings_->step_timeout, std::move(pred), what,
                                {.timeout_fails = true, .close_ends = false});
  co_return std::move(*s);
}

task<std::optional<stanza>> client::expect_or_close(predicate pred, std::string_view what) {
  return next_stanza(clock::now() + settings_->step_timeout, std::move(pred), what,
                     {.timeout_fails = true, .close_ends = true});
}

void client::stream_management_enabled(std::string id, std::uint32_t inbound,
                                       std::uint32_t outbound) {
  sm_enabled_ = true;
  sm_id_ = std::move(id);
  sm_outbound_ = outbound;
  conn().enable_stream_management(inbound);
}

// ---- stanzas ----------------------------------------------------------------------

void client::send(const stanza& s) {
  if (!logging_in_)
    enter(phase::send);
  const auto& xml = s.xml();
  send_raw(xml);
  if (is_stanza(xml)) {
    metrics_.stanzas_sent.add();
    if (sm_enabled_)
      ++sm_outbound_;
  }
  if (xml.starts_with("<message"))
    metrics_.messages_sent.add();
}

std::optional<stanza> client::take_matching(const predicate& pred, std::size_t& refused) {
  // What a wait took already comes first: the connection is locked only
  // when none of it matches (a count after `wait_for_unread` takes no lock
  // per stanza).
  if (auto s = match_taken(pred, refused))
    return s;
  conn().take_received(received_);
  return match_taken(pred, refused);
}

std::optional<stanza> client::match_taken(const predicate& pred, std::size_t& refused) {
  // Stanzas this wait's predicate refused before are not looked at again:
  // each wake-up of a selective wait costs only what came since.
  // Not parsed here: every transport hands out elements its framer checked
  // (connection::deliver_locked, check_element), so each one parses, and a
  // chat that is only counted and timed is read from its text (stanza.hpp).
  for (auto it = received_.begin() + static_cast<long>(refused); it != received_.end(); ++it) {
    if (!pred || pred(*it)) {
      stanza s = std::move(*it);
      received_.erase(it);
      // Emptied: its buffer goes, or each waiting user would keep two (this
      // one and the connection's queue, which swap at every take).
      if (received_.empty())
        received_ = {};
      conn_->handed_out(s);
      on_received(s);
      return s;
    }
    // Kept as text only: a queue of refused stanzas with their DOMs would
    // hold some 5-30 KB each (the next wait parses them again, once).
    it->drop_parsed();
    ++refused;
  }
  return std::nullopt;
}

void client::on_received(const stanza& s) {
  if (s.name() != "message")
    return;
  if (auto sent = stanzas::sent_timestamp(s)) {
    const auto ttd = s.received_at() - *sent;
    metrics_.ttd.record(std::chrono::duration_cast<duration>(ttd));
  }
}

task<std::optional<stanza>> client::receive(duration timeout, predicate pred) {
  if (!logging_in_)
    enter(phase::wait);
  return next_stanza(clock::now() + timeout, std::move(pred), "a stanza",
                     {.timeout_fails = false, .close_ends = false});
}

task<stanza> client::wait_for_stanza(duration timeout) {
  return wait_for_stanza(timeout, is::any());
}

task<stanza> client::wait_for_stanza(duration timeout, predicate pred) {
  if (!logging_in_)
    enter(phase::wait);
  auto s = co_await next_stanza(clock::now() + timeout, std::move(pred), "matching stanza",
                                {.timeout_fails = true, .close_ends = false});
  co_return std::move(*s);
}

std::size_t client::unread() {
  conn().take_received(received_);
  return received_.size();
}

void client::enter_wait() {
  if (!logging_in_)
    enter(phase::wait);
}

std::optional<bool> client::look_unread(clock::time_point deadline, std::size_t n,
                                        std::uint64_t& events) {
  // The close or failure is seen with the stanzas that came before it
  // (as in wait_until): those are handed out first, the close fails the next wait.
  const auto look = conn().take_received_and_look(received_);
  if (received_.size() >= n)
    return true;
  if (!received_.empty() && (look.ended() || look.half_full))
    return false;
  if (look.ended())
    check_alive("a stanza");
  if (clock::now() >= deadline)
    return false;
  events = look.events;
  return std::nullopt;
}

task<bool> client::wait_for_unread(clock::time_point deadline, std::size_t n) {
  enter_wait();
  std::uint64_t events = 0;
  for (;;) {
    if (const auto done = look_unread(deadline, n, events))
      co_return *done;
    co_await conn_->next_event(user_, deadline, events, n - received_.size());
  }
}

std::optional<stanza> client::take_next() {
  std::size_t refused = 0;
  return take_matching({}, refused);
}

std::vector<stanza> client::take_received() {
  std::vector<stanza> taken;
  std::size_t refused = 0;
  while (auto s = take_matching({}, refused))
    taken.push_back(std::move(*s));
  if (taken.empty())
    check_alive("stanzas");
  return taken;
}

task<stanza> client::send_iq_and_wait(const stanza& iq, duration timeout) {
  std::string id{iq.id()};
  if (id.empty())
    throw std::invalid_argument("send_iq_and_wait: the iq has no id");
  send(iq);
  co_return co_await wait_for_stanza(timeout, is::iq_with_id(id));
}

task<stanza> client::send_iq_and_wait_for_result(const stanza& iq, duration timeout) {
  auto reply = co_await send_iq_and_wait(iq, timeout);
  if (reply.type() == "error") {
    const auto cond = stanza_error_condition(reply);
    fail("iq-error: " + cond.condition, cond.text);
  }
  co_return reply;
}

// ---- BOSH session pause -----------------------------------------------------------

task<> client::pause(duration length) {
  enter(phase::send);
  if (settings_->transport != transport::bosh && settings_->transport != transport::bosh_tls)
    fail("pause-unsupported", std::string{"only a BOSH session pauses (XEP-0124 §10): this "
                                          "client's transport is "}
                                + to_string(settings_->transport) + ", not bosh or bosh_tls");
  if (length <= duration::zero())
    fail("bad-pause", "a pause of " + amoc::to_string(length) + ": it must be positive");
  check_alive("a pause");
  const auto plan = conn_->start_pause(std::chrono::ceil<std::chrono::milliseconds>(length));
  if (!plan.condition.empty())
    fail(plan.condition, plan.detail);
  try {
    co_await wait_until(
      clock::now() + settings_->step_timeout, [this] { return conn_->pause_settled(); },
      "answer to the held BOSH requests after the pause request");
  } catch (const error&) {
    // A scenario that goes on after the failure must not find its session
    // still holding every request back.
    conn_->end_pause();
    throw;
  }
  enter(phase::wait);
  co_await user_.sleep(plan.hold);
  check_alive("the end of a pause");
  conn_->end_pause();
}

// ---- closing ------------------------------------------------------------------------

task<> client::stop(duration timeout) {
  // A failure the scenario was not told about (it happened while the user
  // did something else) ends the user as it would have ended a wait.
  if (auto f = conn_ ? conn_->failure() : std::nullopt; f && !failure_reported_) {
    kill();
    fail_with(*f, "closing");
  }
  if (!conn_ || !conn_->is_open()) {
    kill();
    co_return;
  }
  enter(phase::close);
  // XEP-0198 §4: acknowledge what arrived since the server last asked, or it
  // takes those stanzas as undelivered when the stream ends (ejabberd stores
  // such messages offline, and the next login gets them again).
  if (sm_enabled_)
    send_raw(stanzas::sm_ack(conn_->inbound_handled()).xml());
  send_raw(conn_->stream_close());
  co_await wait_until(
    clock::now() + timeout, [this] { return conn_->peer_closed(); },
    "stream close from the server");
  kill();
}

void client::kill() {
  if (conn_)
    conn_->close();
}

// ---- state --------------------------------------------------------------------------

bool client::connected() const { return conn_ && conn_->is_open(); }

bool client::secure() const { return conn_ && conn_->is_secure(); }

bool client::stream_open() const { return conn_ && conn_->stream_opened(); }

sm_state client::stream_management() const {
  if (!sm_enabled_)
    return {};
  return {sm_id_, conn_->inbound_handled(), sm_outbound_};
}

task<bool> client::request_ack(duration timeout) {
  if (!sm_enabled_)
    fail("sm-not-enabled", "request_ack needs stream management (options.stream_management)");
  send_raw(stanzas::sm_request().xml());
  auto ack = co_await wait_for_stanza(timeout, is::sm_ack());
  const auto h = ack.attribute("h");
  std::uint32_t acked = 0;
  if (std::from_chars(h.data(), h.data() + h.size(), acked).ec != std::errc{})
    fail("bad-ack", "an <a/> with h='" + std::string{h} + "'");
  co_return acked >= sm_outbound_;
}

}  // namespace amoc::xmpp
