#include "report_parts.hpp"

#include <algorithm>

#include "svg_chart.hpp"

namespace amoc::detail {

namespace {

using json = nlohmann::json;

constexpr const char* style = R"css(
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--ok:#2f9e44;--bad:#d9480f;--accent:#4e79a7}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 40px}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:16px;margin-bottom:20px}
h1{font-size:22px;margin:0 0 4px;font-weight:650;letter-spacing:-.01em}
h2{font-size:15px;margin:0 0 12px;font-weight:600}
.sub{color:var(--muted)}
.sub b{color:var(--ink);font-weight:600}
.badge{display:inline-block;padding:6px 14px;border-radius:999px;font-weight:650;font-size:13px;letter-spacing:.04em;white-space:nowrap}
.badge.pass{background:#e6f4ea;color:var(--ok)}
.badge.fail{background:#fdecea;color:var(--bad)}
.badge.neutral{background:#e8eef6;color:var(--accent)}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(138px,1fr));gap:12px;margin-bottom:18px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.tile .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.tile .v{font-size:22px;font-weight:650;margin-top:2px}
.tile .v small{font-size:13px;color:var(--muted);font-weight:500}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin-bottom:16px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.grid .card{margin-bottom:0}
.charts{margin-bottom:16px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#eef0f3;stroke-width:1}
svg .axis,svg .tickmark{stroke:#9aa5b1;stroke-width:1}
svg text{font:11px -apple-system,"Segoe UI",Roboto,Arial,"DejaVu Sans",sans-serif;fill:var(--muted)}
svg text.unit{font-size:11px;fill:var(--muted)}
svg text.barlabel{fill:var(--ink);font-size:12px}
svg text.barvalue{fill:var(--ink);font-size:12px;font-weight:600}
.subtitle{color:var(--muted);font-size:12px;margin:10px 0 2px}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:8px;color:var(--muted);font-size:12px}
.legend i{display:inline-block;width:14px;height:3px;border-radius:2px;vertical-align:middle;margin-right:6px}
.empty{color:var(--muted);padding:40px 0;text-align:center}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
th:first-child,td:first-child{text-align:left}
td:first-child{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:13px}
tr:last-child td{border-bottom:none}
td.ok{color:var(--ok);font-weight:700}
td.bad{color:var(--bad);font-weight:700}
td.expr{text-align:left;font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace}
td.note{text-align:left;color:var(--muted)}
.section-title{margin:22px 0 10px;font-size:13px;color:var(--muted);text-transform:uppercase;letter-spacing:.06em;font-weight:600}
footer{color:var(--muted);font-size:12px;margin-top:24px;text-align:center}
td.worse{color:var(--bad);font-weight:600}
td.better{color:var(--ok);font-weight:600}
td.stat{text-align:left}
td.rule{text-align:left;font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace}
@media (max-width:820px){.grid{grid-template-columns:1fr}}
)css";

}  // namespace

std::string page_start(const std::string& title) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>"
         + escape(title) + "</title><style>" + style + "</style></head><body><main>";
}

std::string page_end(const std::string& footer_text) {
  return "<footer>" + escape(footer_text) + "</footer></main></body></html>\n";
}

const json& member(const json& j, const char* key) {
  static const json empty_object = json::object();
  if (!j.is_object())
    return empty_object;
  auto it = j.find(key);
  return it == j.end() ? empty_object : *it;
}

double number_or(const json& j, const char* key, double fallback) {
  if (!j.is_object())
    return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

std::vector<std::optional<double>> optional_values(const json& array) {
  std::vector<std::optional<double>> out;
  if (!array.is_array())
    return out;
  for (const auto& v : array)
    out.push_back(v.is_number() ? std::optional<double>{v.get<double>()} : std::nullopt);
  return out;
}

std::vector<double> times(const json& series) {
  std::vector<double> t;
  for (const auto& v : member(series, "t_s"))
    if (v.is_number())
      t.push_back(v.get<double>());
  return t;
}

std::string tile(const std::string& key, const std::string& value, const std::string& small) {
  return "<div class=\"tile\"><div class=\"k\">" + escape(key) + "</div><div class=\"v\">"
         + escape(value) + (small.empty() ? "" : " <small>" + escape(small) + "</small>")
         + "</div></div>";
}

std::string card(const std::string& title, const std::string& body) {
  return "<div class=\"card\"><h2>" + escape(title) + "</h2>" + body + "</div>";
}

std::string empty_note(const std::string& text) {
  return "<div class=\"empty\">" + escape(text) + "</div>";
}

std::vector<std::string> busiest_histograms(const std::vector<const nlohmann::json*>& histograms) {
  constexpr std::size_t max_charts = 6;
  std::vector<std::pair<double, std::string>> by_count;
  for (const auto* hs : histograms)
    for (const auto& [name, h] : hs->items())
      if (number_or(h, "count") > 0
          && std::none_of(by_count.begin(), by_count.end(),
                          [&](const auto& p) { return p.second == name; }))
        by_count.emplace_back(number_or(h, "count"), name);
  std::stable_sort(by_count.begin(), by_count.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (by_count.size() > max_charts)
    by_count.resize(max_charts);
  std::vector<std::string> names;
  for (const auto& [_, name] : by_count)
    names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace amoc::detail
