// What the built-in scenarios record (scenarios/check/metric_patterns.hpp), which
// `amoc check` holds thresholds to, against docs/metrics.md's table of every
// metric, both ways; and an entry for every built-in scenario.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "amoc/scenario.hpp"
#include "check/metric_patterns.hpp"

namespace {

using amoc::scenarios::built_in_metrics;
using amoc::scenarios::filled_in;
using amoc::scenarios::matches;
using amoc::scenarios::scenarios_with_metrics;

const std::string source_dir = AMOC_SOURCE_DIR;

// A row of the table: its name pattern and the scenario its text names, if any.
struct documented {
  std::string pattern;
  std::string scenario;
};

// The rows of the table under "## Every metric".
std::vector<documented> documented_metrics() {
  std::ifstream in{source_dir + "/docs/metrics.md"};
  const std::regex row{R"(^\| `([^`]+)` \|.*\|([^|]*)\|\s*$)"};
  const std::regex owner{R"(scenario `([a-z0-9_]+)`)"};
  std::vector<documented> rows;
  bool in_table_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("## "))
      in_table_section = line == "## Every metric";
    std::smatch m;
    if (!in_table_section || !std::regex_match(line, m, row))
      continue;
    const std::string what = m[2];
    std::smatch o;
    rows.push_back({m[1], std::regex_search(what, o, owner) ? o[1].str() : std::string{}});
  }
  return rows;
}

std::vector<std::string> split(const std::string& name) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', start)) {
    out.push_back(name.substr(start, dot - start));
    start = dot + 1;
  }
  out.push_back(name.substr(start));
  return out;
}

bool is_wildcard(const std::string& s) { return s.starts_with('<') && s.ends_with('>'); }

// Whether two patterns can name the same metric: `throttle.throttled.requests`
// is one of `throttle.<name>.requests`.
bool overlap(const std::string& a, const std::string& b) {
  const auto x = split(a), y = split(b);
  if (x.size() != y.size())
    return false;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i] != y[i] && !is_wildcard(x[i]) && !is_wildcard(y[i]))
      return false;
  return true;
}

bool covered(const amoc::scenarios::metric_patterns& patterns, const std::string& row) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const auto& p) { return overlap(p, row); });
}

// The scenarios a row without "scenario `X`" belongs to, by its first segment:
// the XMPP client's to every XMPP scenario, the HTTP client's to http_get, the
// throttles' to throttled (the one built-in that starts one).
std::vector<std::string> owners(const documented& row) {
  if (!row.scenario.empty())
    return {row.scenario};
  std::vector<std::string> out;
  if (row.pattern.starts_with("xmpp."))
    for (const auto& name : scenarios_with_metrics())
      if (name.starts_with("xmpp_"))
        out.push_back(name);
  if (row.pattern.starts_with("http."))
    out.push_back("http_get");
  if (row.pattern.starts_with("throttle."))
    out.push_back("throttled");
  return out;
}

TEST(metric_patterns, the_documentation_table_is_read) {
  const auto rows = documented_metrics();
  EXPECT_GT(rows.size(), 90u);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front().pattern, "users.started");
}

TEST(metric_patterns, every_documented_metric_is_one_its_scenarios_record) {
  for (const auto& row : documented_metrics()) {
    if (row.pattern.starts_with("users."))
      continue;  // every run's, checked by name in amoc check
    const auto scenarios = owners(row);
    EXPECT_FALSE(scenarios.empty()) << row.pattern << ": no scenario named in its row";
    for (const auto& s : scenarios) {
      const auto* patterns = built_in_metrics(s);
      ASSERT_NE(patterns, nullptr) << s << " (documented for " << row.pattern << ")";
      EXPECT_TRUE(covered(*patterns, row.pattern)) << s << " lacks " << row.pattern;
    }
  }
}

TEST(metric_patterns, every_pattern_is_documented) {
  std::vector<std::string> rows;
  for (const auto& row : documented_metrics())
    rows.push_back(row.pattern);
  for (const auto& s : scenarios_with_metrics())
    for (const auto& p : *built_in_metrics(s))
      EXPECT_TRUE(covered(rows, p)) << s << ": " << p << " is not in docs/metrics.md";
}

TEST(metric_patterns, every_built_in_scenario_has_an_entry_and_every_entry_a_scenario) {
  for (const auto& name : amoc::scenario_names()) {
    const auto* info = amoc::find_scenario(name);
    if (info->origin != "built-in"
        || !std::filesystem::exists(source_dir + "/scenarios/" + info->source))
      continue;  // registered by a test
    EXPECT_NE(built_in_metrics(name), nullptr) << name << " (" << info->source << ")";
  }
  for (const auto& name : scenarios_with_metrics())
    EXPECT_NE(amoc::find_scenario(name), nullptr) << name;
}

TEST(metric_patterns, a_segment_in_angle_brackets_stands_for_one_segment) {
  EXPECT_TRUE(matches("xmpp.failures.<phase>", "xmpp.failures.sasl"));
  EXPECT_TRUE(matches("http.<name>.status.<code>", "http.get.status.200"));
  EXPECT_TRUE(matches("xmpp.ttd", "xmpp.ttd"));
  EXPECT_FALSE(matches("xmpp.ttd", "xmpp.tdd"));
  EXPECT_FALSE(matches("xmpp.failures.<phase>", "xmpp.failures"));
  EXPECT_FALSE(matches("xmpp.failures.<phase>", "xmpp.failures.sasl.x"));
  EXPECT_FALSE(matches("xmpp.failures.<phase>", "xmpp.failures."));
  EXPECT_FALSE(matches("<a>", ""));
}

TEST(metric_patterns, known_and_unknown_names_by_scenario) {
  const auto records = [](const std::string& scenario, const std::string& metric) {
    const auto& ps = *built_in_metrics(scenario);
    return std::any_of(ps.begin(), ps.end(), [&](const auto& p) { return matches(p, metric); });
  };
  EXPECT_TRUE(records("xmpp_one_to_one", "xmpp.ttd"));
  EXPECT_TRUE(records("xmpp_one_to_one", "xmpp.login.sasl"));
  EXPECT_FALSE(records("xmpp_one_to_one", "xmpp.tdd"));
  EXPECT_FALSE(records("xmpp_one_to_one", "xmpp.muc.ttd"));
  EXPECT_FALSE(records("xmpp_one_to_one", "http.get.latency"));
  EXPECT_TRUE(built_in_metrics("dummy")->empty());
  EXPECT_TRUE(records("http_get", "http.get.latency"));
  EXPECT_FALSE(records("http_get", "http.get.latncy"));
  EXPECT_FALSE(records("http_get", "xmpp.ttd"));
  EXPECT_TRUE(records("throttled", "throttle.throttled.requests"));
  EXPECT_FALSE(records("throttled", "throttle.other.requests"));
  EXPECT_TRUE(records("xmpp_muc", "xmpp.muc.room.7.messages_received"));
  EXPECT_TRUE(records("xmpp_pep", "xmpp.roster.subscriptions"));
  EXPECT_FALSE(records("xmpp_pubsub", "xmpp.roster.subscriptions"));
  EXPECT_TRUE(records("xmpp_pubsub", "xmpp.pubsub.ttd"));
  EXPECT_FALSE(records("xmpp_pubsub", "xmpp.pep.ttd"));
  EXPECT_EQ(built_in_metrics("no_such_scenario"), nullptr);
}

TEST(metric_patterns, filled_in_takes_the_segments_of_the_name) {
  EXPECT_EQ(filled_in("xmpp.muc.room.<N>.messages_sent", "xmpp.muc.room.3.mesages_sent"),
            "xmpp.muc.room.3.messages_sent");
  EXPECT_EQ(filled_in("xmpp.ttd", "xmpp.tdd"), "xmpp.ttd");
  EXPECT_EQ(filled_in("xmpp.failures.<phase>", "xmpp.ttd"), "xmpp.failures.<phase>");
}

}  // namespace
