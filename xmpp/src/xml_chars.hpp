#pragma once

// The character-level rules of XML 1.0 the stream framer checks as bytes
// arrive: which bytes may start or continue a name, which are plain text,
// which may not appear at all, UTF-8, and entity references. Names follow
// pugixml's tables (any byte >= 0x80 may be part of a name), so everything
// the framer lets through parses with pugixml.

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/// From `p`, passes 16-byte blocks of `data[p, end)` while every byte in them
/// is one the table calls plain and that needs no closer look: ' ' to 0x7f
/// other than '<' and '&' (and, in an attribute value, the quotes). Returns
/// the first other byte, or where fewer than 16 bytes are left: the byte
/// loop goes on from there and decides on tab, CR, LF and UTF-8.
[[nodiscard]] inline std::size_t skip_plain_blocks(const char* data, std::size_t p, std::size_t end,
                                                   bool in_value) noexcept {
#if defined(__SSE2__)
  const __m128i below_space = _mm_set1_epi8(0x20);
  const __m128i lt = _mm_set1_epi8('<');
  const __m128i amp = _mm_set1_epi8('&');
  const __m128i apos = _mm_set1_epi8(in_value ? '\'' : '<');
  const __m128i quot = _mm_set1_epi8(in_value ? '"' : '<');
  for (; p + 16 <= end; p += 16) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + p));
    // Signed: bytes from 0x80 up compare below ' ' too.
    __m128i stop = _mm_cmplt_epi8(b, below_space);
    stop = _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(b, lt), _mm_cmpeq_epi8(b, amp)));
    stop = _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(b, apos), _mm_cmpeq_epi8(b, quot)));
    if (const int mask = _mm_movemask_epi8(stop); mask != 0)
      return p + static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(mask)));
  }
#else
  (void)data;
  (void)end;
  (void)in_value;
#endif
  return p;
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
