#pragma once

// Compares XML by structure, not by how it is written: `shape("<a  y='2' x=\"1\">\n <b/></a>")`
// is "<a x='1' y='2'><b/></a>" (attributes sorted, indentation between
// elements dropped, text trimmed), so a built stanza is compared with the
// captured one as the server indents it.

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pugixml.hpp>

namespace amoc::xmpp::test {

inline std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string{text.substr(first, last - first + 1)};
}

inline void write_shape(pugi::xml_node node, std::string& out) {
  if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
    out += trimmed(node.value());
    return;
  }
  if (node.type() != pugi::node_element)
    return;
  std::vector<std::pair<std::string, std::string>> attributes;
  for (auto a : node.attributes())
    attributes.emplace_back(a.name(), a.value());
  std::sort(attributes.begin(), attributes.end());
  (out += '<') += node.name();
  for (const auto& [name, value] : attributes)
    (((out += ' ') += name) += "='") += value + "'";
  if (!node.first_child()) {
    out += "/>";
    return;
  }
  out += '>';
  for (auto c : node.children())
    write_shape(c, out);
  ((out += "</") += node.name()) += '>';
}

// The canonical form of `xml`'s root element, or "not XML: ..." when it does
// not parse. `drop_id` leaves out the root's id (a generated one).
inline std::string shape(std::string_view xml, bool drop_id = false) {
  pugi::xml_document doc;
  const auto result = doc.load_buffer(xml.data(), xml.size());
  if (!result)
    return std::string{"not XML: "} + result.description();
  if (drop_id)
    doc.document_element().remove_attribute("id");
  std::string out;
  write_shape(doc.document_element(), out);
  return out;
}

// `shape` of a built stanza without its generated id.
inline std::string built_shape(std::string_view xml) { return shape(xml, true); }

}  // namespace amoc::xmpp::test
