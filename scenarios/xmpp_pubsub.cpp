// xmpp_pubsub: publishers publish items to nodes of a publish-subscribe
// service (XEP-0060); the nodes' subscribers get them as notifications.
//
// Users 1..G are a group (G = `pubsub_group_size`), G+1..2G the next, and so
// on. The first user of a group publishes to node `<pubsub_node_prefix><its
// username>` on `pubsub_service` (pubsub.<xmpp_domain> when unset), creating
// it when it is missing (keeping at most `pubsub_max_items` items); the others
// subscribe to it with their full JID, trying again while the node does not
// exist yet. The publisher waits (at most `setup_timeout`) until the owner's
// subscription list shows all of them, then publishes `publish_count` items
// with ids 1, 2, ..., one every `publish_interval`, each carrying its send
// time. A subscriber reads notifications until it has seen every id, or for
// `setup_timeout` + `publish_count` x `publish_interval` + `linger`; the ids it
// never saw are counted as lost. At the end subscribers unsubscribe and, with
// `pubsub_delete_nodes`, publishers delete their node.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string>
#include <vector>

#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/pubsub.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "common/publish_metrics.hpp"
#include "common/setup_iq.hpp"

namespace {

namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// How often a publisher looks at its subscription list, and a subscriber
// tries again for a node not created yet.
constexpr amoc::duration setup_poll = 100ms;
// Tries of a node's creation and deletion (setup_iq.hpp).
constexpr int setup_attempts = 5;

// Where a user's group publishes.
struct node_address {
  std::string service;
  std::string node;
  std::uint64_t publisher = 0;           // the group's first user id
  std::vector<std::string> subscribers;  // the others' bare JIDs
};

class xmpp_pubsub final : public amoc::scenario {
public:
  void init() override {
    group_size_ = static_cast<std::uint64_t>(config<std::int64_t>("pubsub_group_size"));
    service_ = config<std::string>("pubsub_service", "");
    prefix_ = config<std::string>("pubsub_node_prefix");
    max_items_ = config<std::int64_t>("pubsub_max_items");
    delete_nodes_ = config<bool>("pubsub_delete_nodes");
    count_ = config<std::int64_t>("publish_count");
    interval_ = config<amoc::duration>("publish_interval");
    setup_timeout_ = config<amoc::duration>("setup_timeout");
    linger_ = config<amoc::duration>("linger");
    auto& m = metrics();
    pub_ = amoc::scenarios::publish_metrics::in(m, "xmpp.pubsub");
    setup_timeouts_ = &m.counter("xmpp.pubsub.setup_timeouts");
    subscriptions_ = &m.counter("xmpp.pubsub.subscriptions");
    subscribe_errors_ = &m.counter("xmpp.pubsub.subscribe_errors");
  }

  amoc::task<> start(amoc::user& u) override {
    xmpp::client client{u, xmpp::options::from(u)};
    co_await client.connect();
    client.send(stanzas::presence());
    const auto where = address_of(u, client.settings().domain);
    if (u.id() == where.publisher)
      co_await publish(u, client, where);
    else
      co_await subscribe_and_read(u, client, where);
    co_await client.stop();
  }

private:
  node_address address_of(const amoc::user& u, const std::string& domain) const {
    node_address a;
    a.service = service_.empty() ? "pubsub." + domain : service_;
    a.publisher = (u.id() - 1) / group_size_ * group_size_ + 1;
    a.node = prefix_ + xmpp::username_of(u, a.publisher);
    for (auto id = a.publisher + 1; id < a.publisher + group_size_; ++id) {
      try {
        a.subscribers.push_back(xmpp::username_of(u, id) + "@" + domain);
      } catch (const amoc::config::error&) {
        break;  // the users file ends inside this group
      }
    }
    return a;
  }

  amoc::task<> publish(amoc::user& u, xmpp::client& client, const node_address& at) {
    const auto step = client.settings().step_timeout;
    const auto create = stanzas::pubsub_create(
      at.service, at.node, {{"pubsub#max_items", {std::to_string(max_items_)}}});
    auto created =
      co_await amoc::scenarios::send_setup_iq(u, client, create, setup_attempts, "conflict");
    const auto why = xmpp::stanza_error_condition(created).condition;
    if (created.type() != "result" && why != "conflict")  // conflict: it exists already
      client.fail("pubsub-create", "creating node " + at.node + ": " + why);
    co_await wait_for_subscribers(u, client, at);
    const auto started = clock_type::now();
    for (std::int64_t seq = 1; seq <= count_ && !u.stopping(); ++seq) {
      const auto item = stanzas::pubsub_publish(at.service, at.node, std::to_string(seq),
                                                stanzas::timestamp_payload());
      const auto sent = clock_type::now();
      auto reply = co_await client.send_iq_and_wait(item, step);
      if (reply.type() == "result") {
        pub_.publish->record(std::chrono::duration_cast<amoc::duration>(clock_type::now() - sent));
        pub_.published->add();
      } else {
        pub_.publish_errors->add();
        u.warning() << "publish to " << at.node << ": "
                    << xmpp::stanza_error_condition(reply).condition;
      }
      (void)client.take_received();  // nothing a publisher waits for
      const auto next = started + seq * interval_;
      if (next > clock_type::now())
        co_await u.sleep(std::chrono::duration_cast<amoc::duration>(next - clock_type::now()));
    }
    if (delete_nodes_) {
      auto deleted = co_await amoc::scenarios::send_setup_iq(
        u, client, stanzas::pubsub_delete(at.service, at.node), setup_attempts, "item-not-found");
      if (deleted.type() != "result")
        u.warning() << "deleting node " << at.node << ": "
                    << xmpp::stanza_error_condition(deleted).condition;
    }
  }

  amoc::task<> wait_for_subscribers(amoc::user& u, xmpp::client& client, const node_address& at) {
    const auto deadline = clock_type::now() + setup_timeout_;
    while (!u.stopping()) {
      auto reply = co_await client.send_iq_and_wait(
        stanzas::pubsub_subscriptions(at.service, at.node), client.settings().step_timeout);
      // Only the group's own subscribers count: others (an observer) may subscribe too.
      std::size_t subscribed = 0;
      const auto list = xmpp::read_pubsub_subscriptions(reply).value();
      for (const auto& member : at.subscribers)
        subscribed += std::any_of(list.begin(), list.end(), [&member](const auto& s) {
          return s.subscription == "subscribed" && xmpp::jid::parse(member).same_bare(s.jid);
        });
      if (subscribed >= at.subscribers.size())
        co_return;
      if (clock_type::now() >= deadline) {
        setup_timeouts_->add();
        u.warning() << "publishing to " << at.node << " with " << subscribed << " of "
                    << at.subscribers.size() << " subscribers after setup_timeout";
        co_return;
      }
      co_await u.sleep(setup_poll);
    }
  }

  amoc::task<> subscribe_and_read(amoc::user& u, xmpp::client& client, const node_address& at) {
    const auto subscribed_at = std::chrono::system_clock::now();
    const bool subscribed = co_await subscribe(u, client, at);
    if (!subscribed) {
      pub_.lost->add(static_cast<std::uint64_t>(count_));
      co_return;
    }
    std::vector<bool> seen(static_cast<std::size_t>(count_) + 1, false);
    std::int64_t got = 0;
    const auto until = clock_type::now() + setup_timeout_ + count_ * interval_ + linger_;
    while (got < count_ && clock_type::now() < until && !u.stopping()) {
      auto s = co_await client.receive(
        std::chrono::duration_cast<amoc::duration>(until - clock_type::now()));
      if (s && xmpp::is::pubsub_event(at.service, at.node)(*s))
        got += count_items(*s, subscribed_at, seen);
    }
    pub_.lost->add(static_cast<std::uint64_t>(count_ - got));
    (void)co_await client.send_iq_and_wait(
      stanzas::pubsub_unsubscribe(at.service, at.node, client.jid().full()),
      client.settings().step_timeout);
  }

  amoc::task<bool> subscribe(amoc::user& u, xmpp::client& client, const node_address& at) {
    const auto deadline = clock_type::now() + setup_timeout_;
    const auto request = stanzas::pubsub_subscribe(at.service, at.node, client.jid().full());
    while (!u.stopping()) {
      auto reply = co_await client.send_iq_and_wait(request, client.settings().step_timeout);
      if (reply.type() == "result") {
        subscriptions_->add();
        co_return true;
      }
      const auto why = xmpp::stanza_error_condition(reply).condition;
      if (why != "item-not-found" || clock_type::now() >= deadline) {
        subscribe_errors_->add();
        u.warning() << "subscribing to " << at.node << ": " << why;
        co_return false;
      }
      co_await u.sleep(setup_poll);  // the publisher has not created it yet
    }
    co_return false;
  }

  // The new item ids of a notification. Items stamped before this user
  // subscribed are an earlier run's (a service sends the last item to a new
  // subscriber, XEP-0060 §6.1.7): not counted.
  std::int64_t count_items(const xmpp::stanza& s, xmpp::stanza::time_point subscribed_at,
                           std::vector<bool>& seen) {
    std::int64_t fresh = 0;
    for (const auto& item : xmpp::read_pubsub_event(s).value().items) {
      if (!item.sent || *item.sent < subscribed_at)
        continue;
      pub_.notifications->add();
      pub_.ttd->record(std::chrono::duration_cast<amoc::duration>(s.received_at() - *item.sent));
      std::int64_t seq = 0;
      const auto* end = item.id.data() + item.id.size();
      if (std::from_chars(item.id.data(), end, seq).ptr == end && seq >= 1 && seq <= count_
          && !seen[static_cast<std::size_t>(seq)]) {
        seen[static_cast<std::size_t>(seq)] = true;
        ++fresh;
      }
    }
    return fresh;
  }

  std::uint64_t group_size_ = 2;
  std::string service_;
  std::string prefix_;
  std::int64_t max_items_ = 0;
  bool delete_nodes_ = true;
  std::int64_t count_ = 0;
  amoc::duration interval_{};
  amoc::duration setup_timeout_{};
  amoc::duration linger_{};
  amoc::scenarios::publish_metrics pub_{};
  amoc::metrics::counter* setup_timeouts_ = nullptr;
  amoc::metrics::counter* subscriptions_ = nullptr;
  amoc::metrics::counter* subscribe_errors_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(
  xmpp_pubsub, "xmpp_pubsub",
  "Publishers publish items to PubSub nodes (XEP-0060) created on demand; their subscribers "
  "count the notifications; publish latency, time to delivery, items lost.",
  (xmpp::config_variables({
    {"pubsub_group_size", "users per node: its publisher and the subscribers", "5",
     amoc::config::type::integer, amoc::config::rules::in_range(2, 10000)},
    {"pubsub_service", "the PubSub service's JID (unset: pubsub.<xmpp_domain>)", "",
     amoc::config::type::string, std::nullopt, amoc::config::update_policy::read_only(), true},
    {"pubsub_node_prefix", "node names are this prefix and the publisher's username", "amoc_",
     amoc::config::type::string, std::nullopt},
    {"pubsub_max_items", "items a node created by a publisher keeps", "100",
     amoc::config::type::integer, amoc::config::rules::in_range(1, 1000000)},
    {"pubsub_delete_nodes", "publishers delete their node at the end", "true",
     amoc::config::type::boolean, std::nullopt},
    {"publish_count", "items each publisher publishes per iteration", "10",
     amoc::config::type::integer, amoc::config::rules::in_range(0, 1000000)},
    {"publish_interval", "time between two items of a publisher", "1s",
     amoc::config::type::duration, amoc::config::rules::positive()},
    {"setup_timeout",
     "how long a publisher waits for its subscribers, and a subscriber for the node", "10s",
     amoc::config::type::duration, amoc::config::rules::positive()},
    {"linger", "how long a subscriber waits for the last items after the publishing time", "5s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
  })));
