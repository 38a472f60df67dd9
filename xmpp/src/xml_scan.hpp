#pragma once

// Reading a received stanza's text without building a DOM, for the few
// questions asked of every one of them (its name, an attribute, whether it
// has a given child, the TTD stamp). A chat read this way costs no pugixml
// document (three allocations, one of them a 32 KB page, and a full parse).
//
// The text is a frame the stream framer accepted, so it is well-formed; the
// scanner still refuses what it does not read itself (comments, CDATA,
// processing instructions, attribute values with references or with
// whitespace pugixml would convert) by answering `unknown`: the caller then
// parses, and the answer is pugixml's.

#include <cstddef>
#include <string_view>

namespace amoc::xmpp::detail {

enum class scan_result : unsigned char { found, absent, unknown };

/// One start tag: its name, the text holding its attributes, whether it is
/// empty (`<x/>`), and the index just past its `>`.
struct tag_view {
  std::string_view name;
  std::string_view attributes;
  bool empty = false;
  std::size_t end = 0;
};

/// The start tag beginning at `xml[at]` (which must be `<` followed by a name).
[[nodiscard]] scan_result start_tag_at(std::string_view xml, std::size_t at, tag_view& out);

/// The value of attribute `name` in a tag's attribute text, as pugixml would
/// read it (`unknown` when it holds a reference or whitespace to convert).
[[nodiscard]] scan_result attribute_in(std::string_view attributes, std::string_view name,
                                       std::string_view& value);

/// The first child element called `name` whose own `xmlns` attribute is
/// `xmlns` (any when empty) of the root element, whose start tag is `root`.
[[nodiscard]] scan_result child_of_root(std::string_view xml, const tag_view& root,
                                        std::string_view name, std::string_view xmlns,
                                        tag_view& out);

}  // namespace amoc::xmpp::detail
