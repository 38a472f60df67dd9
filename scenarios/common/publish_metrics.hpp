#pragma once

// What a publish-subscribe scenario measures, under its own prefix: shared by
// xmpp_pubsub (`xmpp.pubsub.*`) and xmpp_pep (`xmpp.pep.*`).

#include <string>
#include <string_view>

#include "amoc/metrics.hpp"

namespace amoc::scenarios {

struct publish_metrics {
  metrics::histogram* publish;       ///< PREFIX.publish: publish sent -> its result
  metrics::counter* published;       ///< PREFIX.published: items the server took
  metrics::counter* publish_errors;  ///< PREFIX.publish_errors: publishes answered with an error
  metrics::counter* notifications;   ///< PREFIX.notifications: fresh items received
  metrics::counter* lost;            ///< PREFIX.lost: items expected and never received
  metrics::histogram* ttd;           ///< PREFIX.ttd: the item's send stamp -> its arrival

  [[nodiscard]] static publish_metrics in(metrics::registry& r, std::string_view prefix) {
    const auto name = [&](std::string_view what) {
      return std::string{prefix} + "." + std::string{what};
    };
    return {&r.histogram(name("publish")),      &r.counter(name("published")),
            &r.counter(name("publish_errors")), &r.counter(name("notifications")),
            &r.counter(name("lost")),           &r.histogram(name("ttd"))};
  }
};

}  // namespace amoc::scenarios
