#pragma once

// A user's contacts in a group of users, and the RFC 6121 handshake that makes
// each presence subscription mutual: shared by xmpp_roster_presence and xmpp_pep.
//
// Users 1..G form the first group, G+1..2G the second, and so on. In each pair
// of a group the user with the higher id asks first (the lower one logged in
// earlier, so the request finds it online); the other approves and asks back:
//
//   higher: subscribe ->          lower: <- subscribed, <- subscribe
//   higher: subscribed ->         both get a roster push with subscription='both'

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "amoc/metrics.hpp"
#include "amoc/task.hpp"
#include "amoc/user.hpp"
#include "amoc/xmpp/client.hpp"

namespace amoc::scenarios {

/// Where the handshake records what it measured (`in` names them `xmpp.roster.*`).
struct subscription_metrics {
  metrics::histogram* subscribed;  ///< xmpp.roster.subscribe: subscribe sent -> subscribed came
  metrics::histogram* mutual;      ///< xmpp.roster.mutual: subscribe sent -> push with 'both'
  metrics::counter* made;          ///< xmpp.roster.subscriptions: contacts that became mutual
  metrics::counter* pushes;        ///< xmpp.roster.pushes: roster pushes received (and answered)
  metrics::counter* incomplete;    ///< xmpp.roster.incomplete: contacts not mutual in time
  metrics::counter* removed;       ///< xmpp.roster.removed: contacts removed at the end

  [[nodiscard]] static subscription_metrics in(metrics::registry& r);
};

/// One user's side of the handshakes with the rest of its group.
class mutual_subscriptions {
public:
  /// The contacts of user `u` in groups of `group_size` (bare JIDs on `domain`);
  /// a users_file without a row for a member leaves that member out.
  mutual_subscriptions(const user& u, xmpp::client& c, std::uint64_t group_size,
                       subscription_metrics m);

  /// Gets the roster (only a resource that asked for it gets pushes, RFC 6121
  /// §2.1.6), notes the contacts already mutual (a run stopped before its
  /// cleanup), sends `initial_presence` and asks the contacts of lower id.
  [[nodiscard]] task<> begin(const xmpp::stanza& initial_presence, duration timeout);
  /// Runs the handshakes until every contact is mutual, `timeout` passed or the user is stopped;
  /// stanzas that are not part of them go to `other`. Counts the contacts
  /// still not mutual as incomplete.
  [[nodiscard]] task<> complete(duration timeout,
                                const std::function<void(const xmpp::stanza&)>& other);
  /// Answers a stanza of the handshake (a subscription presence or roster
  /// push from a contact); false for any other stanza.
  bool handle(const xmpp::stanza& s);
  /// Removes every contact from the roster, which cancels the subscriptions
  /// both ways (RFC 6121 §2.5.2), so the next run starts from an empty roster.
  [[nodiscard]] task<> remove_all(duration timeout);

  [[nodiscard]] std::size_t contact_count() const noexcept { return contacts_.size(); }
  [[nodiscard]] std::size_t mutual_count() const noexcept;
  /// Whether `from` (any resource) is one of the contacts.
  [[nodiscard]] bool is_contact(std::string_view from) const;

private:
  struct contact {
    std::uint64_t id;
    xmpp::jid jid;  // bare
    std::optional<xmpp::stanza::time_point> asked_at = {};
    bool subscribed = false;  // its subscribed arrived
    bool mutual = false;
  };

  contact* find(std::string_view from);
  void ask(contact& c);
  void on_presence(contact& c, std::string_view type, const xmpp::stanza& s);
  void on_push(const xmpp::stanza& push);

  const user& user_;
  xmpp::client& client_;
  std::uint64_t me_;
  subscription_metrics metrics_;
  std::vector<contact> contacts_;
};

}  // namespace amoc::scenarios
