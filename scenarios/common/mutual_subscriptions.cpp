#include "mutual_subscriptions.hpp"

#include <algorithm>
#include <chrono>

#include "amoc/xmpp/roster.hpp"
#include "amoc/xmpp/stanzas.hpp"

namespace amoc::scenarios {

namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;
using clock_type = std::chrono::steady_clock;

subscription_metrics subscription_metrics::in(metrics::registry& r) {
  return {&r.histogram("xmpp.roster.subscribe"),   &r.histogram("xmpp.roster.mutual"),
          &r.counter("xmpp.roster.subscriptions"), &r.counter("xmpp.roster.pushes"),
          &r.counter("xmpp.roster.incomplete"),    &r.counter("xmpp.roster.removed")};
}

mutual_subscriptions::mutual_subscriptions(const user& u, xmpp::client& c, std::uint64_t group_size,
                                           subscription_metrics m)
    : user_(u), client_(c), me_(u.id()), metrics_(m) {
  const auto first = (me_ - 1) / group_size * group_size + 1;
  for (auto id = first; id < first + group_size; ++id) {
    if (id == me_)
      continue;
    try {
      contacts_.push_back(
        {id, xmpp::jid::parse(xmpp::username_of(u, id) + "@" + c.settings().domain)});
    } catch (const amoc::config::error& e) {
      u.warning() << "no contact " << id << " in my group: " << e.what();
    }
  }
}

task<> mutual_subscriptions::begin(const xmpp::stanza& initial_presence, duration timeout) {
  auto result = co_await client_.send_iq_and_wait_for_result(stanzas::roster_get(), timeout);
  for (const auto& item : xmpp::read_roster(result).value().items)
    if (auto* c = find(item.jid); c && item.subscription == "both")
      c->mutual = true;
  client_.send(initial_presence);
  for (auto& c : contacts_)
    if (c.id < me_ && !c.mutual)
      ask(c);
}

task<> mutual_subscriptions::complete(duration timeout,
                                      const std::function<void(const xmpp::stanza&)>& other) {
  const auto deadline = clock_type::now() + timeout;
  while (mutual_count() < contacts_.size() && clock_type::now() < deadline && !user_.stopping()) {
    auto s =
      co_await client_.receive(std::chrono::duration_cast<duration>(deadline - clock_type::now()));
    if (!s)
      break;
    if (!handle(*s))
      other(*s);
  }
  metrics_.incomplete->add(contacts_.size() - mutual_count());
}

bool mutual_subscriptions::handle(const xmpp::stanza& s) {
  if (s.name() == "iq" && xmpp::is::roster_push()(s)) {
    on_push(s);
    return true;
  }
  const auto type = s.type();
  if (s.name() != "presence" || (type != "subscribe" && type != "subscribed"))
    return false;
  auto* c = find(s.from());
  if (!c)
    return false;
  on_presence(*c, type, s);
  return true;
}

task<> mutual_subscriptions::remove_all(duration timeout) {
  for (const auto& c : contacts_) {
    auto reply = co_await client_.send_iq_and_wait(stanzas::roster_remove(c.jid.full()), timeout);
    if (reply.type() == "result")
      metrics_.removed->add();
  }
}

std::size_t mutual_subscriptions::mutual_count() const noexcept {
  return static_cast<std::size_t>(
    std::count_if(contacts_.begin(), contacts_.end(), [](const contact& c) { return c.mutual; }));
}

bool mutual_subscriptions::is_contact(std::string_view from) const {
  return std::any_of(contacts_.begin(), contacts_.end(),
                     [from](const contact& c) { return c.jid.same_bare(from); });
}

mutual_subscriptions::contact* mutual_subscriptions::find(std::string_view from) {
  auto it = std::find_if(contacts_.begin(), contacts_.end(),
                         [from](const contact& c) { return c.jid.same_bare(from); });
  return it == contacts_.end() ? nullptr : &*it;
}

void mutual_subscriptions::ask(contact& c) {
  c.asked_at = std::chrono::system_clock::now();
  client_.send(stanzas::subscribe(c.jid.full()));
}

void mutual_subscriptions::on_presence(contact& c, std::string_view type, const xmpp::stanza& s) {
  if (type == "subscribe") {
    // Approve, and ask back if this user has not asked yet (it has the lower id).
    client_.send(stanzas::subscribed(c.jid.full()));
    if (!c.asked_at && !c.mutual)
      ask(c);
  } else if (c.asked_at && !c.subscribed) {
    c.subscribed = true;
    metrics_.subscribed->record(
      std::chrono::duration_cast<duration>(s.received_at() - *c.asked_at));
  }
}

void mutual_subscriptions::on_push(const xmpp::stanza& push) {
  // RFC 6121 §2.1.6: a client acknowledges every push.
  client_.send(stanzas::iq_result(push));
  metrics_.pushes->add();
  auto roster = xmpp::read_roster(push);
  if (!roster)
    return;
  for (const auto& item : roster->items) {
    auto* c = find(item.jid);
    if (!c || c->mutual || item.subscription != "both")
      continue;
    c->mutual = true;
    metrics_.made->add();
    if (c->asked_at)
      metrics_.mutual->record(
        std::chrono::duration_cast<duration>(push.received_at() - *c->asked_at));
  }
}

}  // namespace amoc::scenarios
