#include "builder_kit.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "amoc/xmpp/predicates.hpp"

namespace amoc::xmpp::detail {

void require_one_of(std::string_view what, std::string_view value,
                    std::span<const std::string_view> allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end())
    return;
  std::string text = std::string{what} + " '" + std::string{value} + "' is not one of:";
  for (auto a : allowed)
    (text += ' ') += a.empty() ? "\"\"" : a;
  throw std::invalid_argument(text);
}

void require(bool ok, std::string_view problem) {
  if (!ok)
    throw std::invalid_argument(std::string{problem});
}

std::size_t estimate(std::size_t fixed, std::initializer_list<std::string_view> args) {
  std::size_t n = fixed;
  for (auto a : args)
    n += a.size() + a.size() / 8;
  return n;
}

xml_writer& open_iq(xml_writer& w, std::string_view type, std::string_view to,
                    std::string_view id) {
  return w.open("iq").attr("type", type).id(id).attr_if("to", to);
}

stanza iq_with_empty_child(std::string_view type, std::string_view name, std::string_view xmlns,
                           std::string_view to, std::string_view id) {
  xml_writer w{estimate(64, {name, xmlns, to, id})};
  open_iq(w, type, to, id).end_open().empty_element(name, xmlns);
  return w.close("iq").to_stanza();
}

std::uint64_t micros_since_epoch(time_point t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
  return us.count() < 0 ? 0 : static_cast<std::uint64_t>(us.count());
}

std::optional<time_point> read_sent_stamp(pugi::xml_node sent) {
  if (!sent)
    return std::nullopt;
  return read_sent_micros(sent.attribute("us").value());
}

std::optional<time_point> read_sent_micros(std::string_view us) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(us.data(), us.data() + us.size(), value);
  if (ec != std::errc{} || end != us.data() + us.size() || us.empty())
    return std::nullopt;
  // A peer may send any number: beyond the clock's range (year 2262 for
  // nanoseconds) the conversion would overflow.
  constexpr auto max_us =
    std::chrono::duration_cast<std::chrono::microseconds>(time_point::duration::max()).count();
  if (value > static_cast<std::uint64_t>(max_us))
    return std::nullopt;
  return time_point{std::chrono::duration_cast<time_point::duration>(
    std::chrono::microseconds{static_cast<std::int64_t>(value)})};
}

std::string xep0082_datetime(time_point t) {
  const auto us = micros_since_epoch(t);
  const auto seconds = static_cast<std::time_t>(us / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out{text, n};
  if (auto fraction = us % 1'000'000; fraction != 0) {
    char digits[8];
    std::snprintf(digits, sizeof digits, ".%06u", static_cast<unsigned>(fraction));
    out += digits;
  }
  return out + 'Z';
}

namespace {

// Reads exactly `digits` decimal digits at `at` into `value`, advancing `at`.
bool read_digits(std::string_view text, std::size_t& at, std::size_t digits, int& value) {
  if (at + digits > text.size())
    return false;
  value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + (c - '0');
  }
  at += digits;
  return true;
}

bool expect_char(std::string_view text, std::size_t& at, char c) {
  if (at >= text.size() || text[at] != c)
    return false;
  ++at;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

}  // namespace

std::optional<time_point> parse_xep0082_datetime(std::string_view text) {
  // CCYY-MM-DDThh:mm:ss[.sss]TZD, TZD being Z or (+|-)hh:mm (XEP-0082 §3.3).
  std::size_t at = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const bool fields = read_digits(text, at, 4, year) && expect_char(text, at, '-')
                      && read_digits(text, at, 2, month) && expect_char(text, at, '-')
                      && read_digits(text, at, 2, day) && expect_char(text, at, 'T')
                      && read_digits(text, at, 2, hour) && expect_char(text, at, ':')
                      && read_digits(text, at, 2, minute) && expect_char(text, at, ':')
                      && read_digits(text, at, 2, second);
  if (!fields || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59
      || second > 60)
    return std::nullopt;
  std::int64_t micros = 0;
  if (expect_char(text, at, '.')) {
    int scale = 100'000, digits = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      micros += (text[at] - '0') * scale;
      scale /= 10;
    }
    if (digits == 0)
      return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (!expect_char(text, at, 'Z')) {
    if (at >= text.size() || (text[at] != '+' && text[at] != '-'))
      return std::nullopt;
    const int sign = text[at++] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!read_digits(text, at, 2, oh) || !expect_char(text, at, ':')
        || !read_digits(text, at, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset_s = sign * (oh * 3600 + om * 60);
  }
  if (at != text.size())
    return std::nullopt;
  const auto seconds =
    days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  // The clock counts nanoseconds in 64 bits: years outside 1678..2261 would overflow.
  constexpr auto limit =
    std::chrono::duration_cast<std::chrono::seconds>(time_point::duration::max()).count() - 1;
  if (seconds > limit || seconds < -limit)
    return std::nullopt;
  return time_point{std::chrono::duration_cast<time_point::duration>(
    std::chrono::microseconds{seconds * 1'000'000 + micros})};
}

void write_form_field(xml_writer& w, std::string_view var, std::string_view value, bool hidden) {
  w.open("field").attr("var", var);
  if (hidden)
    w.attr("type", "hidden");
  w.end_open().text_element("value", value).close("field");
}

read_error malformed(std::string_view what, const stanza& s) {
  std::string context{what};
  if (!s.parse())
    (context += " (not well-formed XML: ") += s.parse_error() + ')';
  context += " in: ";
  context += std::string_view{s.xml()}.substr(0, 200);
  return read_error{std::move(context)};
}

read_error error_reply(std::string_view what, const stanza& s) {
  const auto e = stanza_error_condition(s);
  std::string context = std::string{what} + ": the server answered with error " + e.condition;
  if (!e.text.empty())
    (context += " (") += e.text + ')';
  return read_error{std::move(context)};
}

pugi::xml_node first_element(pugi::xml_node node) {
  return node.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; });
}

std::string to_xml(pugi::xml_node node) {
  struct string_writer final : pugi::xml_writer {
    std::string out;
    void write(const void* data, std::size_t size) override {
      out.append(static_cast<const char*>(data), size);
    }
  } w;
  node.print(w, "", pugi::format_raw | pugi::format_no_declaration);
  return std::move(w.out);
}

}  // namespace amoc::xmpp::detail
