#include "bosh_window.hpp"

#include <algorithm>
#include <utility>

namespace amoc::xmpp::detail::bosh {

window::window(std::string domain, std::uint64_t first_rid, unsigned hold, unsigned wait)
    : domain_(std::move(domain)), next_rid_(first_rid), next_answer_rid_(first_rid), hold_(hold),
      wait_(wait) {}

void window::open_stream() {
  if (!create_wanted_) {
    create_wanted_ = true;
    return;
  }
  queue_.push_back({item_kind::restart, {}});
}

void window::send(std::string_view xml) {
  queued_bytes_ += xml.size();
  // Stanzas queued one after another go out in one request.
  if (!queue_.empty() && queue_.back().kind == item_kind::payload) {
    queue_.back().xml.append(xml);
    return;
  }
  queue_.push_back({item_kind::payload, std::string{xml}});
}

void window::terminate() { queue_.push_back({item_kind::terminate, {}}); }

void window::pause(unsigned seconds) { queue_.push_back({item_kind::pause, {}, seconds}); }

std::optional<std::uint64_t> window::resume() {
  pause_sent_ = false;
  const auto rid = std::exchange(pause_rid_, std::nullopt);
  if (!rid || sent_.erase(*rid) == 0)
    return std::nullopt;
  --outstanding_;
  forgotten_.insert(*rid);
  return rid;
}

bool window::paused() const noexcept {
  const bool pause_out = pause_rid_ && sent_.contains(*pause_rid_);
  return pause_sent_ && outstanding_ == (pause_out ? 1u : 0u);
}

request window::make(request_kind kind, std::string body, std::uint64_t rid) {
  ++outstanding_;
  sent_.emplace(rid, kind);
  return {rid, kind, std::move(body)};
}

std::optional<request> window::next(bool may_poll) {
  // Paused: a request now would end the pause (§10).
  if (terminate_sent_ || pause_sent_)
    return std::nullopt;
  if (sid_.empty()) {
    // Nothing goes before the session exists: it names the sid.
    if (!create_wanted_ || create_sent_)
      return std::nullopt;
    create_sent_ = true;
    const auto rid = take_rid();
    return make(request_kind::create, session_request({domain_, rid, hold_, wait_}), rid);
  }
  if (outstanding_ >= requests_)
    return std::nullopt;
  if (queue_.empty()) {
    if (outstanding_ >= hold_ || !may_poll)
      return std::nullopt;
    const auto rid = take_rid();
    return make(request_kind::payload, payload_request(sid_, rid, {}), rid);
  }
  auto front = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= std::min(queued_bytes_, front.xml.size());
  const auto rid = take_rid();
  switch (front.kind) {
  case item_kind::restart:
    return make(request_kind::restart, restart_request(sid_, rid, domain_), rid);
  case item_kind::pause:
    pause_sent_ = true;
    pause_rid_ = rid;
    return make(request_kind::pause, pause_request(sid_, rid, front.pause_seconds), rid);
  case item_kind::terminate:
    terminate_sent_ = true;
    return make(request_kind::terminate, terminate_request(sid_, rid, {}), rid);
  case item_kind::payload: break;
  }
  // What was sent last before closing goes with the terminate.
  if (!queue_.empty() && queue_.front().kind == item_kind::terminate) {
    queue_.pop_front();
    terminate_sent_ = true;
    return make(request_kind::terminate, terminate_request(sid_, rid, front.xml), rid);
  }
  return make(request_kind::payload, payload_request(sid_, rid, front.xml), rid);
}

void window::created(const response& r) {
  sid_ = r.sid;
  hold_ = std::min(hold_, r.hold.value_or(hold_));
  wait_ = r.wait.value_or(wait_);
  maxpause_ = r.maxpause;
  // XEP-0124 §7.2: without `requests` the client assumes hold + 1.
  requests_ = std::max(1u, std::min(r.requests.value_or(hold_ + 1), hold_ + 1));
}

void window::answered(std::uint64_t rid, std::string body) {
  const auto it = sent_.find(rid);
  if (it == sent_.end())
    return;
  answers_.emplace(rid, answer{it->second, std::move(body)});
  sent_.erase(it);
  --outstanding_;
}

std::optional<answer> window::next_answer() {
  while (forgotten_.erase(next_answer_rid_) > 0)
    ++next_answer_rid_;
  const auto it = answers_.find(next_answer_rid_);
  if (it == answers_.end())
    return std::nullopt;
  auto a = std::move(it->second);
  answers_.erase(it);
  ++next_answer_rid_;
  return a;
}

}  // namespace amoc::xmpp::detail::bosh
