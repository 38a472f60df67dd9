#pragma once

// What the HTML pages of amoc (the run report, the comparison report) share:
// the style sheet, the page frame, cards and tiles, and reading the result
// document without copying its large series.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace amoc::detail {

/// `<!doctype html>` up to `<main>`: the head with `title` and the style sheet.
[[nodiscard]] std::string page_start(const std::string& title);
/// `</main>` and the rest of the page, after a footer with `footer_text`.
[[nodiscard]] std::string page_end(const std::string& footer_text);

/// `j[key]` without copying it, or an empty object when missing.
[[nodiscard]] const nlohmann::json& member(const nlohmann::json& j, const char* key);
/// `j[key]` if it is a number, else `fallback`.
[[nodiscard]] double number_or(const nlohmann::json& j, const char* key, double fallback = 0);
/// An array of numbers and nulls as optional values.
[[nodiscard]] std::vector<std::optional<double>> optional_values(const nlohmann::json& array);
/// The `t_s` of a result's `series` (seconds since the start of each point).
[[nodiscard]] std::vector<double> times(const nlohmann::json& series);

/// The histograms a report draws: the most sampled (at most 6, a page's
/// worth of charts), in name order. `histograms`: the "histograms" objects of
/// one or more result documents' totals (a name in several counts once).
[[nodiscard]] std::vector<std::string>
busiest_histograms(const std::vector<const nlohmann::json*>& histograms);

/// A small box with a caption `key` and a large `value` (and a `small` note).
[[nodiscard]] std::string tile(const std::string& key, const std::string& value,
                               const std::string& small = {});
/// A titled box around `body` (HTML).
[[nodiscard]] std::string card(const std::string& title, const std::string& body);
/// The grey text a card shows when it has nothing to draw.
[[nodiscard]] std::string empty_note(const std::string& text);

}  // namespace amoc::detail
