#include "amoc/config_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"

namespace amoc::config {

namespace {

caf::error file_problem(const std::string& path, const std::string& reason) {
  return make_error(ec::bad_config_file, path + ": " + reason);
}

// nlohmann reports a 1-based byte offset; people want line and column.
std::string position_of(const std::string& text, std::size_t byte) {
  const auto offset = std::min(byte > 0 ? byte - 1 : 0, text.size());
  const auto before = std::string_view{text}.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const auto line_start = before.rfind('\n');
  const auto column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Drops nlohmann's "[json.exception...] parse error at ...: " prefix; we give our own position.
std::string parse_detail(const nlohmann::json::parse_error& e) {
  const std::string what = e.what();
  const auto colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

caf::error load_file(store& s, const std::string& path) {
  // An ifstream opens a directory and then reads it as empty: say what it is instead.
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    return file_problem(path, std::string{"cannot open: "} + std::strerror(EISDIR));
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return file_problem(path, std::string{"cannot open: "} + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    return file_problem(path, std::string{"cannot read: "} + std::strerror(errno));
  const auto text = buffer.str();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return file_problem(path,
                        "parse error at " + position_of(text, e.byte) + ": " + parse_detail(e));
  }
  if (!doc.is_object())
    return file_problem(path, "top level must be a JSON object");
  s.set_file_values(doc);
  return {};
}

caf::error check(const store& s, const std::vector<variable>& vars) {
  const auto problems = s.validate(vars);
  if (problems.empty())
    return {};
  std::string text;
  for (const auto& problem : problems)
    text += (text.empty() ? "" : "; ") + problem;
  return make_error(ec::invalid_config, text);
}

}  // namespace amoc::config
