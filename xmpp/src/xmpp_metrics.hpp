#pragma once

#include "amoc/config.hpp"
#include "amoc/metrics.hpp"
#include "amoc/xmpp/error.hpp"

namespace amoc::xmpp::detail {

/// The XMPP client's metrics in one node's registry, looked up once per
/// registry (`registry::attachment<xmpp_metrics>()`):
///   xmpp.connections (opened), xmpp.connected (open now), xmpp.logins,
///   xmpp.stanzas_sent / _received, xmpp.messages_sent / _received,
///   xmpp.ttd (time to delivery), xmpp.login (total login time),
///   xmpp.login.<phase> (time per login phase), xmpp.failures.<phase>,
///   xmpp.login_failures (failures before the login completed),
///   xmpp.unread_dropped (stanzas dropped because a user never read them).
struct xmpp_metrics {
  explicit xmpp_metrics(metrics::registry& r);

  /// Counts a failure in `p` (and a login failure when `during_login`).
  void failed(phase p, bool during_login);
  /// Records how long login phase `p` took.
  void login_phase_took(phase p, duration d);

  metrics::registry& registry;
  metrics::counter& connections;
  metrics::gauge& connected;
  metrics::counter& logins;
  metrics::counter& stanzas_sent;
  metrics::counter& stanzas_received;
  metrics::counter& messages_sent;
  metrics::counter& messages_received;
  metrics::counter& unread_dropped;
  metrics::histogram& ttd;
  metrics::histogram& login;
};

}  // namespace amoc::xmpp::detail
