#include "metric_patterns.hpp"

#include <algorithm>
#include <initializer_list>
#include <map>

#include "amoc/metric_name.hpp"

namespace amoc::scenarios {

namespace {

// Sets several scenarios record, each written once.

// The XMPP client's (xmpp/src/xmpp_metrics.cpp): every scenario that logs in.
const metric_patterns xmpp_client{"xmpp.connections",
                                  "xmpp.connected",
                                  "xmpp.logins",
                                  "xmpp.login",
                                  "xmpp.login.<phase>",
                                  "xmpp.login_failures",
                                  "xmpp.failures.<phase>",
                                  "xmpp.stanzas_sent",
                                  "xmpp.stanzas_received",
                                  "xmpp.messages_sent",
                                  "xmpp.messages_received",
                                  "xmpp.unread_dropped",
                                  "xmpp.ttd"};

// The HTTP client's (libamoc/http/src/http_metrics.cpp), <name> the request's name.
const metric_patterns http_client{"http.requests",
                                  "http.connections",
                                  "http.failures.<phase>",
                                  "http.<name>.status.<code>",
                                  "http.<name>.failures",
                                  "http.<name>.latency",
                                  "http.<name>.latency_corrected"};

// The mutual subscription handshake's (mutual_subscriptions.cpp).
const metric_patterns roster{"xmpp.roster.subscribe",     "xmpp.roster.mutual",
                             "xmpp.roster.subscriptions", "xmpp.roster.pushes",
                             "xmpp.roster.incomplete",    "xmpp.roster.removed"};

// What publish_metrics.hpp records under `prefix`.
metric_patterns publishing(const std::string& prefix) {
  metric_patterns out;
  for (const char* what :
       {"publish", "published", "publish_errors", "notifications", "lost", "ttd"})
    out.push_back(prefix + "." + what);
  return out;
}

metric_patterns joined(std::initializer_list<metric_patterns> sets) {
  metric_patterns out;
  for (const auto& s : sets)
    out.insert(out.end(), s.begin(), s.end());
  return out;
}

using table = std::map<std::string, metric_patterns, std::less<>>;

// Each scenario's own names are those its init() and start() record.
const table& built_in() {
  static const table t{
    {"dummy", {}},
    {"throttled",
     {"throttled.actions", "throttle.throttled.requests", "throttle.throttled.executions"}},
    {"http_get", http_client},
    {"xmpp_one_to_one", xmpp_client},
    {"xmpp_conversations", joined({xmpp_client, {"conversations.paired", "conversations.alone"}})},
    {"xmpp_mam", joined({xmpp_client,
                         {"xmpp.mam.page", "xmpp.mam.query", "xmpp.mam.queries", "xmpp.mam.pages",
                          "xmpp.mam.messages", "xmpp.mam.found", "xmpp.mam.missing",
                          "xmpp.mam.incomplete", "xmpp.mam.duplicates"}})},
    {"xmpp_mixed_transports",
     joined({xmpp_client,
             {"xmpp.transport.<t>.logins", "xmpp.transport.<t>.login",
              "xmpp.transport.<t>.messages_sent", "xmpp.transport.<t>.messages_received",
              "xmpp.transport.<t>.ttd"}})},
    {"xmpp_muc",
     joined({xmpp_client,
             {"xmpp.muc.join", "xmpp.muc.join_failures", "xmpp.muc.join_retries",
              "xmpp.muc.rooms_created", "xmpp.muc.fill_timeouts", "xmpp.muc.messages_sent",
              "xmpp.muc.messages_received", "xmpp.muc.ttd", "xmpp.muc.room.<N>.messages_sent",
              "xmpp.muc.room.<N>.messages_received"}})},
    {"xmpp_registration",
     joined({xmpp_client,
             {"xmpp.registration.registered", "xmpp.registration.removed",
              "xmpp.registration.register", "xmpp.registration.login", "xmpp.registration.removal",
              "xmpp.registration.failures.<condition>",
              "xmpp.registration.removal.failures.<condition>"}})},
    {"xmpp_reconnect",
     joined({xmpp_client,
             {"xmpp.reconnect.drops", "xmpp.reconnect.resumed", "xmpp.reconnect.resume_failures",
              "xmpp.reconnect.fresh_logins", "xmpp.reconnect.resent", "xmpp.reconnect.in_order",
              "xmpp.reconnect.lost", "xmpp.reconnect.duplicates", "xmpp.reconnect.resume"}})},
    {"xmpp_roster_presence",
     joined({xmpp_client,
             roster,
             {"xmpp.presence.sent", "xmpp.presence.received", "xmpp.presence.ttd"}})},
    {"xmpp_pubsub", joined({xmpp_client,
                            publishing("xmpp.pubsub"),
                            {"xmpp.pubsub.setup_timeouts", "xmpp.pubsub.subscriptions",
                             "xmpp.pubsub.subscribe_errors"}})},
    {"xmpp_pep",
     joined({xmpp_client, roster, publishing("xmpp.pep"), {"xmpp.pep.cleanup_failures"}})},
  };
  return t;
}

bool wildcard(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '<' && segment.back() == '>';
}

}  // namespace

const metric_patterns* built_in_metrics(std::string_view name) {
  const auto& t = built_in();
  const auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

std::vector<std::string> scenarios_with_metrics() {
  std::vector<std::string> names;
  for (const auto& [name, _] : built_in())
    names.push_back(name);
  return names;
}

bool matches(std::string_view pattern, std::string_view metric) {
  const auto p = metrics::segments_of(pattern);
  const auto m = metrics::segments_of(metric);
  if (p.size() != m.size())
    return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (m[i].empty() || (p[i] != m[i] && !wildcard(p[i])))
      return false;
  return true;
}

std::string filled_in(std::string_view pattern, std::string_view metric) {
  const auto p = metrics::segments_of(pattern);
  const auto m = metrics::segments_of(metric);
  if (p.size() != m.size())
    return std::string{pattern};
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i)
    out.append(i ? "." : "").append(wildcard(p[i]) ? m[i] : p[i]);
  return out;
}

}  // namespace amoc::scenarios
