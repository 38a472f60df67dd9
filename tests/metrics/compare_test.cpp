#include "amoc/compare.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "amoc/compare_report.hpp"
#include "amoc/error.hpp"
#include "amoc/metrics_on_demand.hpp"
#include "result_docs.hpp"

using namespace amoc;
using namespace amoc::comparison;

namespace {

// Declared as a module declares its failure counters: recorded only when they happen.
const metrics::on_demand test_failures{{"compare_test.failures.*"}};

// Latencies below 2.048 ms: the HDR histograms hold them exactly (3 digits).
nlohmann::json fast_run() {
  test::run_shape shape;
  shape.ttd_ms = 1.0;
  return test::result_doc(shape);
}

nlohmann::json slow_run() {
  test::run_shape shape;
  shape.seconds = 8;
  shape.ttd_ms = 2.0;
  shape.per_user = 3;
  shape.connect_failures = 3;
  return test::result_doc(shape);
}

rule parsed(const std::string& text) {
  auto r = parse_rule(text);
  EXPECT_TRUE(r) << text << ": " << (r ? "" : render(r.error()));
  return r ? *r : rule{};
}

std::string refusal(const std::string& text) {
  auto r = parse_rule(text);
  EXPECT_FALSE(r) << text;
  return r ? "" : context_of(r.error());
}

verdict judged(const std::string& text, const nlohmann::json& base, const nlohmann::json& now) {
  auto v = judge({parsed(text)}, base, now);
  EXPECT_TRUE(v) << text << ": " << (v ? "" : render(v.error()));
  return v && !v->empty() ? v->front() : verdict{};
}

}  // namespace

TEST(compare_rules, values_without_a_sign_are_new_values_signed_ones_changes_percent_relative) {
  auto r = parsed("xmpp.ttd p99 > +10%");
  EXPECT_EQ(r.metric, "xmpp.ttd");
  EXPECT_EQ(r.stat, "p99");
  EXPECT_EQ(r.op, threshold::comparison::gt);
  EXPECT_EQ(r.by, rule::mode::relative);
  EXPECT_EQ(r.limit, 10);
  r = parsed("  xmpp.ttd   p99.9>=+20ms ");
  EXPECT_EQ(r.text, "xmpp.ttd   p99.9>=+20ms");
  EXPECT_EQ(r.stat, "p999");
  EXPECT_EQ(r.op, threshold::comparison::ge);
  EXPECT_EQ(r.by, rule::mode::change);
  EXPECT_EQ(r.limit, 20'000);  // µs
  EXPECT_TRUE(r.limit_is_duration);
  r = parsed("xmpp.messages_sent rate < -5%");
  EXPECT_EQ(r.by, rule::mode::relative);
  EXPECT_EQ(r.limit, -5);
  r = parsed("xmpp.ttd avg < -1.5ms");
  EXPECT_EQ(r.stat, "mean");
  EXPECT_EQ(r.limit, -1500);
  r = parsed("xmpp.login_failures count > 0");
  EXPECT_EQ(r.by, rule::mode::value);
  EXPECT_EQ(r.limit, 0);
  r = parsed("xmpp.ttd p999 != 2s");
  EXPECT_EQ(r.stat, "p999");
  EXPECT_EQ(r.limit, 2'000'000);
  EXPECT_EQ(parsed("http.requests rate <= 100/s").limit, 100);
  EXPECT_EQ(parsed("xmpp.ttd max > 10%").limit, 10);
}

TEST(compare_rules, bad_rules_are_refused_naming_the_rule_and_the_problem) {
  EXPECT_NE(refusal("").find("empty"), std::string::npos);
  EXPECT_NE(refusal("xmpp.ttd").find("rule \"xmpp.ttd\": no statistic"), std::string::npos);
  EXPECT_NE(refusal("xmpp.ttd p99 500ms").find("no comparison operator"), std::string::npos);
  EXPECT_NE(refusal("xmpp.ttd p97 > 5ms").find("p50, p90, p95, p99 and p999"), std::string::npos);
  const auto unknown = refusal("xmpp.ttd pxx > +10%");
  EXPECT_NE(unknown.find("rule \"xmpp.ttd pxx > +10%\": unknown aggregation \"pxx\""),
            std::string::npos)
    << unknown;
  EXPECT_NE(refusal("xmpp.ttd p99 > fast").find("\"fast\" is not a duration"), std::string::npos);
  EXPECT_NE(refusal("xmpp.ttd p99 > +ten%").find("\"+ten%\" is not a percentage"),
            std::string::npos);
  EXPECT_NE(refusal("xmpp.ttd p99 >").find("no value"), std::string::npos);
  EXPECT_NE(refusal("users.started count > many").find("not a number"), std::string::npos);
}

TEST(compare_rules, judged_on_two_runs) {
  const auto base = fast_run(), now = slow_run();
  auto v = judged("xmpp.ttd p99 > +10%", base, now);
  EXPECT_TRUE(v.crossed);
  EXPECT_EQ(v.base, 1.0);
  EXPECT_EQ(v.now, 2.0);
  EXPECT_EQ(v.unit, "ms");
  EXPECT_EQ(v.describe(), "xmpp.ttd p99 > +10%: 1.00ms -> 2.00ms (+1.00ms, +100.0%)");
  EXPECT_FALSE(judged("xmpp.ttd p99 > +100%", base, now).crossed);
  EXPECT_TRUE(judged("xmpp.ttd p99 >= +100%", base, now).crossed);
  EXPECT_FALSE(judged("xmpp.ttd p99 > +1ms", base, now).crossed);
  EXPECT_TRUE(judged("xmpp.ttd p99 > +999us", base, now).crossed);
  EXPECT_TRUE(judged("xmpp.ttd p99 > 1.9", base, now).crossed);
  EXPECT_FALSE(judged("xmpp.ttd p99 > 2ms", base, now).crossed);
  EXPECT_TRUE(judged("xmpp.ttd mean < -10%", now, base).crossed);
  // Rate: 40/s before, 30/s after: -25 %.
  EXPECT_TRUE(judged("xmpp.messages_sent rate < -5%", base, now).crossed);
  EXPECT_FALSE(judged("xmpp.messages_sent rate < -30%", base, now).crossed);
  EXPECT_FALSE(judged("xmpp.messages_sent rate < -30%", base, now).crossed);
  // Only NEW recorded connect failures: BASE counted none, +inf %.
  v = judged("xmpp.failures.connect count > 0", base, now);
  EXPECT_TRUE(v.crossed);
  EXPECT_EQ(v.base, 0.0);
  EXPECT_EQ(v.now, 3.0);
  EXPECT_TRUE(judged("xmpp.failures.connect count > +50%", base, now).crossed);
  EXPECT_FALSE(judged("xmpp.failures.connect count > +50%", now, now).crossed);
  // Gauges: peak users.
  EXPECT_FALSE(judged("users.running max < 10", base, now).crossed);
  // Declared on demand and never recorded: zero in both.
  v = judged("compare_test.failures.login count > 0", base, now);
  EXPECT_FALSE(v.crossed);
  EXPECT_EQ(v.now, 0.0);
}

TEST(compare_rules, a_value_a_run_lacks_crosses_the_rule_with_a_note) {
  auto base = fast_run();
  base["metrics"]["histograms"].erase("xmpp.ttd");
  const auto v = judged("xmpp.ttd p99 > +10%", base, slow_run());
  EXPECT_TRUE(v.crossed);
  EXPECT_EQ(v.describe(), "xmpp.ttd p99 > +10%: no value of xmpp.ttd p99 in BASE (no samples): "
                          "cannot judge");
}

TEST(compare_rules, rules_on_unknown_metrics_or_wrong_statistics_are_errors) {
  const auto base = fast_run(), now = slow_run();
  auto refused = [&](const std::string& text) {
    auto v = judge({parsed(text)}, base, now);
    EXPECT_FALSE(v) << text;
    return v ? "" : context_of(v.error());
  };
  EXPECT_EQ(refused("xmpp.tdd p99 > +10%"),
            "rule \"xmpp.tdd p99 > +10%\": xmpp.tdd was recorded in neither run (did you mean "
            "xmpp.ttd?)");
  EXPECT_EQ(refused("xmpp.messages_sent p99 > 1ms"),
            "rule \"xmpp.messages_sent p99 > 1ms\": p99 does not apply to a counter (use count, "
            "rate)");
  EXPECT_EQ(refused("users.running max > 5ms"),
            "rule \"users.running max > 5ms\": max of a gauge compares with a plain number, not a "
            "duration");
}

TEST(compare, documents_that_cannot_be_compared_are_named) {
  const auto ok = fast_run();
  auto other = fast_run();
  other["scenario"] = "dummy";
  auto why = [](const caf::error& e) { return e ? context_of(e) : std::string{"compared"}; };
  EXPECT_EQ(why(check_comparable(ok, other, "a.json", "b.json")),
            "a.json ran scenario \"xmpp_chat\", b.json ran \"dummy\": compare two runs of one "
            "scenario");
  const nlohmann::json failed{{"scenario", "xmpp_chat"}, {"state", "error"}, {"error", "boom"}};
  EXPECT_EQ(why(check_comparable(failed, ok)),
            "BASE: the run ended in error (boom): it measured nothing to compare");
  EXPECT_NE(why(check_comparable(ok, nlohmann::json{{"a", 1}})).find("NEW: not a result document"),
            std::string::npos);
  EXPECT_NE(why(check_comparable(ok, nlohmann::json::array())).find("NEW: not a result document"),
            std::string::npos);
  EXPECT_EQ(why(check_comparable(ok, slow_run())), "compared");
}

TEST(compare, every_statistic_side_by_side_with_its_changes) {
  const auto all = rows(fast_run(), slow_run());
  auto find = [&](const std::string& metric, const std::string& stat) {
    for (const auto& r : all)
      if (r.metric == metric && r.stat == stat)
        return r;
    ADD_FAILURE() << metric << " " << stat;
    return row{};
  };
  // 3 counters x 2, 1 gauge x 3, 1 histogram x 10.
  EXPECT_EQ(all.size(), 3u * 2 + 3 + 10);
  auto p99 = find("xmpp.ttd", "p99");
  EXPECT_EQ(p99.change(), 1.0);
  EXPECT_EQ(p99.relative_change(), 100.0);
  auto failures = find("xmpp.failures.connect", "count");
  EXPECT_EQ(failures.base, 0.0);
  EXPECT_TRUE(std::isinf(*failures.relative_change()));
  auto rate = find("xmpp.messages_sent", "rate");
  EXPECT_EQ(rate.unit, "/s");
  EXPECT_EQ(rate.relative_change(), -25.0);
  EXPECT_EQ(find("users.started", "count").relative_change(), 0.0);
  EXPECT_EQ(format_percent(rate.relative_change()), "-25.0%");
  EXPECT_EQ(format_percent(failures.relative_change()), "+inf%");
  EXPECT_EQ(format_change(p99.change(), "ms"), "+1.00ms");
  EXPECT_EQ(format_change(0.0, "ms"), "0");

  auto verdicts =
    judge({parsed("xmpp.ttd p99 > +10%"), parsed("xmpp.ttd p99 > 1s")}, fast_run(), slow_run());
  ASSERT_TRUE(verdicts);
  const auto text = text_table(all, *verdicts);
  EXPECT_NE(text.find("metric"), std::string::npos);
  EXPECT_NE(text.find("change %"), std::string::npos);
  EXPECT_NE(text.find("  xmpp.ttd               p99        1.00ms   2.00ms   +1.00ms    +100.0%\n"),
            std::string::npos)
    << text;
  EXPECT_NE(text.find("✗ xmpp.ttd p99 > +10%: 1.00ms -> 2.00ms"), std::string::npos) << text;
  EXPECT_NE(text.find("✓ xmpp.ttd p99 > 1s"), std::string::npos) << text;
}

TEST(compare_report, both_runs_on_the_same_charts) {
  const auto base = fast_run(), now = slow_run();
  auto verdicts = judge({parsed("xmpp.ttd p99 > +10%")}, base, now);
  ASSERT_TRUE(verdicts);
  const auto html = html_comparison(base, now, *verdicts, "base.json", "new <1>.json");
  for (auto part : {"REGRESSION", "Regression rules", "xmpp.ttd p99 &gt; +10%", "Users over time",
                    "Message and request rates", "Latency: xmpp.ttd", "Failures per interval",
                    "base.json", "new &lt;1&gt;.json", "users running (base)",
                    "users running (new)", "p99 (base)", "p99 (new)", "+100.0%", "class=\"worse\""})
    EXPECT_NE(html.find(part), std::string::npos) << part;
  for (auto attribute : {"<script", "src=", "href=", "url("})
    EXPECT_EQ(html.find(attribute), std::string::npos) << attribute;
  // Each chart: base dashed, new solid, as many of one as of the other.
  std::size_t charts = 0, dashed = 0, solid = 0;
  for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1))
    ++charts;
  for (auto at = html.find("<polyline"); at != std::string::npos;
       at = html.find("<polyline", at + 1)) {
    const auto end = html.find('>', at);
    (html.substr(at, end - at).find("stroke-dasharray") != std::string::npos ? dashed : solid)++;
  }
  EXPECT_EQ(charts, 4u);
  EXPECT_GE(dashed, 5u);
  EXPECT_EQ(dashed, solid);
  // The x axis spans the longer run (8 s): its tick labels reach 8s.
  EXPECT_NE(html.find(">8s</text>"), std::string::npos);
  if (const char* out = std::getenv("AMOC_COMPARE_REPORT_OUT"))
    std::ofstream{out} << html;
  EXPECT_NE(html_comparison(base, now, {}, "a", "b").find("COMPARED"), std::string::npos);
}

TEST(compare, documents_with_wrong_types_are_refused_or_read_without_throwing) {
  // Every value of a real result replaced by each wrong type in turn: the
  // comparison refuses the document by name, or compares it without throwing.
  const auto good = fast_run();
  const std::vector<nlohmann::json> wrong{nlohmann::json(7), nlohmann::json("x"),
                                          nlohmann::json::array({1, "a"}), nlohmann::json(nullptr),
                                          nlohmann::json::object({{"k", "v"}})};
  std::vector<nlohmann::json::json_pointer> paths;
  const auto flat = good.flatten();
  for (const auto& [pointer, _] : flat.items()) {
    nlohmann::json::json_pointer p{pointer};
    for (; !p.empty(); p = p.parent_pointer())
      paths.push_back(p);
  }
  std::size_t refused = 0, read = 0;
  const auto rule = parsed("xmpp.ttd p99 > +10%");
  for (const auto& path : paths)
    for (const auto& value : wrong) {
      auto doc = good;
      doc[path] = value;
      const nlohmann::json* changed = &doc;
      for (const auto& [base, now] : {std::pair{&good, changed}, std::pair{changed, &good}}) {
        if (check_comparable(*base, *now)) {
          ++refused;
          continue;
        }
        ++read;
        EXPECT_NO_THROW({
          auto verdicts = judge({rule}, *base, *now);
          const auto table =
            text_table(rows(*base, *now), verdicts ? *verdicts : std::vector<verdict>{});
          const auto html =
            html_comparison(*base, *now, verdicts ? *verdicts : std::vector<verdict>{}, "a", "b");
        }) << path.to_string()
           << " = " << value.dump();
      }
    }
  EXPECT_GT(refused, 0u);
  EXPECT_GT(read, 0u);
}
