#pragma once

/// `amoc::xmpp::stanza`: one top-level element of an XMPP stream (a message,
/// presence or iq stanza, or a nonza such as `<stream:features/>`), held as
/// XML text and parsed with pugixml on first inspection. Builders write the
/// text directly and received stanzas arrive as text, so a stanza that is
/// only sent or only counted is never parsed; a received one (checked by the
/// framer) answers its name, attributes, `has_child` and `child_attribute`
/// from the text as long as no DOM was needed (the answers are pugixml's).
///
///   auto s = co_await client.wait_for_stanza(5s);
///   if (s.name() == "message" && s.type() == "chat") log << s.body();

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace amoc::xmpp {

namespace detail {
struct tag_view;
}

/// A parsed or built XML element (a stanza or a nonza) and its serialised text.
class stanza {
public:
  using time_point = std::chrono::system_clock::time_point;

  stanza() noexcept;
  /// A stanza from its XML text; `received` is when it arrived (received stanzas only).
  explicit stanza(std::string xml, time_point received = {}) noexcept;
  /// Says that the text is one well-formed element (the stream framer checked it).
  struct checked_t {
    explicit checked_t() = default;
  };
  static constexpr checked_t checked{};
  /// A received stanza whose text the stream framer checked: until something
  /// needs its DOM, its name, attributes and children are read from the text.
  stanza(std::string xml, time_point received, checked_t) noexcept;
  // Construction and moves are defined where `parsed` is complete: g++ needs
  // its destructor for them even when nothing can throw.
  stanza(stanza&&) noexcept;
  stanza& operator=(stanza&&) noexcept;
  stanza(const stanza& other);
  stanza& operator=(const stanza& other);
  ~stanza();

  /// The XML text (re-serialised first if the stanza was changed through `edit()`).
  [[nodiscard]] const std::string& xml() const;
  /// When the stanza arrived from the server (epoch for stanzas built locally).
  [[nodiscard]] time_point received_at() const noexcept { return received_; }

  /// Parses the text if not done yet; false (with `parse_error()` set) if it is not well-formed
  /// XML.
  [[nodiscard]] bool parse() const;
  /// Why `parse()` failed ("" if it did not).
  [[nodiscard]] std::string parse_error() const;
  /// Frees the parsed form (a pugixml DOM takes 32 KB or more) and keeps the
  /// text, with any changes made through `edit()`; the next inspection
  /// parses again. For stanzas kept unread a while.
  void drop_parsed() const;

  // Inspection: parses on first use. A stanza that is not well-formed reads
  // as an element without name, attributes or children.

  /// The element's name as written: "message", "iq", "stream:features", ...
  [[nodiscard]] std::string_view name() const;
  /// An attribute's value; "" when absent.
  [[nodiscard]] std::string_view attribute(std::string_view name) const;
  [[nodiscard]] std::string_view type() const { return attribute("type"); }
  [[nodiscard]] std::string_view id() const { return attribute("id"); }
  [[nodiscard]] std::string_view from() const { return attribute("from"); }
  [[nodiscard]] std::string_view to() const { return attribute("to"); }
  /// The namespace declared on the element itself (`xmlns`).
  [[nodiscard]] std::string_view xmlns() const { return attribute("xmlns"); }
  /// The text of the `<body/>` child; "" when there is none.
  [[nodiscard]] std::string_view body() const;
  /// There is a child element called `name` (with that `xmlns`, when given).
  [[nodiscard]] bool has_child(std::string_view name, std::string_view xmlns = {}) const;
  /// An attribute of the first child element called `name` (with that
  /// `xmlns`, when given); "" when either is absent.
  [[nodiscard]] std::string_view child_attribute(std::string_view name, std::string_view xmlns,
                                                 std::string_view attribute) const;
  /// The first child element called `name` (with that `xmlns`, when given); empty if none.
  [[nodiscard]] pugi::xml_node child(std::string_view name, std::string_view xmlns = {}) const;
  /// The element, read-only (pugixml API).
  [[nodiscard]] pugi::xml_node root() const;

  /// The element, for changes: the text is re-serialised before it is sent.
  [[nodiscard]] pugi::xml_node edit();

private:
  struct parsed;
  [[nodiscard]] bool readable_as_text() const noexcept;
  /// The root's start tag read from the text (once: a chat is asked its
  /// name, type and TTD stamp); false when the text must be parsed instead.
  [[nodiscard]] bool text_root(detail::tag_view& out) const;

  mutable std::string xml_;
  mutable std::unique_ptr<parsed> parsed_;
  time_point received_{};
  bool checked_ = false;  // the text is one well-formed element
  // Where the root's name and start tag end in `xml_`: 0 until `text_root`
  // read them (and for a start tag beyond 64 KB, read each time). In what
  // was padding: the members before them keep their places.
  mutable std::uint16_t root_name_end_ = 0;
  mutable std::uint16_t root_tag_end_ = 0;
};

/// An element's first child called `name` with `xmlns` (any namespace when empty).
[[nodiscard]] pugi::xml_node find_child(pugi::xml_node parent, std::string_view name,
                                        std::string_view xmlns = {});

/// XML-escapes text for element content and attribute values (`&`, `<`, `>`, `"`, `'`).
/// Throws `std::invalid_argument` on a control character XML 1.0 cannot carry
/// (U+0000..U+001F other than tab, LF, CR): the server would end the stream.
void append_escaped(std::string& out, std::string_view text);
/// `append_escaped` into a new string.
[[nodiscard]] std::string escape(std::string_view text);

}  // namespace amoc::xmpp
