// The HTML report: one self-contained page (tiles, thresholds, nodes, charts,
// summary tables) built by small functions; the page frame, cards and style
// are shared with the comparison report (report_parts.hpp).

#include "amoc/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "amoc/metrics_format.hpp"
#include "report_parts.hpp"
#include "svg_chart.hpp"

namespace amoc {

namespace {

using json = nlohmann::json;
using detail::card;
using detail::chart_line;
using detail::empty_note;
using detail::escape;
using detail::member;
using detail::number_or;
using detail::optional_values;
using detail::tile;

// Charts show at most this many lines / histograms; the table lists all.
constexpr std::size_t max_rate_lines = 8;

std::string fmt_ms(const json& v) {
  return v.is_number() ? metrics::format_ms(v.get<double>() * 1000.0) : "–";
}

std::string header(const json& r) {
  const auto& users = member(r, "users");
  const bool error = r.value("state", "") == "error";
  bool crossed = false;
  for (const auto& t : member(r, "thresholds"))
    crossed = crossed || !t.value("passed", true);
  const char* badge = error ? "RUN FAILED" : crossed ? "THRESHOLDS CROSSED" : "PASSED";
  std::string sub = "scenario <b>" + escape(r.value("scenario", "?")) + "</b> &middot; users <b>"
                    + std::to_string(users.value("first_id", 0)) + "&ndash;"
                    + std::to_string(users.value("last_id", 0)) + "</b> &middot; <b>"
                    + metrics::format_rate(number_or(r, "wall_time_s")) + " s</b> &middot; "
                    + escape(r.value("state", "?"));
  if (r.contains("started_at"))
    sub += " &middot; started " + escape(r.value("started_at", ""));
  if (r.value("stopped_by_duration", false))
    sub += " &middot; stopped at its duration";
  if (r.value("interrupted", false))
    sub += " &middot; interrupted";
  std::string html =
    "<header><div><h1>amoc load test report</h1><div class=\"sub\">" + sub + "</div>";
  if (!r.value("error", "").empty())
    html += "<div class=\"sub\" style=\"color:var(--bad)\">error: " + escape(r.value("error", ""))
            + "</div>";
  return html + "</div><span class=\"badge " + (error || crossed ? "fail" : "pass") + "\">" + badge
         + "</span></header>";
}

std::string tiles(const json& r) {
  const auto& m = member(r, "metrics");
  const auto& counters = member(m, "counters");
  const auto& gauges = member(m, "gauges");
  const auto& users = member(r, "users");
  std::string html = "<section class=\"tiles\">";
  html += tile("users started", metrics::format_count(users.value("started", 0ull)));
  if (gauges.contains("users.running"))
    html +=
      tile("peak users", metrics::format_count(static_cast<std::uint64_t>(
                           std::max<std::int64_t>(0, gauges["users.running"].value("max", 0)))));
  const auto& ended = member(users, "ended");
  html += tile("ended in error", metrics::format_count(ended.value("scenario_error", 0ull)),
               "of " + metrics::format_count(users.value("ended_total", 0ull)));
  for (auto [name, label] : {std::pair{"xmpp.messages_sent", "messages sent"},
                             std::pair{"xmpp.messages_received", "messages received"},
                             std::pair{"http.requests", "requests"}})
    if (counters.contains(name))
      html += tile(label, metrics::format_count(counters[name].value("total", 0ull)),
                   metrics::format_rate(counters[name].value("rate", 0.0)) + "/s");
  std::uint64_t failures = 0;
  for (const auto& [name, c] : counters.items())
    if (metrics::is_failure(name))
      failures += c.value("total", 0ull);
  html += tile("failures", metrics::format_count(failures));
  const auto& thresholds = member(r, "thresholds");
  if (!thresholds.empty()) {
    std::size_t passed = 0;
    for (const auto& t : thresholds)
      passed += t.value("passed", false) ? 1 : 0;
    html +=
      tile("thresholds passed", std::to_string(passed), "of " + std::to_string(thresholds.size()));
  }
  return html + "</section>";
}

std::string thresholds_table(const json& r) {
  const auto& thresholds = member(r, "thresholds");
  if (thresholds.empty())
    return {};
  std::string rows;
  for (const auto& t : thresholds) {
    const bool ok = t.value("passed", false);
    std::string actual = t.value("note", "");
    if (t["actual"].is_number()) {
      const double v = t["actual"].get<double>();
      const auto unit = t.value("unit", "");
      actual = unit == "ms"   ? metrics::format_ms(v * 1000) + " ms"
               : unit == "/s" ? metrics::format_rate(v) + "/s"
                              : metrics::format_count(static_cast<std::uint64_t>(std::max(0.0, v)));
    }
    rows += std::string{"<tr><td>"} + escape(t.value("metric", "")) + "</td><td class=\"expr\">"
            + escape(t.value("expression", "")) + "</td><td>" + escape(actual) + "</td><td class=\""
            + (ok ? "ok\">&#10003; pass" : "bad\">&#10007; fail") + "</td></tr>";
  }
  return card("Thresholds", "<table><tr><th>metric</th><th style=\"text-align:left\">threshold</th>"
                            "<th>actual</th><th>result</th></tr>"
                              + rows + "</table>");
}

std::string users_chart(const json& series, const std::vector<double>& t) {
  const auto& gauges = member(series, "gauges");
  if (!gauges.contains("users.running") || t.empty())
    return card("Users over time", empty_note("No user samples were taken."));
  std::vector<chart_line> lines{
    {"users running", optional_values(gauges["users.running"]), detail::palette(0)}};
  return card("Users over time", detail::line_chart(t, lines, "users", true));
}

std::string rates_chart(const json& series, const json& totals, const std::vector<double>& t) {
  std::vector<std::pair<double, std::string>> candidates;
  for (const auto& [name, c] : member(series, "counters").items())
    if (!metrics::is_failure(name) && !name.starts_with("users."))
      candidates.emplace_back(number_or(member(member(totals, "counters"), name.c_str()), "total"),
                              name);
  if (candidates.empty() || t.empty())
    return card("Message and request rates", empty_note("No message or request counters."));
  std::sort(candidates.begin(), candidates.end(), std::greater<>{});
  if (candidates.size() > max_rate_lines)
    candidates.resize(max_rate_lines);
  std::vector<chart_line> lines;
  for (const auto& [_, name] : candidates)
    lines.push_back(
      {name, optional_values(series["counters"][name]["rate"]), detail::palette(lines.size())});
  return card("Message and request rates",
              detail::line_chart(t, lines, "per second") + detail::legend(lines));
}

std::string latency_charts(const json& series, const json& totals, const std::vector<double>& t) {
  std::string html;
  const auto& hs = member(series, "histograms");
  for (const auto& name : detail::busiest_histograms({&member(totals, "histograms")})) {
    if (!hs.contains(name) || t.empty())
      continue;
    const auto& h = hs[name];
    std::vector<chart_line> lines{
      {"p50", optional_values(h["p50_ms"]), detail::palette(0)},
      {"p90", optional_values(h["p90_ms"]), detail::palette(1)},
      {"p99", optional_values(h["p99_ms"]), detail::palette(2)},
      {"max", optional_values(h["max_ms"]), "#9aa5b1", true},
    };
    html += card("Latency: " + name, detail::line_chart(t, lines, "ms") + detail::legend(lines));
  }
  if (html.empty())
    html = card("Latency percentiles", empty_note("No latency samples were recorded."));
  return html;
}

std::string failures_chart(const json& totals, const json& series, const std::vector<double>& t) {
  std::vector<std::pair<std::string, double>> bars;
  for (const auto& [name, c] : member(totals, "counters").items())
    if (metrics::is_failure(name) && c.value("total", 0.0) > 0)
      bars.emplace_back(name, c.value("total", 0.0));
  if (bars.empty())
    return card("Failures by phase", empty_note("No failures recorded."));
  // Below the totals, when the failures happened.
  std::vector<chart_line> lines;
  std::sort(bars.begin(), bars.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  const auto& counters = member(series, "counters");
  for (const auto& [name, _] : bars)
    if (counters.contains(name) && lines.size() < max_rate_lines)
      lines.push_back(
        {name, optional_values(counters[name]["delta"]), detail::palette(lines.size() + 2)});
  std::string over_time;
  if (!lines.empty() && !t.empty())
    over_time = "<div class=\"subtitle\">per interval</div>"
                + detail::line_chart(t, lines, "failures") + detail::legend(lines);
  return card("Failures by phase", detail::bar_chart(bars, "#e15759") + over_time);
}

// A distributed run's nodes: users by end reason, message rates, failures.
std::string nodes_table(const json& r) {
  const auto& nodes = member(r, "nodes");
  if (!nodes.is_array() || nodes.empty())
    return {};
  std::vector<std::string> reasons, rates;
  auto note = [](std::vector<std::string>& list, const std::string& name) {
    if (std::find(list.begin(), list.end(), name) == list.end())
      list.push_back(name);
  };
  for (const auto& n : nodes) {
    for (const auto& [reason, count] : member(n, "ended").items())
      if (count.get<std::uint64_t>() > 0)
        note(reasons, reason);
    for (const char* counter : {"xmpp.messages_sent", "xmpp.messages_received", "http.requests"})
      if (member(n, "counters").contains(counter))
        note(rates, counter);
  }
  const double wall = r.value("wall_time_s", 0.0);
  std::string head = "<tr><th>node</th><th>state</th><th>started</th>";
  for (const auto& reason : reasons)
    head += "<th>ended " + escape(reason) + "</th>";
  for (const auto& counter : rates)
    head += "<th>" + escape(counter) + "/s</th>";
  head += "<th>failures</th></tr>";
  std::string rows;
  for (const auto& n : nodes) {
    const auto& counters = member(n, "counters");
    rows += "<tr><td>" + escape(n.value("name", "")) + "</td><td>"
            + escape(n.value("up", false) ? n.value("state", "") : "down") + "</td><td>"
            + metrics::format_count(n.value("started", 0ull)) + "</td>";
    for (const auto& reason : reasons)
      rows += "<td>" + metrics::format_count(member(n, "ended").value(reason, 0ull)) + "</td>";
    for (const auto& counter : rates)
      rows += "<td>"
              + metrics::format_rate(
                wall > 0 ? static_cast<double>(counters.value(counter, 0ull)) / wall : 0.0)
              + "</td>";
    std::uint64_t failures = 0;
    for (const auto& [name, total] : counters.items())
      if (metrics::is_failure(name))
        failures += total.get<std::uint64_t>();
    rows += "<td>" + metrics::format_count(failures) + "</td></tr>";
  }
  return card("Nodes", "<table>" + head + rows + "</table>");
}

std::string summary_tables(const json& totals) {
  std::string html;
  const auto& counters = member(totals, "counters");
  if (!counters.empty()) {
    std::string rows;
    for (const auto& [name, c] : counters.items())
      rows += "<tr><td>" + escape(name) + "</td><td>"
              + metrics::format_count(c.value("total", 0ull)) + "</td><td>"
              + metrics::format_rate(c.value("rate", 0.0)) + "</td></tr>";
    html += card("Counters", "<table><tr><th>counter</th><th>total</th><th>rate/s</th></tr>" + rows
                               + "</table>");
  }
  const auto& gauges = member(totals, "gauges");
  if (!gauges.empty()) {
    std::string rows;
    for (const auto& [name, g] : gauges.items())
      rows += "<tr><td>" + escape(name) + "</td><td>" + std::to_string(g.value("value", 0ll))
              + "</td><td>" + std::to_string(g.value("min", 0ll)) + "</td><td>"
              + std::to_string(g.value("max", 0ll)) + "</td></tr>";
    html += card("Gauges", "<table><tr><th>gauge</th><th>final</th><th>min</th><th>max</th></tr>"
                             + rows + "</table>");
  }
  const auto& histograms = member(totals, "histograms");
  if (!histograms.empty()) {
    std::string rows;
    for (const auto& [name, h] : histograms.items()) {
      rows += "<tr><td>" + escape(name) + "</td><td>"
              + metrics::format_count(h.value("count", 0ull)) + "</td>";
      for (auto f :
           {"min_ms", "mean_ms", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "p999_ms", "max_ms"})
        rows += "<td>" + (h.value("count", 0) > 0 ? fmt_ms(h[f]) : std::string{"–"}) + "</td>";
      rows += "</tr>";
    }
    html += card("Latency (ms)",
                 "<table><tr><th>histogram</th><th>count</th><th>min</th><th>mean</th><th>p50</th>"
                 "<th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th></tr>"
                   + rows + "</table>");
  }
  return html;
}

}  // namespace

std::string html_report(const json& r) {
  const auto& totals = member(r, "metrics");
  const auto& series = member(r, "series");
  const auto t = detail::times(series);
  std::string html = detail::page_start("amoc report: " + r.value("scenario", "run"));
  html += header(r);
  html += tiles(r);
  html += thresholds_table(r);
  html += nodes_table(r);
  char every[32];
  std::snprintf(every, sizeof every, "%g", number_or(totals, "interval_s", 10));
  html +=
    "<div class=\"section-title\">Over time (one point per " + std::string{every} + " s)</div>";
  html += "<section class=\"grid charts\">";
  html += users_chart(series, t);
  html += rates_chart(series, totals, t);
  html += latency_charts(series, totals, t);
  html += failures_chart(totals, series, t);
  html += "</section>";
  html += "<div class=\"section-title\">Summary</div>";
  html += summary_tables(totals);
  return html
         + detail::page_end("Generated by amoc from the run's result document. Latencies are "
                            "HDR histogram values (3 significant digits); rates are per "
                            "second of wall time.");
}

}  // namespace amoc
