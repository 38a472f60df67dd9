#pragma once

// Small text helpers shared by the config parsers.

#include <cctype>
#include <string>
#include <string_view>

namespace amoc::detail {

/// `text` without leading and trailing white space.
inline std::string_view trim(std::string_view text) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

/// `text` in lower case (ASCII).
inline std::string lowercase(std::string_view text) {
  std::string result{text};
  for (auto& c : result)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

}  // namespace amoc::detail
