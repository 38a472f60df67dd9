#include "amoc/xmpp/stanza.hpp"

#include <array>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "xml_scan.hpp"

namespace amoc::xmpp {

struct stanza::parsed {
  pugi::xml_document doc;
  pugi::xml_parse_result result;
  bool dirty = false;  // changed through edit(): the text is stale
};

namespace {

// Default pugixml options: escapes, CDATA, attribute normalisation. No DTD
// handling is needed: the framer refuses DTDs (RFC 6120 §11.1).
constexpr unsigned parse_options = pugi::parse_default;

struct string_writer final : pugi::xml_writer {
  std::string& out;
  explicit string_writer(std::string& o) : out(o) {}
  void write(const void* data, std::size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

bool has_xmlns(pugi::xml_node node, std::string_view xmlns) {
  return xmlns.empty() || std::string_view{node.attribute("xmlns").value()} == xmlns;
}

}  // namespace

stanza::stanza(std::string xml, time_point received) noexcept
    : xml_(std::move(xml)), received_(received) {}

stanza::stanza(std::string xml, time_point received, checked_t) noexcept
    : xml_(std::move(xml)), received_(received), checked_(true) {}

stanza::stanza(const stanza& other)
    : xml_(other.xml()), received_(other.received_), checked_(other.checked_) {}

stanza& stanza::operator=(const stanza& other) {
  if (this != &other) {
    xml_ = other.xml();
    parsed_.reset();
    root_name_end_ = root_tag_end_ = 0;
    received_ = other.received_;
    checked_ = other.checked_;
  }
  return *this;
}

stanza::stanza() noexcept = default;
stanza::stanza(stanza&&) noexcept = default;
stanza& stanza::operator=(stanza&&) noexcept = default;

stanza::~stanza() = default;

bool stanza::parse() const {
  if (!parsed_) {
    parsed_ = std::make_unique<parsed>();
    parsed_->result = parsed_->doc.load_buffer(xml_.data(), xml_.size(), parse_options);
  }
  return static_cast<bool>(parsed_->result);
}

std::string stanza::parse_error() const {
  if (parse())
    return {};
  std::ostringstream out;
  out << parsed_->result.description() << " at offset " << parsed_->result.offset;
  return out.str();
}

void stanza::drop_parsed() const {
  if (parsed_ && parsed_->dirty)
    (void)xml();
  parsed_.reset();
}

const std::string& stanza::xml() const {
  if (parsed_ && parsed_->dirty) {
    root_name_end_ = root_tag_end_ = 0;  // the text is written anew
    xml_.clear();
    string_writer w{xml_};
    parsed_->doc.document_element().print(w, "", pugi::format_raw | pugi::format_no_declaration);
    parsed_->dirty = false;
  }
  return xml_;
}

pugi::xml_node stanza::root() const {
  return parse() ? parsed_->doc.document_element() : pugi::xml_node{};
}

pugi::xml_node stanza::edit() {
  auto node = root();
  if (node)
    parsed_->dirty = true;
  return node;
}

// Read from the text while a received stanza is not parsed: a chat that is
// only counted and timed never needs its DOM. Only checked text: a malformed
// stanza must read as an element without name, as its DOM does. The text of
// a short string lives in the stanza object itself and would move with it,
// so only longer ones (every real stanza) are read in place.
bool stanza::readable_as_text() const noexcept { return checked_ && !parsed_ && xml_.size() >= 16; }

bool stanza::text_root(detail::tag_view& out) const {
  if (!readable_as_text())
    return false;
  if (root_tag_end_ != 0) {
    const std::string_view xml{xml_};
    out.name = xml.substr(1, root_name_end_ - 1);
    out.empty = xml[root_tag_end_ - 2] == '/';
    out.attributes =
      xml.substr(root_name_end_, root_tag_end_ - (out.empty ? 2 : 1) - root_name_end_);
    out.end = root_tag_end_;
    return true;
  }
  if (detail::start_tag_at(xml_, 0, out) != detail::scan_result::found)
    return false;
  if (out.end <= std::numeric_limits<std::uint16_t>::max()) {
    root_name_end_ = static_cast<std::uint16_t>(1 + out.name.size());
    root_tag_end_ = static_cast<std::uint16_t>(out.end);
  }
  return true;
}

std::string_view stanza::name() const {
  detail::tag_view tag;
  if (text_root(tag))
    return tag.name;
  return root().name();
}

std::string_view stanza::attribute(std::string_view name) const {
  detail::tag_view tag;
  if (text_root(tag)) {
    std::string_view value;
    switch (detail::attribute_in(tag.attributes, name, value)) {
    case detail::scan_result::found: return value;
    case detail::scan_result::absent: return {};
    case detail::scan_result::unknown: break;
    }
  }
  for (auto a : root().attributes())
    if (name == a.name())
      return a.value();
  return {};
}

std::string_view stanza::body() const { return root().child("body").text().get(); }

bool stanza::has_child(std::string_view name, std::string_view xmlns) const {
  detail::tag_view root_tag;
  detail::tag_view tag;
  if (text_root(root_tag)) {
    switch (detail::child_of_root(xml_, root_tag, name, xmlns, tag)) {
    case detail::scan_result::found: return true;
    case detail::scan_result::absent: return false;
    case detail::scan_result::unknown: break;
    }
  }
  return static_cast<bool>(child(name, xmlns));
}

std::string_view stanza::child_attribute(std::string_view name, std::string_view xmlns,
                                         std::string_view attribute) const {
  detail::tag_view root_tag;
  detail::tag_view tag;
  if (text_root(root_tag)) {
    std::string_view value;
    switch (detail::child_of_root(xml_, root_tag, name, xmlns, tag)) {
    case detail::scan_result::found:
      if (detail::attribute_in(tag.attributes, attribute, value) != detail::scan_result::unknown)
        return value;
      break;
    case detail::scan_result::absent: return {};
    case detail::scan_result::unknown: break;
    }
  }
  const auto node = child(name, xmlns);
  const auto a = node.attribute(std::string{attribute}.c_str());
  return a ? std::string_view{a.value()} : std::string_view{};
}

pugi::xml_node stanza::child(std::string_view name, std::string_view xmlns) const {
  return find_child(root(), name, xmlns);
}

pugi::xml_node find_child(pugi::xml_node parent, std::string_view name, std::string_view xmlns) {
  for (auto c : parent.children())
    if (c.type() == pugi::node_element && name == c.name() && has_xmlns(c, xmlns))
      return c;
  return {};
}

namespace {

// The bytes append_escaped must look at: the five XML specials and the C0
// controls XML 1.0 cannot carry at all (§2.2: only tab, LF and CR are allowed).
constexpr auto needs_care = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : std::string_view{"&<>\"'"})
    table[c] = true;
  for (unsigned c = 0; c < 0x20; ++c)
    table[c] = c != '\t' && c != '\n' && c != '\r';
  return table;
}();

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
  // Copies runs of plain bytes at once: most text has nothing to escape.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!needs_care[c])
      continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default: {
      static constexpr char hex[] = "0123456789abcdef";
      throw std::invalid_argument(std::string{"XML cannot carry the control character U+00"}
                                  + hex[c >> 4] + hex[c & 15] + " (XML 1.0 §2.2)");
    }
    }
  }
  out.append(text.data() + run, text.size() - run);
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text);
  return out;
}

}  // namespace amoc::xmpp
