#include "console/text.hpp"

#include <cctype>
#include <charconv>

#include "amoc/error.hpp"

namespace amoc::console {

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (!is_space(c)) {
      word.push_back(c);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty())
    words.push_back(std::move(word));
  return words;
}

caf::expected<std::vector<std::string>> tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    std::string token;
    while (i < text.size() && !is_space(text[i])) {
      if (text[i] != '"') {
        token.push_back(text[i++]);
        continue;
      }
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size())
          ++i;
        token.push_back(text[i]);
      }
      if (i >= text.size())
        return make_error(ec::invalid_argument, "a quoted argument has no closing \"");
      ++i;
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto part = trim(text.substr(0, comma));
    if (!part.empty())
      parts.emplace_back(part);
    if (comma == std::string_view::npos)
      break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, err] = std::from_chars(text.data(), end, value);
  if (text.empty() || err != std::errc{} || ptr != end)
    return std::nullopt;
  return value;
}

std::string message_of(const caf::error& err) {
  auto text = context_of(err);
  return text.empty() ? render(err) : text;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    lines.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos)
      break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

}  // namespace amoc::console
