#pragma once

// The character-level rules of XML 1.0 the stream framer checks as bytes
// arrive: which bytes may start or continue a name, which are plain text,
// which may not appear at all, UTF-8, and entity references. Names follow
// pugixml's tables (any byte >= 0x80 may be part of a name), so everything
// the framer lets through parses with pugixml.

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace amoc::xmpp::detail {

/// Byte classes, as bits.
enum char_class : std::uint8_t {
  space = 1,          ///< XML white space: space, tab, CR, LF
  name_start = 2,     ///< may start a name: letters, '_', ':', bytes >= 0x80
  name_char = 4,      ///< may continue a name: the above, digits, '-', '.'
  plain_text = 8,     ///< ASCII character data that changes no state (not '<' or '&')
  plain_value = 16,   ///< plain text that is no quote either (inside an attribute value)
  not_xml_char = 32,  ///< C0 controls other than tab, CR, LF (XML 1.0 §2.2)
  ascii_name = 64,    ///< an ASCII byte that may continue a name
};

// Internal linkage (const): each user gets its own copy, read without indirection.
constexpr auto char_classes = [] {
  std::array<std::uint8_t, 256> table{};
  for (unsigned c = 0; c < 0x20; ++c)
    table[c] = not_xml_char;
  for (unsigned c : {' ', '\t', '\r', '\n'})
    table[c] = space | plain_text | plain_value;
  for (unsigned c = 0x21; c < 0x80; ++c)
    table[c] = plain_text | plain_value;
  for (unsigned c : {'<', '&'})
    table[c] = 0;
  for (unsigned c : {'\'', '"'})
    table[c] = plain_text;
  const auto name = [&](unsigned c, bool start) {
    table[c] |= name_char | ascii_name | (start ? name_start : 0);
  };
  for (unsigned c = 'a'; c <= 'z'; ++c)
    name(c, true);
  for (unsigned c = 'A'; c <= 'Z'; ++c)
    name(c, true);
  for (unsigned c = '0'; c <= '9'; ++c)
    name(c, false);
  name('_', true);
  name(':', true);
  name('-', false);
  name('.', false);
  for (unsigned c = 0x80; c < 0x100; ++c)
    table[c] = name_char | name_start;
  return table;
}();

[[nodiscard]] inline bool is(char c, char_class k) {
  return (char_classes[static_cast<unsigned char>(c)] & k) != 0;
}

/// Takes the next byte of UTF-8 text; false if it cannot come next. `need`
/// counts the continuation bytes still due, `lead` is the sequence's first
/// byte until its second one is in (it narrows that byte's range). Only
/// well-formed sequences pass (RFC 3629 §4: no overlong forms, no surrogates,
/// nothing above U+10FFFF).
[[nodiscard]] inline bool utf8_step(std::uint8_t& need, std::uint8_t& lead,
                                    unsigned char b) noexcept {
  if (need > 0) {
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    switch (lead) {
    case 0xe0: lo = 0xa0; break;  // overlong
    case 0xed: hi = 0x9f; break;  // surrogates
    case 0xf0: lo = 0x90; break;  // overlong
    case 0xf4: hi = 0x8f; break;  // above U+10FFFF
    default: break;
    }
    if (b < lo || b > hi)
      return false;
    --need;
    lead = 0;
    return true;
  }
  if (b < 0x80)
    return true;
  if (b < 0xc2 || b > 0xf4)
    return false;
  need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
  lead = b;
  return true;
}

/// Server bytes for a message that may end up in logs and JSON: printable
/// ASCII as it is, anything else as \xHH.
[[nodiscard]] inline std::string printable(std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f) {
      out += c;
    } else {
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
    }
  }
  return out;
}

/// The longest reference the framer waits for between '&' and ';' ("#x0010FFFF" fits).
inline constexpr std::size_t max_reference_size = 12;

/// "" when `name` (what stands between '&' and ';') is a reference an XMPP
/// stream may carry: one of the five predefined entities (RFC 6120 §11.1
/// forbids others) or a character reference to a character XML allows
/// (XML 1.0 §4.1, §2.2). Otherwise why not.
[[nodiscard]] inline std::string check_reference(std::string_view name) {
  for (std::string_view known : {"amp", "lt", "gt", "quot", "apos"})
    if (name == known)
      return {};
  if (!name.starts_with('#'))
    return "the entity &" + std::string{name}
           + "; is not one of the five XML predefines (RFC 6120 §11.1)";
  const bool hex = name.starts_with("#x");
  const auto digits = name.substr(hex ? 2 : 1);
  std::uint32_t code = 0;
  const auto [end, ec] =
    std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
    return "&" + std::string{name} + "; is not a character reference";
  const bool allowed = code == 0x9 || code == 0xa || code == 0xd || (code >= 0x20 && code <= 0xd7ff)
                       || (code >= 0xe000 && code <= 0xfffd)
                       || (code >= 0x10000 && code <= 0x10ffff);
  if (!allowed)
    return "&" + std::string{name} + "; refers to a character XML cannot carry (XML 1.0 §2.2)";
  return {};
}

}  // namespace amoc::xmpp::detail
