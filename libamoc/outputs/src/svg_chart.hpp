#pragma once

// Small SVG charts for the HTML report: drawn here, so the report needs no
// script and no network to show them.

#include <optional>
#include <string>
#include <vector>

namespace amoc::detail {

/// One line of a chart: a value per time point, null where there is none.
struct chart_line {
  std::string label;
  std::vector<std::optional<double>> values;
  std::string color;
  bool dashed = false;
  /// Its own time points when they differ from the chart's (another run
  /// drawn on the same chart); empty: the chart's.
  std::vector<double> t_s = {};
};

/// Time on x (seconds since the start), `lines` on y from 0; `unit` labels the
/// y axis. The x axis spans the longest of `t_s` and the lines' own times.
[[nodiscard]] std::string line_chart(const std::vector<double>& t_s,
                                     const std::vector<chart_line>& lines, const std::string& unit,
                                     bool area = false);

/// One horizontal bar per (label, value), longest first.
[[nodiscard]] std::string bar_chart(std::vector<std::pair<std::string, double>> bars,
                                    const std::string& color);

/// The legend of `lines`, as HTML.
[[nodiscard]] std::string legend(const std::vector<chart_line>& lines);

/// Text safe inside HTML and SVG.
[[nodiscard]] std::string escape(const std::string& text);

/// A pleasant, colour-blind friendly palette (Tableau 10).
[[nodiscard]] const std::string& palette(std::size_t i);

}  // namespace amoc::detail
