// xmpp_roster_presence: groups of users subscribe to each other's presence,
// then change their status and see their contacts' changes arrive.
//
// Users 1..G are a group (G = `roster_group_size`), G+1..2G the next, and so
// on. Each user logs in, gets its roster and, with every other member of its
// group, makes the presence subscription mutual (subscribe / subscribed both
// ways, answering the roster pushes: mutual_subscriptions.hpp), at most
// `subscription_timeout`. Then it sends `presence_count` presence updates (a
// status text and a `show`, stamped with their send time), one every
// `presence_interval`, reading its contacts' updates meanwhile and at most
// `linger` after its last one. At the end it removes its contacts from its
// roster, which cancels the subscriptions, so the next run starts from an
// empty roster, and logs out.

#include <array>
#include <chrono>
#include <functional>
#include <string>

#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "common/mutual_subscriptions.hpp"

namespace {

namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;
using amoc::scenarios::mutual_subscriptions;
using amoc::scenarios::subscription_metrics;
using clock_type = std::chrono::steady_clock;

class xmpp_roster_presence final : public amoc::scenario {
public:
  void init() override {
    group_size_ = static_cast<std::uint64_t>(config<std::int64_t>("roster_group_size"));
    subscription_timeout_ = config<amoc::duration>("subscription_timeout");
    count_ = config<std::int64_t>("presence_count");
    interval_ = config<amoc::duration>("presence_interval");
    linger_ = config<amoc::duration>("linger");
    subscriptions_ = subscription_metrics::in(metrics());
    sent_ = &metrics().counter("xmpp.presence.sent");
    received_ = &metrics().counter("xmpp.presence.received");
    ttd_ = &metrics().histogram("xmpp.presence.ttd");
  }

  amoc::task<> start(amoc::user& u) override {
    xmpp::client client{u, xmpp::options::from(u)};
    co_await client.connect();
    mutual_subscriptions contacts{u, client, group_size_, subscriptions_};
    std::int64_t received = 0;
    const std::function<void(const xmpp::stanza&)> count_update = [&](const xmpp::stanza& s) {
      received += is_update(contacts, s);
    };
    co_await contacts.begin(stanzas::presence(), client.settings().step_timeout);
    co_await contacts.complete(subscription_timeout_, count_update);

    // Every contact sends `count_` updates; the ones it sent before this
    // user's handshakes ended are already counted.
    const auto expected = count_ * static_cast<std::int64_t>(contacts.contact_count());
    for (std::int64_t i = 0; i < count_ && !u.stopping(); ++i) {
      co_await read_updates(client, contacts, clock_type::now() + interval_, received, expected);
      send_update(client, i);
    }
    if (!u.stopping())
      co_await read_updates(client, contacts, clock_type::now() + linger_, received, expected);
    co_await contacts.remove_all(client.settings().step_timeout);
    co_await client.stop();
  }

private:
  void send_update(xmpp::client& client, std::int64_t i) {
    static constexpr std::array<std::string_view, 4> shows{"away", "chat", "dnd", "xa"};
    const auto status = "amoc update " + std::to_string(i + 1);
    client.send(stanzas::with_timestamp(
      stanzas::presence({}, {shows[static_cast<std::size_t>(i) % shows.size()], status})));
    sent_->add();
  }

  // Reads until `until` or until `expected` updates came, answering the
  // handshakes of contacts that finished theirs late.
  amoc::task<> read_updates(xmpp::client& client, mutual_subscriptions& contacts,
                            clock_type::time_point until, std::int64_t& received,
                            std::int64_t expected) {
    while (received < expected && clock_type::now() < until && !client.owner().stopping()) {
      auto s = co_await client.receive(
        std::chrono::duration_cast<amoc::duration>(until - clock_type::now()));
      if (s && !contacts.handle(*s))
        received += is_update(contacts, *s);
    }
  }

  // A contact's stamped presence update: counted, with its delivery time.
  int is_update(const mutual_subscriptions& contacts, const xmpp::stanza& s) {
    if (s.name() != "presence" || !s.type().empty() || !contacts.is_contact(s.from()))
      return 0;
    const auto sent = stanzas::sent_timestamp(s);
    if (!sent)
      return 0;  // the initial presence a new subscription brings
    received_->add();
    ttd_->record(std::chrono::duration_cast<amoc::duration>(s.received_at() - *sent));
    return 1;
  }

  std::uint64_t group_size_ = 2;
  amoc::duration subscription_timeout_{};
  std::int64_t count_ = 0;
  amoc::duration interval_{};
  amoc::duration linger_{};
  subscription_metrics subscriptions_{};
  amoc::metrics::counter* sent_ = nullptr;
  amoc::metrics::counter* received_ = nullptr;
  amoc::metrics::histogram* ttd_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(
  xmpp_roster_presence, "xmpp_roster_presence",
  "Groups of users make their presence subscriptions mutual, then change status; "
  "subscription latency, presence delivery time.",
  (xmpp::config_variables({
    {"roster_group_size", "users per group, each subscribing to every other member", "2",
     amoc::config::type::integer, amoc::config::rules::in_range(2, 1000)},
    {"subscription_timeout", "how long a user waits for its subscriptions to become mutual", "10s",
     amoc::config::type::duration, amoc::config::rules::positive()},
    {"presence_count", "presence updates each user sends per iteration", "5",
     amoc::config::type::integer, amoc::config::rules::non_negative()},
    {"presence_interval", "time between two presence updates of a user", "1s",
     amoc::config::type::duration, amoc::config::rules::positive()},
    {"linger", "how long a user waits for its contacts' last updates", "5s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
  })));
