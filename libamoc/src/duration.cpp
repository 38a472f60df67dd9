#include "amoc/config.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "text.hpp"

namespace amoc {

namespace {

using detail::trim;

constexpr std::uint64_t max_nanoseconds = std::numeric_limits<duration::rep>::max();

// A unit's length is mantissa * 10^exponent nanoseconds; keeping the two apart
// lets fractions like "1.5h" be computed exactly in 64 bits.
struct unit {
  std::string_view suffix;
  std::uint64_t mantissa;
  int exponent;
};

// Largest first: `to_string` picks the first unit that divides exactly.
constexpr std::array<unit, 6> units{
  {{"h", 36, 11}, {"m", 6, 10}, {"s", 1, 9}, {"ms", 1, 6}, {"us", 1, 3}, {"ns", 1, 0}}};

// More fraction digits than this cannot change the result by a nanosecond
// and would overflow `digits * 36`.
constexpr std::size_t max_fraction_digits = 17;

constexpr std::uint64_t power_of_ten(int exponent) {
  std::uint64_t result = 1;
  for (int i = 0; i < exponent; ++i)
    result *= 10;
  return result;
}

std::size_t count_digits(std::string_view text) {
  auto end = std::find_if(text.begin(), text.end(),
                          [](char c) { return std::isdigit(static_cast<unsigned char>(c)) == 0; });
  return static_cast<std::size_t>(end - text.begin());
}

std::optional<unit> find_unit(std::string_view suffix) {
  if (suffix.empty())
    return units[3];
  for (const auto& u : units)
    if (u.suffix == suffix)
      return u;
  return std::nullopt;
}

std::optional<std::uint64_t> parse_digits(std::string_view digits) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size())
    return std::nullopt;
  return value;
}

// The nanoseconds of `0.<digits>` units, rounded down.
std::uint64_t fraction_nanoseconds(std::string_view digits, const unit& u) {
  digits = digits.substr(0, max_fraction_digits);
  const auto numerator = *parse_digits(digits) * u.mantissa;
  const int shift = u.exponent - static_cast<int>(digits.size());
  return shift >= 0 ? numerator * power_of_ten(shift) : numerator / power_of_ten(-shift);
}

}  // namespace

std::optional<duration> parse_duration(std::string_view text) {
  text = trim(text);
  const auto whole_digits = count_digits(text);
  if (whole_digits == 0)
    return std::nullopt;
  auto whole = parse_digits(text.substr(0, whole_digits));
  text.remove_prefix(whole_digits);
  std::string_view fraction;
  if (!text.empty() && text.front() == '.') {
    fraction = text.substr(1, count_digits(text.substr(1)));
    if (fraction.empty())
      return std::nullopt;
    text.remove_prefix(1 + fraction.size());
  }
  auto u = find_unit(trim(text));
  if (!whole || !u)
    return std::nullopt;
  const auto unit_ns = u->mantissa * power_of_ten(u->exponent);
  const auto fraction_ns = fraction.empty() ? 0 : fraction_nanoseconds(fraction, *u);
  if (*whole > (max_nanoseconds - fraction_ns) / unit_ns)
    return std::nullopt;
  return duration{static_cast<duration::rep>(*whole * unit_ns + fraction_ns)};
}

std::string to_string(duration d) {
  if (d == duration::zero())
    return "0ms";
  const bool negative = d.count() < 0;
  // Negating in unsigned arithmetic keeps duration::min() representable.
  const auto magnitude =
    negative ? 0 - static_cast<std::uint64_t>(d.count()) : static_cast<std::uint64_t>(d.count());
  for (const auto& u : units) {
    const auto unit_ns = u.mantissa * power_of_ten(u.exponent);
    if (magnitude % unit_ns == 0)
      return (negative ? "-" : "") + std::to_string(magnitude / unit_ns) + std::string{u.suffix};
  }
  return {};  // unreachable: "ns" divides everything
}

std::string to_string(count c) { return c.infinite() ? "infinity" : std::to_string(c.value); }

}  // namespace amoc
