#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace amoc::detail {

namespace {

constexpr double width = 560, height = 230;
constexpr double left = 56, right = 14, top = 12, bottom = 30;
constexpr double plot_w = width - left - right, plot_h = height - top - bottom;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A step of 1, 2 or 5 x 10^k giving at most `max_ticks` ticks up to `high`.
double nice_step(double high, int max_ticks) {
  if (high <= 0)
    return 1;
  const double raw = high / max_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= raw)
      return m * magnitude;
  return 10 * magnitude;
}

std::string compact(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (a >= 1e9)
    std::snprintf(buf, sizeof buf, "%gG", v / 1e9);
  else if (a >= 1e6)
    std::snprintf(buf, sizeof buf, "%gM", v / 1e6);
  else if (a >= 1e4)
    std::snprintf(buf, sizeof buf, "%gk", v / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%g", std::round(v * 1000) / 1000);
  return buf;
}

std::string clock_label(double s, double span) {
  char buf[32];
  const auto total = static_cast<long>(std::lround(s));
  if (span < 10)
    std::snprintf(buf, sizeof buf, "%gs", std::round(s * 10) / 10);
  else if (span < 120)
    std::snprintf(buf, sizeof buf, "%lds", total);
  else if (span < 3 * 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld", total / 60, total % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldh%02ld", total / 3600, (total / 60) % 60);
  return buf;
}

double time_step(double span) {
  static constexpr double steps[] = {0.1,  0.2,  0.5,  1,     2,     5,     10,
                                     15,   30,   60,   120,   300,   600,   900,
                                     1800, 3600, 7200, 10800, 21600, 43200, 86400};
  for (double s : steps)
    if (span / s <= 8)
      return s;
  return 86400 * std::ceil(span / 86400 / 8);
}

}  // namespace

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

const std::string& palette(std::size_t i) {
  static const std::string colors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                       "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return colors[i % std::size(colors)];
}

std::string line_chart(const std::vector<double>& t_s, const std::vector<chart_line>& lines,
                       const std::string& unit, bool area) {
  double last = t_s.empty() ? 0 : t_s.back();
  for (const auto& l : lines)
    if (!l.t_s.empty())
      last = std::max(last, l.t_s.back());
  const double span = last <= 0 ? 1 : last;
  double high = 0;
  for (const auto& l : lines)
    for (const auto& v : l.values)
      if (v)
        high = std::max(high, *v);
  const double y_step = nice_step(high > 0 ? high : 1, 5);
  const double y_max = std::max(y_step, std::ceil(high / y_step - 1e-9) * y_step);
  auto x = [&](double t) { return left + t / span * plot_w; };
  auto y = [&](double v) { return top + plot_h - v / y_max * plot_h; };

  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + num(width) + " " + num(height)
                    + "\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">";
  // Grid and y labels.
  for (int k = 0; k * y_step <= y_max + y_step / 2; ++k) {
    const double v = k * y_step;
    svg += "<line class=\"grid\" x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\""
           + num(y(v)) + "\" y2=\"" + num(y(v)) + "\"/>";
    svg += "<text class=\"tick\" x=\"" + num(left - 6) + "\" y=\"" + num(y(v) + 4)
           + "\" text-anchor=\"end\">" + compact(v) + "</text>";
  }
  const double x_step = time_step(span);
  for (int k = 0; k * x_step <= span * (1 + 1e-9); ++k) {
    const double t = k * x_step;
    svg += "<line class=\"tickmark\" x1=\"" + num(x(t)) + "\" x2=\"" + num(x(t)) + "\" y1=\""
           + num(top + plot_h) + "\" y2=\"" + num(top + plot_h + 4) + "\"/>";
    svg += "<text class=\"tick\" x=\"" + num(x(t)) + "\" y=\"" + num(height - 10)
           + "\" text-anchor=\"middle\">" + clock_label(t, span) + "</text>";
  }
  svg += "<line class=\"axis\" x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\""
         + num(top + plot_h) + "\" y2=\"" + num(top + plot_h) + "\"/>";
  svg += "<text class=\"unit\" x=\"" + num(left) + "\" y=\"" + num(top - 2) + "\">" + escape(unit)
         + "</text>";
  // Lines: a polyline per run of consecutive values.
  for (const auto& l : lines) {
    const auto& times = l.t_s.empty() ? t_s : l.t_s;
    std::vector<std::vector<std::pair<double, double>>> runs(1);
    for (std::size_t i = 0; i < l.values.size() && i < times.size(); ++i) {
      if (l.values[i])
        runs.back().emplace_back(x(times[i]), y(*l.values[i]));
      else if (!runs.back().empty())
        runs.emplace_back();
    }
    for (const auto& run : runs) {
      if (run.empty())
        continue;
      std::string points;
      for (auto [px, py] : run)
        points += num(px) + "," + num(py) + " ";
      if (run.size() == 1)
        svg += "<circle cx=\"" + num(run[0].first) + "\" cy=\"" + num(run[0].second)
               + "\" r=\"2.5\" fill=\"" + l.color + "\"/>";
      if (area && run.size() > 1)
        svg += "<polygon fill=\"" + l.color + "\" fill-opacity=\"0.12\" points=\""
               + num(run.front().first) + "," + num(top + plot_h) + " " + points
               + num(run.back().first) + "," + num(top + plot_h) + "\"/>";
      svg += "<polyline fill=\"none\" stroke=\"" + l.color + "\" stroke-width=\"1.8\""
             + (l.dashed ? " stroke-dasharray=\"4 3\"" : "") + " points=\"" + points + "\"><title>"
             + escape(l.label) + "</title></polyline>";
    }
  }
  svg += "</svg>";
  return svg;
}

std::string bar_chart(std::vector<std::pair<std::string, double>> bars, const std::string& color) {
  std::stable_sort(bars.begin(), bars.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  constexpr double row = 26, label_w = 210, value_w = 70;
  const double h = std::max(1.0, static_cast<double>(bars.size())) * row + 8;
  const double high = bars.empty() ? 1 : std::max(1.0, bars.front().second);
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + num(width) + " " + num(h)
                    + "\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">";
  double yy = 4;
  for (const auto& [label, value] : bars) {
    const double w = (width - label_w - value_w) * value / high;
    svg += "<text class=\"barlabel\" x=\"" + num(label_w - 8) + "\" y=\"" + num(yy + 17)
           + "\" text-anchor=\"end\">" + escape(label) + "</text>";
    svg += "<rect x=\"" + num(label_w) + "\" y=\"" + num(yy + 4) + "\" width=\""
           + num(std::max(w, 1.0)) + "\" height=\"" + num(row - 8) + "\" rx=\"3\" fill=\"" + color
           + "\"/>";
    svg += "<text class=\"barvalue\" x=\"" + num(label_w + std::max(w, 1.0) + 6) + "\" y=\""
           + num(yy + 17) + "\">" + compact(value) + "</text>";
    yy += row;
  }
  svg += "</svg>";
  return svg;
}

std::string legend(const std::vector<chart_line>& lines) {
  std::string html = "<div class=\"legend\">";
  for (const auto& l : lines)
    html += "<span><i style=\"background:" + l.color + (l.dashed ? ";opacity:.6" : "") + "\"></i>"
            + escape(l.label) + "</span>";
  return html + "</div>";
}

}  // namespace amoc::detail
