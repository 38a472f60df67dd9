// xmpp_pep: users with mutual presence subscriptions publish to a personal
// eventing node (PEP, XEP-0163); the server notifies their contacts.
//
// Users 1..G are a group (G = `pep_group_size`), as in xmpp_roster_presence.
// Each user logs in, announces in its presence entity capabilities (XEP-0115)
// whose features include `<pep_node>+notify` (answering the server's
// disco#info query: that is how a server learns who wants which PEP
// notifications), and makes its presence subscription mutual with every other
// member of its group (mutual_subscriptions.hpp), at most
// `subscription_timeout`, then says its presence again (ejabberd keeps a
// contact's capabilities from the presences it routes to the publisher, so
// only one sent once the subscription exists counts). It then publishes `publish_count` items with
// ids 1, 2, ... to its own node `pep_node`, one every `publish_interval`, each carrying its send
// time, and reads its contacts' notifications meanwhile and for at most `linger` after its last
// item. A contact's ids it never saw are counted as lost. It creates its node right after logging
// in, and at the end deletes it and removes its contacts from its roster, so the next run starts
// clean.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "amoc/scenario.hpp"
#include "amoc/xmpp/caps.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/namespaces.hpp"
#include "amoc/xmpp/pubsub.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "common/mutual_subscriptions.hpp"
#include "common/publish_metrics.hpp"
#include "common/setup_iq.hpp"

namespace {

namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;
using amoc::scenarios::mutual_subscriptions;
using amoc::scenarios::subscription_metrics;
using clock_type = std::chrono::steady_clock;

// Tries of the node's creation and deletion (setup_iq.hpp): ejabberd on Mnesia
// aborts concurrent creations and deletions now and then ("cyclic" locks), and
// 5 tries (0.5 s) left a node behind in about one loaded test run in ten.
constexpr int setup_attempts = 8;

// What one user received from its contacts' nodes.
struct inbox {
  std::map<std::string, std::vector<bool>> seen;  // contact's bare JID -> ids 1..count seen
  std::int64_t fresh = 0;                         // distinct (contact, id) pairs
  xmpp::stanza::time_point started{};             // items stamped before are an earlier run's
};

class xmpp_pep final : public amoc::scenario {
public:
  void init() override {
    group_size_ = static_cast<std::uint64_t>(config<std::int64_t>("pep_group_size"));
    node_ = config<std::string>("pep_node");
    subscription_timeout_ = config<amoc::duration>("subscription_timeout");
    count_ = config<std::int64_t>("publish_count");
    interval_ = config<amoc::duration>("publish_interval");
    linger_ = config<amoc::duration>("linger");
    caps_ = {"https://github.com/esl/amoc",
             {"client", "bot", "amoc"},
             {std::string{xmpp::ns::disco_info}, node_ + "+notify"}};
    subscriptions_ = subscription_metrics::in(metrics());
    auto& m = metrics();
    pub_ = amoc::scenarios::publish_metrics::in(m, "xmpp.pep");
    cleanup_failures_ = &m.counter("xmpp.pep.cleanup_failures");
  }

  amoc::task<> start(amoc::user& u) override {
    xmpp::client client{u, xmpp::options::from(u)};
    co_await client.connect();
    // Created now rather than by the first publish: logins are spread out,
    // first publishes come together (setup_iq.hpp).
    auto created = co_await amoc::scenarios::send_setup_iq(
      u, client, stanzas::pubsub_create({}, node_), setup_attempts, "conflict");
    if (created.type() != "result" && xmpp::stanza_error_condition(created).condition != "conflict")
      u.warning() << "creating my PEP node: " << xmpp::stanza_error_condition(created).condition;
    mutual_subscriptions contacts{u, client, group_size_, subscriptions_};
    inbox in{{}, 0, std::chrono::system_clock::now()};
    const std::function<void(const xmpp::stanza&)> other = [&](const xmpp::stanza& s) {
      read(client, contacts, s, in);
    };
    co_await contacts.begin(stanzas::presence_with_caps(caps_), client.settings().step_timeout);
    co_await contacts.complete(subscription_timeout_, other);
    // ejabberd learns a contact's wishes from the presences it routes to the
    // publisher: say it again now that the contacts receive them.
    client.send(stanzas::presence_with_caps(caps_));

    // Read first: contacts finishing their handshakes a little later say
    // their presence again only then.
    const auto expected = count_ * static_cast<std::int64_t>(contacts.contact_count());
    const auto started = clock_type::now();
    for (std::int64_t seq = 1; seq <= count_ && !u.stopping(); ++seq) {
      co_await read_until(client, contacts, started + seq * interval_, in, expected);
      co_await publish(client, seq);
    }
    if (!u.stopping())
      co_await read_until(client, contacts, clock_type::now() + linger_, in, expected);
    pub_.lost->add(static_cast<std::uint64_t>(std::max<std::int64_t>(expected - in.fresh, 0)));
    const auto step = client.settings().step_timeout;
    auto deleted = co_await amoc::scenarios::send_setup_iq(
      u, client, stanzas::pubsub_delete({}, node_), setup_attempts, "item-not-found");
    if (deleted.type() != "result") {
      cleanup_failures_->add();
      u.warning() << "deleting my PEP node: " << xmpp::stanza_error_condition(deleted).condition;
    }
    co_await contacts.remove_all(step);
    co_await client.stop();
  }

private:
  amoc::task<> publish(xmpp::client& client, std::int64_t seq) {
    const auto item =
      stanzas::pep_publish(node_, std::to_string(seq), stanzas::timestamp_payload());
    const auto sent = clock_type::now();
    auto reply = co_await client.send_iq_and_wait(item, client.settings().step_timeout);
    if (reply.type() == "result") {
      pub_.publish->record(std::chrono::duration_cast<amoc::duration>(clock_type::now() - sent));
      pub_.published->add();
    } else {
      pub_.publish_errors->add();
      client.owner().warning() << "PEP publish: " << xmpp::stanza_error_condition(reply).condition;
    }
  }

  amoc::task<> read_until(xmpp::client& client, mutual_subscriptions& contacts,
                          clock_type::time_point until, inbox& in, std::int64_t expected) {
    while (in.fresh < expected && clock_type::now() < until && !client.owner().stopping()) {
      auto s = co_await client.receive(
        std::chrono::duration_cast<amoc::duration>(until - clock_type::now()));
      if (s && !contacts.handle(*s))
        read(client, contacts, *s, in);
    }
  }

  // Answers the server's capabilities query; counts a contact's notifications.
  void read(xmpp::client& client, const mutual_subscriptions& contacts, const xmpp::stanza& s,
            inbox& in) {
    if (xmpp::is::disco_info_request()(s)) {
      client.send(stanzas::disco_info_result(s, caps_));
      return;
    }
    if (!xmpp::is::pubsub_event({}, node_)(s) || !contacts.is_contact(s.from()))
      return;
    auto& seen = in.seen[std::string{xmpp::jid::split(s.from()).local}];
    seen.resize(static_cast<std::size_t>(count_) + 1, false);
    for (const auto& item : xmpp::read_pubsub_event(s).value().items) {
      if (!item.sent || *item.sent < in.started)
        continue;  // the last item of an earlier run, sent to a new contact
      pub_.notifications->add();
      pub_.ttd->record(std::chrono::duration_cast<amoc::duration>(s.received_at() - *item.sent));
      std::int64_t seq = 0;
      const auto* end = item.id.data() + item.id.size();
      if (std::from_chars(item.id.data(), end, seq).ptr == end && seq >= 1 && seq <= count_
          && !seen[static_cast<std::size_t>(seq)]) {
        seen[static_cast<std::size_t>(seq)] = true;
        ++in.fresh;
      }
    }
  }

  std::uint64_t group_size_ = 2;
  std::string node_;
  amoc::duration subscription_timeout_{};
  std::int64_t count_ = 0;
  amoc::duration interval_{};
  amoc::duration linger_{};
  xmpp::capabilities caps_;
  subscription_metrics subscriptions_{};
  amoc::scenarios::publish_metrics pub_{};
  amoc::metrics::counter* cleanup_failures_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(
  xmpp_pep, "xmpp_pep",
  "Groups of users with mutual presence subscriptions publish to a PEP node (XEP-0163); "
  "their contacts count the notifications; publish latency, time to delivery, items lost.",
  (xmpp::config_variables({
    {"pep_group_size", "users per group, each a contact of every other member", "4",
     amoc::config::type::integer, amoc::config::rules::in_range(2, 1000)},
    {"pep_node", "the PEP node (a namespace) users publish to and want notifications of",
     "urn:amoc:pep", amoc::config::type::string, std::nullopt},
    {"subscription_timeout", "how long a user waits for its subscriptions to become mutual", "10s",
     amoc::config::type::duration, amoc::config::rules::positive()},
    {"publish_count", "items each user publishes per iteration", "10", amoc::config::type::integer,
     amoc::config::rules::in_range(0, 1000000)},
    {"publish_interval", "time between two items of a user", "1s", amoc::config::type::duration,
     amoc::config::rules::positive()},
    {"linger", "how long a user waits for its contacts' last items", "5s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
  })));
