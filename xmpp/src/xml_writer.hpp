#pragma once

// Writes XML text into one string: the builders' fast path (no DOM). Text and
// attribute values are escaped; names and `raw` XML are written as given.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp::detail {

/// Appends a fresh stanza id (see `stanzas::next_id`) to `out`.
void append_next_id(std::string& out);

class xml_writer {
public:
  /// `reserve`: the expected size, so that a stanza costs one allocation.
  explicit xml_writer(std::size_t reserve) { out_.reserve(reserve); }

  /// `<name`: attributes follow, then `end_open` or `end_empty`.
  xml_writer& open(std::string_view name) {
    out_ += '<';
    out_ += name;
    return *this;
  }
  /// ` name='value'`, escaped.
  xml_writer& attr(std::string_view name, std::string_view value) {
    start_attr(name);
    append_escaped(out_, value);
    out_ += '\'';
    return *this;
  }
  xml_writer& attr(std::string_view name, std::uint64_t value) {
    start_attr(name);
    char digits[20];
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out_.append(digits, end);
    out_ += '\'';
    return *this;
  }
  /// `attr`, left out when `value` is empty.
  xml_writer& attr_if(std::string_view name, std::string_view value) {
    return value.empty() ? *this : attr(name, value);
  }
  /// ` id='...'`: `id`, or a fresh one when empty.
  xml_writer& id(std::string_view id) {
    if (!id.empty())
      return attr("id", id);
    start_attr("id");
    append_next_id(out_);
    out_ += '\'';
    return *this;
  }
  /// `>` after the attributes.
  xml_writer& end_open() {
    out_ += '>';
    return *this;
  }
  /// `/>` after the attributes.
  xml_writer& end_empty() {
    out_ += "/>";
    return *this;
  }
  /// Character data, escaped.
  xml_writer& text(std::string_view text) {
    append_escaped(out_, text);
    return *this;
  }
  /// XML written as it is.
  xml_writer& raw(std::string_view xml) {
    out_ += xml;
    return *this;
  }
  /// `</name>`.
  xml_writer& close(std::string_view name) {
    out_ += "</";
    out_ += name;
    out_ += '>';
    return *this;
  }
  /// `<name>text</name>`, escaped.
  xml_writer& text_element(std::string_view name, std::string_view text) {
    return open(name).end_open().text(text).close(name);
  }
  /// `<name xmlns='xmlns'/>`.
  xml_writer& empty_element(std::string_view name, std::string_view xmlns) {
    return open(name).attr("xmlns", xmlns).end_empty();
  }

  [[nodiscard]] std::string take() { return std::move(out_); }
  [[nodiscard]] stanza to_stanza() { return stanza{std::move(out_)}; }

private:
  void start_attr(std::string_view name) {
    out_ += ' ';
    out_ += name;
    out_ += "='";
  }

  std::string out_;
};

}  // namespace amoc::xmpp::detail
