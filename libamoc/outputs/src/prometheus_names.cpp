// How amoc's dotted metric names become Prometheus families and labels: one
// table of name patterns (docs/metrics.md shows the same table to users).

#include <array>
#include <cctype>
#include <optional>
#include <vector>

#include "amoc/metric_name.hpp"
#include "amoc/prometheus.hpp"

namespace amoc::metrics {

namespace {

// A pattern is dotted segments: `{label}` takes one segment as that label's
// value, a leading `*` takes one or more segments that stay in the family
// name, anything else must be equal. The family is written the same way
// (`*` as the segments it took); empty: the metric's own name. In the help
// text too, `*` stands for those segments.
struct rule {
  metric_kind kind;
  std::string_view pattern;
  std::string_view family;
  std::string_view help;
};

using k = metric_kind;

// Most specific first: the first match wins. A name that matches none keeps
// its own name without labels.
constexpr std::array rules{
  rule{k::counter, "users.started", "", "Users started since the run began."},
  rule{k::gauge, "users.running", "", "Users alive now (running, waiting or stopping)."},
  rule{k::counter, "users.ended.{reason}", "users.ended",
       "Users ended, by reason (normal, graceful_stop, forced_stop, scenario_error, node_lost)."},
  rule{k::counter, "xmpp.connections", "", "XMPP connections opened."},
  rule{k::gauge, "xmpp.connected", "", "XMPP connections open now."},
  rule{k::counter, "xmpp.logins", "", "XMPP logins completed."},
  rule{k::counter, "xmpp.login_failures", "", "XMPP logins that failed, in any phase."},
  rule{k::counter, "xmpp.stanzas_sent", "", "XMPP stanzas sent."},
  rule{k::counter, "xmpp.stanzas_received", "", "XMPP stanzas received."},
  rule{k::counter, "xmpp.messages_sent", "", "XMPP chat messages sent."},
  rule{k::counter, "xmpp.messages_received", "", "XMPP chat messages received."},
  rule{k::counter, "xmpp.unread_dropped", "",
       "Unread XMPP stanzas dropped past xmpp_max_unread_bytes."},
  rule{k::histogram, "xmpp.ttd", "", "XMPP message time to delivery, send stamp to arrival."},
  rule{k::histogram, "xmpp.login", "", "XMPP login time, connect to session ready."},
  rule{k::histogram, "xmpp.login.{phase}", "xmpp.login_phase", "XMPP login time by phase."},
  rule{k::counter, "xmpp.transport.{transport}.logins", "xmpp.transport_logins",
       "XMPP logins by transport (xmpp_mixed_transports)."},
  rule{k::histogram, "xmpp.transport.{transport}.login", "xmpp.transport_login",
       "XMPP login time by transport (xmpp_mixed_transports)."},
  rule{k::counter, "xmpp.transport.{transport}.messages_sent", "xmpp.transport_messages_sent",
       "XMPP chat messages sent by transport (xmpp_mixed_transports)."},
  rule{k::counter, "xmpp.transport.{transport}.messages_received",
       "xmpp.transport_messages_received",
       "XMPP chat messages received by transport (xmpp_mixed_transports)."},
  rule{k::histogram, "xmpp.transport.{transport}.ttd", "xmpp.transport_ttd",
       "XMPP message time to delivery by the receiver's transport (xmpp_mixed_transports)."},
  rule{k::counter, "http.requests", "", "HTTP requests sent (redirects followed count once)."},
  rule{k::counter, "http.connections", "", "HTTP connections opened."},
  rule{k::counter, "http.{name}.status.{status}", "http.responses",
       "HTTP responses by request name and status code."},
  rule{k::counter, "http.{name}.failures", "http.request_failures",
       "HTTP requests that got no response, by request name."},
  rule{k::histogram, "http.{name}.latency", "http.latency",
       "HTTP request latency by request name, send to response."},
  rule{k::histogram, "http.{name}.latency_corrected", "http.latency_corrected",
       "HTTP request latency by request name from the intended send time (open model)."},
  rule{k::counter, "throttle.{name}.requests", "throttle.requests",
       "Throttled actions asked for, by throttle name."},
  rule{k::counter, "throttle.{name}.executions", "throttle.executions",
       "Throttled actions let through, by throttle name."},
  rule{k::counter, "xmpp.muc.room.{room}.messages_sent", "xmpp.muc.room_messages_sent",
       "Groupchat messages sent, by room (scenario xmpp_muc)."},
  rule{k::counter, "xmpp.muc.room.{room}.messages_received", "xmpp.muc.room_messages_received",
       "Groupchat messages received from the other occupants, by room (scenario xmpp_muc)."},
  // Before the rule for phases: these segments are XMPP error conditions.
  rule{k::counter, "xmpp.registration.failures.{condition}", "xmpp.registration.failures",
       "In-band registrations that failed, by error condition (scenario xmpp_registration)."},
  rule{k::counter, "xmpp.registration.removal.failures.{condition}",
       "xmpp.registration.removal_failures",
       "Account removals that failed, by error condition (scenario xmpp_registration)."},
  rule{k::counter, "*.failures.{phase}", "*.failures", "Failures of * by phase."},
};

struct match {
  std::string star;  // the segments `*` took, dotted
  prometheus_labels found;
};

std::optional<match> match_rule(const rule& r, std::span<const std::string_view> name) {
  const auto pattern = metrics::segments_of(r.pattern);
  const bool starred = pattern.front() == "*";
  const std::size_t star_len = starred ? name.size() - (pattern.size() - 1) : 0;
  if (starred ? name.size() < pattern.size() : name.size() != pattern.size())
    return std::nullopt;
  match m;
  for (std::size_t i = 0; i < star_len; ++i)
    m.star += (i ? "." : "") + std::string{name[i]};
  for (std::size_t p = starred ? 1 : 0, n = star_len; p < pattern.size(); ++p, ++n) {
    const auto seg = pattern[p];
    if (seg.starts_with('{') && seg.ends_with('}') && !name[n].empty())
      m.found.emplace_back(seg.substr(1, seg.size() - 2), name[n]);
    else if (seg != name[n])
      return std::nullopt;
  }
  return m;
}

// Letters, digits and `_`, in snake case: `chat.sentOK` is `chat_sent_ok`.
std::string snake(std::string_view name) {
  std::string out;
  char before = 0;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isupper(u)
        && (std::islower(static_cast<unsigned char>(before))
            || std::isdigit(static_cast<unsigned char>(before))))
      out += '_';
    out += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
    before = c;
  }
  return out;
}

// The unit or type suffix a family of this kind ends with. A gauge whose name
// ends like a counter's or a histogram's series gets `_value`, as promtool asks.
std::string with_suffix(std::string name, metric_kind kind) {
  auto ends = [&](std::string_view s) { return name.ends_with(s); };
  switch (kind) {
  case k::counter:
    if (!ends("_total"))
      name += "_total";
    break;
  case k::histogram:
    if (!ends("_seconds"))
      name += "_seconds";
    break;
  case k::gauge:
    if (ends("_total") || ends("_count") || ends("_sum") || ends("_bucket"))
      name += "_value";
    break;
  }
  return name;
}

}  // namespace

prometheus_series prometheus_series_of(metric_kind kind, std::string_view metric,
                                       std::string_view prefix) {
  const auto name = metrics::segments_of(metric);
  prometheus_series s;
  std::string base{metric};
  for (const auto& r : rules) {
    if (r.kind != kind)
      continue;
    auto m = match_rule(r, name);
    if (!m)
      continue;
    if (!r.family.empty()) {
      base = r.family;
      if (base.starts_with('*'))
        base.replace(0, 1, m->star);
    }
    s.labels = std::move(m->found);
    s.help = r.help;
    if (const auto star = s.help.find('*'); star != std::string::npos)
      s.help.replace(star, 1, m->star);
    break;
  }
  s.family = prefix.empty() ? std::string{} : std::string{prefix} + "_";
  s.family += snake(base);
  if (s.family.empty() || std::isdigit(static_cast<unsigned char>(s.family.front())))
    s.family.insert(0, "_");
  s.family = with_suffix(std::move(s.family), kind);
  return s;
}

}  // namespace amoc::metrics
