#include "xml_scan.hpp"

namespace amoc::xmpp::detail {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::size_t skip_spaces(std::string_view s, std::size_t at) {
  while (at < s.size() && is_space(s[at]))
    ++at;
  return at;
}

}  // namespace

scan_result start_tag_at(std::string_view xml, std::size_t at, tag_view& out) {
  if (at + 1 >= xml.size() || xml[at] != '<')
    return scan_result::unknown;
  const char first = xml[at + 1];
  if (first == '/' || first == '!' || first == '?')
    return scan_result::unknown;
  auto name_end = at + 1;
  while (name_end < xml.size() && !is_space(xml[name_end]) && xml[name_end] != '/'
         && xml[name_end] != '>')
    ++name_end;
  if (name_end == at + 1)
    return scan_result::unknown;
  // The tag ends at the first `>` outside a quoted value (values may hold
  // `>`); a value is skipped at once (memchr), most of a tag is values.
  auto gt = name_end;
  while (gt < xml.size() && xml[gt] != '>') {
    if (xml[gt] == '"' || xml[gt] == '\'') {
      gt = xml.find(xml[gt], gt + 1);
      if (gt == std::string_view::npos)
        return scan_result::unknown;
    }
    ++gt;
  }
  if (gt >= xml.size())
    return scan_result::unknown;
  out.name = xml.substr(at + 1, name_end - at - 1);
  out.empty = xml[gt - 1] == '/';
  out.attributes = xml.substr(name_end, (out.empty ? gt - 1 : gt) - name_end);
  out.end = gt + 1;
  return scan_result::found;
}

scan_result attribute_in(std::string_view attributes, std::string_view name,
                         std::string_view& value) {
  std::size_t at = 0;
  for (;;) {
    at = skip_spaces(attributes, at);
    if (at >= attributes.size())
      return scan_result::absent;
    const auto name_start = at;
    while (at < attributes.size() && attributes[at] != '=' && !is_space(attributes[at]))
      ++at;
    const auto attribute = attributes.substr(name_start, at - name_start);
    at = skip_spaces(attributes, at);
    if (at >= attributes.size() || attributes[at] != '=')
      return scan_result::unknown;
    at = skip_spaces(attributes, at + 1);
    if (at >= attributes.size() || (attributes[at] != '"' && attributes[at] != '\''))
      return scan_result::unknown;
    const auto close = attributes.find(attributes[at], at + 1);
    if (close == std::string_view::npos)
      return scan_result::unknown;
    const auto raw = attributes.substr(at + 1, close - at - 1);
    at = close + 1;
    if (attribute != name)
      continue;
    // pugixml decodes references and turns tab, CR and LF into spaces.
    for (const char c : raw)
      if (c == '&' || c == '\t' || c == '\r' || c == '\n')
        return scan_result::unknown;
    value = raw;
    return scan_result::found;
  }
}

scan_result child_of_root(std::string_view xml, const tag_view& root, std::string_view name,
                          std::string_view xmlns, tag_view& out) {
  if (root.empty)
    return scan_result::absent;
  int depth = 1;  // inside the root
  // Text holds no raw `<`: each one starts a tag (CDATA and comments are refused).
  for (auto at = xml.find('<', root.end); at != std::string_view::npos; at = xml.find('<', at)) {
    if (at + 1 < xml.size() && xml[at + 1] == '/') {
      if (--depth == 0)
        return scan_result::absent;
      at = xml.find('>', at);
      if (at == std::string_view::npos)
        return scan_result::unknown;
      continue;
    }
    tag_view tag;
    if (start_tag_at(xml, at, tag) != scan_result::found)
      return scan_result::unknown;
    if (depth == 1 && tag.name == name) {
      std::string_view ns;
      const auto has_ns =
        xmlns.empty() ? scan_result::found : attribute_in(tag.attributes, "xmlns", ns);
      if (has_ns == scan_result::unknown)
        return scan_result::unknown;
      if (xmlns.empty() || (has_ns == scan_result::found && ns == xmlns)) {
        out = tag;
        return scan_result::found;
      }
    }
    if (!tag.empty)
      ++depth;
    at = tag.end;
  }
  return scan_result::unknown;
}

}  // namespace amoc::xmpp::detail
