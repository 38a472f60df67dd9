#pragma once

// The little text handling the floor client needs (tests/bench/xmpp_floor.cpp):
// finding tags in received bytes without parsing XML, base64 for SASL PLAIN,
// and a fixed-size latency histogram that allocates nothing while the run is
// measured.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace floor_client {

inline bool has(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

// An attribute's value in either quote style: `type='chat'` or `type="chat"`.
inline bool has_attribute(std::string_view tag, std::string_view name, std::string_view value) {
  for (char q : {'\'', '"'}) {
    const auto at = tag.find(name);
    if (at == std::string_view::npos)
      return false;
    auto rest = tag.substr(at + name.size());
    if (rest.size() >= value.size() + 3 && rest[0] == '=' && rest[1] == q
        && rest.substr(2, value.size()) == value && rest[2 + value.size()] == q)
      return true;
  }
  return false;
}

// Where the element starting at `at` (a '<') ends, one past its last byte;
// 0 when it is not all there yet. A start tag of <stream:stream> and the XML
// declaration stand alone; other elements end at their first closing tag,
// enough for the stanzas a server sends to a client on this path (a message
// holds no message, a presence no presence).
inline std::size_t element_end(std::string_view text, std::size_t at) {
  const auto gt = text.find('>', at);
  if (gt == std::string_view::npos)
    return 0;
  const auto tag = text.substr(at, gt + 1 - at);
  if (tag.ends_with("/>") || tag.starts_with("</") || tag.starts_with("<?")
      || tag.starts_with("<stream:stream"))
    return gt + 1;
  const auto name_end = tag.find_first_of(" \t\r\n/>", 1);
  const auto name = tag.substr(1, name_end - 1);
  for (auto from = gt + 1;;) {
    const auto close = text.find("</", from);
    if (close == std::string_view::npos)
      return 0;
    const auto rest = text.substr(close + 2);
    if (rest.starts_with(name) && rest.size() > name.size() && rest[name.size()] == '>')
      return close + 2 + name.size() + 1;
    from = close + 2;
  }
}

// For a chat message with a body, amoc's send timestamp in µs since the epoch
// (<sent xmlns='urn:amoc:ttd' us='...'/>), 0 when it has none; nothing for
// other messages (errors, headlines, chat states).
inline std::optional<std::int64_t> chat_sent_us(std::string_view message) {
  const auto tag = message.substr(0, message.find('>'));
  if (!has_attribute(tag, "type", "chat") || !has(message, "<body"))
    return std::nullopt;
  auto at = message.find(" us='");
  if (at == std::string_view::npos)
    at = message.find(" us=\"");
  if (at == std::string_view::npos)
    return 0;
  return std::strtoll(message.data() + at + 5, nullptr, 10);
}

// RFC 6121 session establishment: amoc asks for it only when the features
// name it without <optional/> (steps::session), and so does the floor.
inline bool session_required(std::string_view features) {
  const auto at = features.find("urn:ietf:params:xml:ns:xmpp-session");
  if (at == std::string_view::npos)
    return false;
  const auto rest = features.substr(at);
  const auto end = rest.find('>');
  if (end != std::string_view::npos && end > 0 && rest[end - 1] == '/')
    return true;  // <session xmlns='...'/>: no <optional/> inside
  return !has(rest.substr(0, rest.find("</session>")), "<optional/>");
}

// Base64 of `in` into `out` (room for 4/3 of it and a NUL); its length.
inline std::size_t base64(std::string_view in, char* out) {
  static constexpr char digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t n = 0;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const auto left = in.size() - i;
    std::uint32_t v = static_cast<std::uint8_t>(in[i]) << 16;
    if (left > 1)
      v |= static_cast<std::uint8_t>(in[i + 1]) << 8;
    if (left > 2)
      v |= static_cast<std::uint8_t>(in[i + 2]);
    out[n++] = digits[(v >> 18) & 63];
    out[n++] = digits[(v >> 12) & 63];
    out[n++] = left > 1 ? digits[(v >> 6) & 63] : '=';
    out[n++] = left > 2 ? digits[v & 63] : '=';
  }
  out[n] = '\0';
  return n;
}

// Latencies in microseconds, to within 1% (128 steps per power of two above
// 256 µs): 4,736 counters in static storage.
class histogram {
public:
  // Writes every counter, so that recording later faults in no new page.
  void touch() { std::fill(counts_.begin(), counts_.end(), 0); }

  void record(std::int64_t us) {
    ++counts_[bucket(us < 0 ? 0 : static_cast<std::uint64_t>(us))];
    ++total_;
  }

  // The value below which `pct` percent of the recordings lie (in µs); 0 if none.
  double percentile(double pct) const {
    if (!total_)
      return 0;
    auto rank = static_cast<std::uint64_t>(pct / 100.0 * static_cast<double>(total_) + 0.5);
    if (rank < 1)
      rank = 1;
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < counts_.size(); ++b)
      if ((seen += counts_[b]) >= rank)
        return lower_bound(b);
    return lower_bound(counts_.size() - 1);
  }

private:
  static constexpr std::size_t linear = 256, steps = 128, powers = 35;

  static std::size_t bucket(std::uint64_t v) {
    if (v < linear)
      return v;
    const auto e = static_cast<unsigned>(std::bit_width(v) - 1);  // 8 and up
    const auto b = linear + (e - 8) * steps + ((v >> (e - 7)) & (steps - 1));
    return b < linear + powers * steps ? b : linear + powers * steps - 1;
  }

  static double lower_bound(std::size_t b) {
    if (b < linear)
      return static_cast<double>(b);
    const auto e = (b - linear) / steps + 8, step = (b - linear) % steps;
    return static_cast<double>((steps + step) << (e - 7));
  }

  std::array<std::uint64_t, linear + powers * steps> counts_{};
  std::uint64_t total_ = 0;
};

}  // namespace floor_client
