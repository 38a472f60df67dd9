#pragma once

// Small text helpers of the console: words, quoted arguments, numbers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

namespace amoc::console {

/// Splits on whitespace (no quoting): for completion.
[[nodiscard]] std::vector<std::string> split_words(std::string_view text);

/// Splits on whitespace; "double quotes" keep spaces together (`\"` inside).
[[nodiscard]] caf::expected<std::vector<std::string>> tokenize(std::string_view text);

/// Splits "a,b,c" (empty parts dropped).
[[nodiscard]] std::vector<std::string> split_list(std::string_view text);

/// A decimal number without sign or suffix.
[[nodiscard]] std::optional<std::uint64_t> parse_count(std::string_view text);

/// An error's own words (its context), else CAF's rendering.
[[nodiscard]] std::string message_of(const caf::error& err);

/// Without leading and trailing whitespace.
[[nodiscard]] std::string_view trim(std::string_view text);

/// `text` split into lines (a trailing newline adds no empty line).
[[nodiscard]] std::vector<std::string> lines_of(std::string_view text);

}  // namespace amoc::console
