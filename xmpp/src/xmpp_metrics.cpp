#include "xmpp_metrics.hpp"

#include <string>

#include "amoc/metrics_on_demand.hpp"

namespace amoc::xmpp::detail {

namespace {

// Recorded when they happen (see failed and login_phase_took).
const metrics::on_demand on_demand_metrics{[] {
  std::vector<std::string> names{"xmpp.login_failures"};
  for (auto p : all_phases) {
    names.push_back(std::string{"xmpp.failures."} + to_string(p));
    names.push_back(std::string{"xmpp.login."} + to_string(p));
  }
  return names;
}()};

}  // namespace

xmpp_metrics::xmpp_metrics(metrics::registry& r)
    : registry(r), connections(r.counter("xmpp.connections")), connected(r.gauge("xmpp.connected")),
      logins(r.counter("xmpp.logins")), stanzas_sent(r.counter("xmpp.stanzas_sent")),
      stanzas_received(r.counter("xmpp.stanzas_received")),
      messages_sent(r.counter("xmpp.messages_sent")),
      messages_received(r.counter("xmpp.messages_received")),
      unread_dropped(r.counter("xmpp.unread_dropped")), ttd(r.histogram("xmpp.ttd")),
      login(r.histogram("xmpp.login")) {}

// Looked up by name when they happen: failures are rare and a login records
// a handful of phases, so only metrics that exist get reported.
void xmpp_metrics::failed(phase p, bool during_login) {
  registry.counter(std::string{"xmpp.failures."} + to_string(p)).add();
  if (during_login)
    registry.counter("xmpp.login_failures").add();
}

void xmpp_metrics::login_phase_took(phase p, duration d) {
  registry.histogram(std::string{"xmpp.login."} + to_string(p)).record(d);
}

}  // namespace amoc::xmpp::detail
