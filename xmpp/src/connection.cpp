#include "connection.hpp"

#include <algorithm>
#include <utility>

#include "amoc/xmpp/namespaces.hpp"

#include "amoc/log.hpp"
#include "amoc/xmpp/predicates.hpp"

namespace amoc::xmpp::detail {

namespace {

bool is_stanza(std::string_view xml) {
  return xml.starts_with("<message") || xml.starts_with("<presence") || xml.starts_with("<iq");
}

// `<r xmlns='urn:xmpp:sm:3'/>`: cheap to spot, so acks never wait for the user.
bool is_ack_request(std::string_view xml) {
  return (xml.starts_with("<r ") || xml.starts_with("<r/")) && xml.find(ns::sm) != xml.npos;
}

// `<enabled/>` or `<resumed/>` (XEP-0198 §4, §5): the server counts the
// stanzas it sends from there on, and may send some right behind it.
bool starts_sm_count(std::string_view xml) {
  return (xml.starts_with("<enabled") || xml.starts_with("<resumed"))
         && xml.find(ns::sm) != xml.npos;
}

}  // namespace

connection::connection(boost::asio::io_context& io, connection_limits limits, xmpp_metrics& metrics)
    : io_(io), limits_(limits), metrics_(metrics), framer_(limits.max_stanza_bytes) {}

connection::~connection() {
  if (counted_open_)
    metrics_.connected.add(-1);
}

// ---- actor side -------------------------------------------------------------

void connection::send(std::string_view xml) {
  std::lock_guard guard{mutex_};
  if (state_ == state::closed || failure_)
    return;
  write_locked(xml);
}

void connection::close() {
  std::lock_guard guard{mutex_};
  waiter_.forget();
  enter_closed_locked();
}

void connection::restart_stream() {
  std::lock_guard guard{mutex_};
  framer_.reset();
  stream_opened_ = false;
}

void connection::expect_stream_end() {
  std::lock_guard guard{mutex_};
  stream_end_expected_ = true;
}

pause_plan connection::start_pause(std::chrono::milliseconds) {
  return {"pause-unsupported", "only a BOSH session pauses (XEP-0124 §10)", {}};
}

void connection::handed_out(const stanza& s) {
  std::lock_guard guard{mutex_};
  unread_bytes_ -= std::min(unread_bytes_, unread_charge(s.xml().size()));
}

void connection::set_client_phase(xmpp::phase p, bool logging_in) noexcept {
  client_phase_.store(p, std::memory_order_relaxed);
  client_logging_in_.store(logging_in, std::memory_order_relaxed);
}

void connection::take_received(std::vector<stanza>& out) {
  std::lock_guard guard{mutex_};
  take_received_locked(out);
}

connection::unread_look connection::take_received_and_look(std::vector<stanza>& out) {
  std::lock_guard guard{mutex_};
  unread_look look{events_, peer_closed_, failure_ != nullptr, false};
  take_received_locked(out);
  look.half_full = unread_half_full_locked();
  return look;
}

void connection::take_received_locked(std::vector<stanza>& out) {
  if (incoming_.size() == oldest_)
    return;
  if (out.empty() && oldest_ == 0) {
    out.swap(incoming_);
  } else {
    out.insert(out.end(), std::make_move_iterator(incoming_.begin() + static_cast<long>(oldest_)),
               std::make_move_iterator(incoming_.end()));
    incoming_.clear();
  }
  oldest_ = 0;
  // A burst must not leave a big buffer behind on an idle connection.
  if (incoming_.capacity() > 64)
    incoming_.shrink_to_fit();
}

std::uint64_t connection::events() const {
  std::lock_guard guard{mutex_};
  return events_;
}

bool connection::is_open() const {
  std::lock_guard guard{mutex_};
  return state_ == state::open;
}

bool connection::is_secure() const {
  std::lock_guard guard{mutex_};
  return secure_;
}

bool connection::stream_opened() const {
  std::lock_guard guard{mutex_};
  return stream_opened_;
}

bool connection::peer_closed() const {
  std::lock_guard guard{mutex_};
  return peer_closed_;
}

std::optional<failure_info> connection::failure() const {
  std::lock_guard guard{mutex_};
  return failure_ ? std::optional{*failure_} : std::nullopt;
}

void connection::enable_stream_management(std::uint32_t inbound_before) {
  std::lock_guard guard{mutex_};
  sm_enabled_ = true;
  sm_inbound_ += inbound_before;
  if (std::exchange(sm_ack_pending_, false))
    answer_ack_request_locked();
}

std::uint32_t connection::inbound_handled() const {
  std::lock_guard guard{mutex_};
  return sm_inbound_;
}

// ---- I/O side ---------------------------------------------------------------

void connection::notify_locked() {
  ++events_;
  waiter_.wake();
}

bool connection::unread_half_full_locked() const {
  return (incoming_.size() - oldest_) * 2 >= limits_.max_unread_stanzas
         || unread_bytes_ * 2 >= limits_.max_unread_bytes;
}

void connection::notify_received_locked() {
  // Half way to a limit the waiter is woken however many it waits for: it
  // must read before the oldest are dropped or the connection fails.
  if (incoming_.size() - oldest_ >= stanzas_to_wake_.load(std::memory_order_relaxed)
      || unread_half_full_locked())
    notify_locked();
  else
    ++events_;
}

void connection::opened_locked() {
  state_ = state::open;
  if (!counted_open_) {
    counted_open_ = true;
    metrics_.connections.add();
    metrics_.connected.add(1);
  }
  notify_locked();
}

void connection::fail_locked(std::optional<xmpp::phase> p, std::string condition,
                             std::string detail) {
  // Closed by the client (or after a clean close): what comes after is no failure.
  if (state_ == state::closed && !failure_)
    return;
  if (!failure_) {
    const auto where = p.value_or(client_phase_.load(std::memory_order_relaxed));
    failure_ = std::make_unique<failure_info>(where, std::move(condition), std::move(detail));
    // Counted now, not when the scenario next looks: a user that never
    // looks again (it sleeps, or only stops) still shows in the summary.
    metrics_.failed(where, client_logging_in_.load(std::memory_order_relaxed));
  }
  enter_closed_locked();
  notify_locked();
}

std::string connection::check_element(std::string_view xml) const {
  return stream_framer::check_element(xml, limits_.max_stanza_bytes);
}

void connection::eof_locked() {
  if (!peer_closed_) {
    const auto partial = framer_.buffered();
    fail_locked(std::nullopt, "connection-closed",
                partial == 0 ? std::string{"the server closed the connection"}
                             : "the server closed the connection in the middle of a stanza, "
                               "after "
                                 + std::to_string(partial) + " bytes of it");
    return;
  }
  enter_closed_locked();
  notify_locked();
}

void connection::enter_closed_locked() {
  if (state_ == state::closed)
    return;
  state_ = state::closed;
  close_transport_locked();
  if (counted_open_) {
    metrics_.connected.add(-1);
    counted_open_ = false;
  }
}

void connection::deliver_locked(std::string_view bytes) {
  framer_.feed(bytes);
  const auto queued_before = queued_;
  while (auto f = framer_.next()) {
    switch (f->kind) {
    case frame_kind::stream_open: on_stream_header_locked(); break;
    case frame_kind::element: deliver_element_locked(f->xml); break;
    case frame_kind::stream_close: on_stream_close_locked(); break;
    }
    if (closed_locked())
      return;
  }
  if (framer_.error() != framer_error::none) {
    const bool too_large = framer_.error() == framer_error::too_large;
    fail_locked(phase::stream, too_large ? "stanza-too-large" : "malformed-xml",
                framer_.error_message());
  } else if (queued_ != queued_before) {
    notify_received_locked();  // once per read, however many stanzas it brought
  }
}

void connection::on_stream_header_locked() {
  stream_opened_ = true;
  notify_locked();
}

void connection::on_stream_close_locked() {
  peer_closed_ = true;
  notify_locked();
}

void connection::deliver_element_locked(std::string_view xml) {
  if (xml.starts_with("<stream:error") && stream_end_expected_) {
    on_stream_close_locked();
    return;
  }
  if (xml.starts_with("<stream:error")) {
    const auto cond = stream_error_condition(stanza{std::string{xml}});
    fail_locked(phase::stream, "stream-error: " + cond.condition, cond.text);
    return;
  }
  if (starts_sm_count(xml)) {
    // Counted from here, not from when the client reads it: what the server
    // re-sends behind `<resumed/>` arrives before the client has read that.
    sm_counting_ = true;
    sm_inbound_ = 0;
  }
  if (sm_counting_ && is_ack_request(xml)) {
    // Answered once the client added a resumed session's count.
    if (sm_enabled_)
      answer_ack_request_locked();
    else
      sm_ack_pending_ = true;
    return;
  }
  if (is_stanza(xml)) {
    metrics_.stanzas_received.add();
    if (xml.starts_with("<message"))
      metrics_.messages_received.add();
    if (sm_counting_)
      ++sm_inbound_;
  }
  queue_locked(xml);
}

void connection::queue_locked(std::string_view xml) {
  const auto charge = unread_charge(xml.size());
  // One stanza is always taken (its size is bounded by the framer); more
  // only while the unread ones fit. Beyond that the scenario does not keep
  // up with the server: failing says so, holding on would exhaust memory.
  if (unread_bytes_ > 0 && unread_bytes_ + charge > limits_.max_unread_bytes) {
    fail_locked(phase::receive, "unread-overflow",
                "more than " + std::to_string(limits_.max_unread_bytes)
                  + " bytes of stanzas received and not read (xmpp_max_unread_bytes): the "
                    "scenario does not read what the server sends");
    return;
  }
  if (incoming_.size() - oldest_ >= limits_.max_unread_stanzas) {
    drop_oldest_locked();
    metrics_.unread_dropped.add();
    if (dropped_++ == 0)
      log::line(log::level::warning, "xmpp: ")
        << "more than " << limits_.max_unread_stanzas
        << " unread stanzas on a connection: dropping the oldest (a scenario that never waits "
           "for stanzas?)";
  }
  // The framer (or check_element) has checked it: it may be read without a DOM.
  incoming_.emplace_back(std::string{xml}, std::chrono::system_clock::now(), stanza::checked);
  unread_bytes_ += charge;
  ++queued_;
}

void connection::drop_oldest_locked() {
  auto& oldest = incoming_[oldest_++];
  unread_bytes_ -= std::min(unread_bytes_, unread_charge(oldest.xml().size()));
  oldest = stanza{};
  // Erasing the front for every stanza dropped would move the whole queue
  // each time (a flood of small stanzas would keep the loop busy): erase
  // the dropped half at once.
  if (oldest_ * 2 >= incoming_.size()) {
    incoming_.erase(incoming_.begin(), incoming_.begin() + static_cast<long>(oldest_));
    oldest_ = 0;
  }
}

void connection::answer_ack_request_locked() {
  std::string ack = "<a xmlns='urn:xmpp:sm:3' h='";
  ack += std::to_string(sm_inbound_);
  ack += "'/>";
  write_locked(ack);
}

}  // namespace amoc::xmpp::detail
