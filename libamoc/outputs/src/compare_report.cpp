// The comparison report: two result documents on the same charts, BASE
// dashed and NEW solid, with the rules' verdicts and the side-by-side table.
// Charts and page parts are the run report's (svg_chart.hpp, report_parts.hpp).

#include "amoc/compare_report.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "amoc/metrics_format.hpp"
#include "report_parts.hpp"
#include "svg_chart.hpp"

namespace amoc {

namespace {

using json = nlohmann::json;
using comparison::metric_kind;
using detail::card;
using detail::chart_line;
using detail::escape;
using detail::member;
using detail::optional_values;

constexpr std::size_t max_rate_counters = 4;  // two lines each

// The two runs, and how their lines look.
struct pair_of_runs {
  const json& base;
  const json& now;
  std::vector<double> base_t;
  std::vector<double> now_t;
};

// `name`'s line in both runs: BASE dashed on its own times, NEW solid.
void add_both(std::vector<chart_line>& lines, const pair_of_runs& runs, const std::string& label,
              const json& base_values, const json& now_values, const std::string& color) {
  lines.push_back({label + " (base)", optional_values(base_values), color, true, runs.base_t});
  lines.push_back({label + " (new)", optional_values(now_values), color, false, {}});
}

const json& series_of(const json& result, const char* kind, const std::string& name) {
  return member(member(member(result, "series"), kind), name.c_str());
}

std::string chart_card(const std::string& title, const pair_of_runs& runs,
                       const std::vector<chart_line>& lines, const std::string& unit) {
  return card(title, detail::line_chart(runs.now_t, lines, unit) + detail::legend(lines));
}

std::string users_chart(const pair_of_runs& runs) {
  std::vector<chart_line> lines;
  add_both(lines, runs, "users running", series_of(runs.base, "gauges", "users.running"),
           series_of(runs.now, "gauges", "users.running"), detail::palette(0));
  return chart_card("Users over time", runs, lines, "users");
}

// The busiest counters of NEW (then BASE) that are neither failures nor users.
std::vector<std::string> busiest_counters(const pair_of_runs& runs) {
  std::vector<std::pair<double, std::string>> by_total;
  for (const auto* doc : {&runs.now, &runs.base})
    for (const auto& [name, c] : member(member(*doc, "metrics"), "counters").items())
      if (!metrics::is_failure(name) && !name.starts_with("users.")
          && detail::number_or(c, "total") > 0
          && std::none_of(by_total.begin(), by_total.end(),
                          [&](const auto& p) { return p.second == name; }))
        by_total.emplace_back(detail::number_or(c, "total"), name);
  std::stable_sort(by_total.begin(), by_total.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> names;
  for (const auto& [_, name] : by_total)
    if (names.size() < max_rate_counters)
      names.push_back(name);
  return names;
}

std::string rates_chart(const pair_of_runs& runs) {
  std::vector<chart_line> lines;
  for (const auto& name : busiest_counters(runs))
    add_both(lines, runs, name, member(series_of(runs.base, "counters", name), "rate"),
             member(series_of(runs.now, "counters", name), "rate"),
             detail::palette(lines.size() / 2));
  if (lines.empty())
    return card("Message and request rates", detail::empty_note("No message or request counters."));
  return chart_card("Message and request rates", runs, lines, "per second");
}

std::string latency_charts(const pair_of_runs& runs) {
  std::string html;
  const auto& base_hs = member(member(runs.base, "metrics"), "histograms");
  const auto& now_hs = member(member(runs.now, "metrics"), "histograms");
  for (const auto& name : detail::busiest_histograms({&now_hs, &base_hs})) {
    const auto& b = series_of(runs.base, "histograms", name);
    const auto& n = series_of(runs.now, "histograms", name);
    std::vector<chart_line> lines;
    add_both(lines, runs, "p50", member(b, "p50_ms"), member(n, "p50_ms"), detail::palette(0));
    add_both(lines, runs, "p99", member(b, "p99_ms"), member(n, "p99_ms"), detail::palette(2));
    html += chart_card("Latency: " + name, runs, lines, "ms");
  }
  if (html.empty())
    html = card("Latency percentiles", detail::empty_note("No latency samples were recorded."));
  return html;
}

// Every failure counter's delta added up, per interval.
json failures_per_interval(const json& result) {
  const auto n = member(member(result, "series"), "t_s").size();
  std::vector<double> sum(n, 0.0);
  for (const auto& [name, c] : member(member(result, "series"), "counters").items())
    if (const auto& delta = member(c, "delta"); metrics::is_failure(name) && delta.is_array())
      for (std::size_t i = 0; i < n && i < delta.size(); ++i)
        if (delta[i].is_number())
          sum[i] += delta[i].get<double>();
  return json(sum);
}

std::string failures_chart(const pair_of_runs& runs) {
  std::vector<chart_line> lines;
  add_both(lines, runs, "failures", failures_per_interval(runs.base),
           failures_per_interval(runs.now), detail::palette(2));
  return chart_card("Failures per interval", runs, lines, "failures");
}

std::string describe_run(const std::string& label, const json& r) {
  return "<b>" + escape(label) + "</b> (" + escape(r.value("started_at", std::string{"?"})) + ", "
         + metrics::format_rate(detail::number_or(r, "wall_time_s")) + " s, "
         + metrics::format_count(static_cast<std::uint64_t>(
           std::max(0.0, detail::number_or(member(r, "users"), "started"))))
         + " users)";
}

std::string header(const pair_of_runs& runs, const std::vector<comparison::verdict>& verdicts,
                   const std::string& base_label, const std::string& new_label) {
  const auto crossed =
    std::count_if(verdicts.begin(), verdicts.end(), [](const auto& v) { return v.crossed; });
  const std::string badge = verdicts.empty() ? "<span class=\"badge neutral\">COMPARED</span>"
                            : crossed        ? "<span class=\"badge fail\">REGRESSION</span>"
                                             : "<span class=\"badge pass\">NO REGRESSION</span>";
  return "<header><div><h1>amoc run comparison</h1><div class=\"sub\">scenario <b>"
         + escape(runs.now.value("scenario", std::string{"?"})) + "</b> &middot; base "
         + describe_run(base_label, runs.base) + " &middot; new "
         + describe_run(new_label, runs.now) + "</div></div>" + badge + "</header>";
}

std::string rules_table(const std::vector<comparison::verdict>& verdicts) {
  if (verdicts.empty())
    return {};
  std::string rows;
  for (const auto& v : verdicts) {
    const comparison::row r{
      v.criterion.metric, metric_kind::none, v.criterion.stat, v.base, v.now, v.unit};
    rows += "<tr><td class=\"rule\">" + escape(v.criterion.text) + "</td><td>"
            + escape(comparison::format_value(v.base, v.unit)) + "</td><td>"
            + escape(comparison::format_value(v.now, v.unit)) + "</td><td>"
            + escape(v.note.empty() ? comparison::format_change(r.change(), v.unit) + " "
                                        + comparison::format_percent(r.relative_change())
                                    : v.note)
            + "</td><td class=\"" + (v.crossed ? "bad\">&#10007; crossed" : "ok\">&#10003; pass")
            + "</td></tr>";
  }
  return card("Regression rules", "<table><tr><th>rule</th><th>base</th><th>new</th>"
                                  "<th>change</th><th>result</th></tr>"
                                    + rows + "</table>");
}

// Higher is worse for latencies and failures; for other statistics it depends.
std::string change_class(const comparison::row& r) {
  const auto change = r.change();
  if (!change || *change == 0)
    return "";
  const bool latency = r.unit == "ms";
  const bool failures = metrics::is_failure(r.metric);
  if (!latency && !failures)
    return "";
  return *change > 0 ? " class=\"worse\"" : " class=\"better\"";
}

std::string comparison_table(const std::vector<comparison::row>& rows) {
  std::string html;
  for (const auto& r : rows) {
    const auto cls = change_class(r);
    html += "<tr><td>" + escape(r.metric) + "</td><td class=\"stat\">" + escape(r.stat)
            + "</td><td>" + escape(comparison::format_value(r.base, r.unit)) + "</td><td>"
            + escape(comparison::format_value(r.now, r.unit)) + "</td><td" + cls + ">"
            + escape(comparison::format_change(r.change(), r.unit)) + "</td><td" + cls + ">"
            + escape(comparison::format_percent(r.relative_change())) + "</td></tr>";
  }
  return card("Every statistic", "<table><tr><th>metric</th><th style=\"text-align:left\">"
                                 "statistic</th><th>base</th><th>new</th><th>change</th>"
                                 "<th>change %</th></tr>"
                                   + html + "</table>");
}

}  // namespace

std::string html_comparison(const json& base, const json& now,
                            const std::vector<comparison::verdict>& verdicts,
                            const std::string& base_label, const std::string& new_label) {
  const pair_of_runs runs{base, now, detail::times(member(base, "series")),
                          detail::times(member(now, "series"))};
  std::string html = detail::page_start("amoc comparison: " + base_label + " vs " + new_label);
  html += header(runs, verdicts, base_label, new_label);
  html += rules_table(verdicts);
  html += "<div class=\"section-title\">Over time (base dashed, new solid; each from its own "
          "start)</div><section class=\"grid charts\">";
  html += users_chart(runs);
  html += rates_chart(runs);
  html += latency_charts(runs);
  html += failures_chart(runs);
  html += "</section><div class=\"section-title\">Side by side</div>";
  html += comparison_table(comparison::rows(base, now));
  return html
         + detail::page_end("Generated by amoc compare from two result documents. Latencies "
                            "are HDR histogram values (3 significant digits); rates are per "
                            "second of wall time.");
}

}  // namespace amoc
