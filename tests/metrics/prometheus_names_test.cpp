// How amoc's metric names become Prometheus families and labels (the table
// in libamoc/outputs/src/prometheus_names.cpp, shown in docs/metrics.md).

#include <gtest/gtest.h>

#include "amoc/prometheus.hpp"

using namespace amoc::metrics;

namespace {

using k = metric_kind;

std::string shown(k kind, std::string_view metric) {
  const auto s = prometheus_series_of(kind, metric);
  std::string out = s.family;
  for (const auto& [name, value] : s.labels)
    out += " " + name + "=" + value;
  return out;
}

}  // namespace

TEST(prometheus_names, failures_by_phase_of_any_protocol_or_scenario) {
  EXPECT_EQ(shown(k::counter, "xmpp.failures.sasl"), "amoc_xmpp_failures_total phase=sasl");
  EXPECT_EQ(shown(k::counter, "http.failures.connect"), "amoc_http_failures_total phase=connect");
  EXPECT_EQ(shown(k::counter, "my.chat.failures.timeout"),
            "amoc_my_chat_failures_total phase=timeout");
  EXPECT_EQ(shown(k::counter, "xmpp.login_failures"), "amoc_xmpp_login_failures_total");
}

TEST(prometheus_names, http_metrics_by_request_name) {
  EXPECT_EQ(shown(k::counter, "http.login.status.200"),
            "amoc_http_responses_total name=login status=200");
  EXPECT_EQ(shown(k::counter, "http.login.failures"),
            "amoc_http_request_failures_total name=login");
  EXPECT_EQ(shown(k::histogram, "http.login.latency"), "amoc_http_latency_seconds name=login");
  EXPECT_EQ(shown(k::histogram, "http.get.latency_corrected"),
            "amoc_http_latency_corrected_seconds name=get");
  EXPECT_EQ(shown(k::counter, "http.requests"), "amoc_http_requests_total");
  EXPECT_EQ(shown(k::counter, "http.connections"), "amoc_http_connections_total");
  // A request named like a phase keeps its meaning: the more specific pattern wins.
  EXPECT_EQ(shown(k::counter, "http.failures.status.503"),
            "amoc_http_responses_total name=failures status=503");
}

TEST(prometheus_names, users_xmpp_and_throttles) {
  EXPECT_EQ(shown(k::counter, "users.started"), "amoc_users_started_total");
  EXPECT_EQ(shown(k::gauge, "users.running"), "amoc_users_running");
  EXPECT_EQ(shown(k::counter, "users.ended.scenario_error"),
            "amoc_users_ended_total reason=scenario_error");
  EXPECT_EQ(shown(k::histogram, "xmpp.ttd"), "amoc_xmpp_ttd_seconds");
  EXPECT_EQ(shown(k::histogram, "xmpp.login"), "amoc_xmpp_login_seconds");
  EXPECT_EQ(shown(k::histogram, "xmpp.login.sasl"), "amoc_xmpp_login_phase_seconds phase=sasl");
  EXPECT_EQ(shown(k::histogram, "xmpp.transport.bosh.ttd"),
            "amoc_xmpp_transport_ttd_seconds transport=bosh");
  EXPECT_EQ(shown(k::counter, "xmpp.transport.websocket_tls.logins"),
            "amoc_xmpp_transport_logins_total transport=websocket_tls");
  EXPECT_EQ(shown(k::counter, "throttle.send.executions"),
            "amoc_throttle_executions_total name=send");
  EXPECT_EQ(shown(k::counter, "xmpp.muc.room.12.messages_received"),
            "amoc_xmpp_muc_room_messages_received_total room=12");
  EXPECT_EQ(shown(k::counter, "xmpp.registration.failures.conflict"),
            "amoc_xmpp_registration_failures_total condition=conflict");
  EXPECT_EQ(shown(k::counter, "xmpp.registration.removal.failures.not-authorized"),
            "amoc_xmpp_registration_removal_failures_total condition=not-authorized");
  EXPECT_FALSE(prometheus_series_of(k::counter, "xmpp.logins").help.empty());
}

TEST(prometheus_names, a_pattern_applies_to_its_own_kind_only) {
  // A scenario's histogram named like an HTTP counter is not taken for one.
  EXPECT_EQ(shown(k::histogram, "http.x.status.200"), "amoc_http_x_status_200_seconds");
  EXPECT_EQ(shown(k::gauge, "xmpp.failures.sasl"), "amoc_xmpp_failures_sasl");
}

TEST(prometheus_names, unknown_names_are_sanitized_snake_case_without_labels) {
  EXPECT_EQ(shown(k::counter, "chat.sentOK"), "amoc_chat_sent_ok_total");
  EXPECT_EQ(shown(k::counter, "my-scenario.steps done"), "amoc_my_scenario_steps_done_total");
  EXPECT_EQ(shown(k::histogram, "chat.wait_seconds"), "amoc_chat_wait_seconds");
  EXPECT_EQ(shown(k::counter, "chat.sent_total"), "amoc_chat_sent_total");
  EXPECT_TRUE(prometheus_series_of(k::counter, "chat.sent").help.empty());
  EXPECT_EQ(prometheus_series_of(k::counter, "9lives", "").family, "_9lives_total");
}

TEST(prometheus_names, gauges_never_end_like_counters_or_histogram_series) {
  EXPECT_EQ(shown(k::gauge, "queue.total"), "amoc_queue_total_value");
  EXPECT_EQ(shown(k::gauge, "queue.count"), "amoc_queue_count_value");
  EXPECT_EQ(shown(k::gauge, "queue.depth"), "amoc_queue_depth");
}

TEST(prometheus_names, an_empty_segment_is_no_label_value) {
  EXPECT_EQ(shown(k::counter, "xmpp.failures."), "amoc_xmpp_failures__total");
  EXPECT_EQ(shown(k::counter, "http..status.200"), "amoc_http__status_200_total");
}
