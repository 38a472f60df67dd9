#include "url.hpp"

#include <charconv>

namespace amoc::http::detail {

namespace {

bool fail(std::string* why, std::string text) {
  if (why)
    *why = std::move(text);
  return false;
}

// Splits "host[:port]" or "[v6]:port" into `o`.
bool parse_authority(std::string_view auth, origin& o, std::string* why) {
  if (auto at = auth.rfind('@'); at != auth.npos)
    auth.remove_prefix(at + 1);  // user info is not sent
  std::string_view port;
  if (auth.starts_with('[')) {
    const auto close = auth.find(']');
    if (close == auth.npos)
      return fail(why, "unclosed IPv6 address");
    o.host = std::string{auth.substr(1, close - 1)};
    auto rest = auth.substr(close + 1);
    if (!rest.empty() && rest.front() != ':')
      return fail(why, "junk after the IPv6 address");
    if (!rest.empty())
      port = rest.substr(1);
  } else {
    const auto colon = auth.find(':');
    o.host = std::string{auth.substr(0, colon)};
    if (colon != auth.npos)
      port = auth.substr(colon + 1);
  }
  if (o.host.empty())
    return fail(why, "no host");
  if (port.empty())
    return true;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535)
    return fail(why, "bad port \"" + std::string{port} + "\"");
  o.port = static_cast<std::uint16_t>(value);
  return true;
}

std::uint16_t default_port(bool tls) { return tls ? 443 : 80; }

}  // namespace

std::string origin::host_header() const {
  std::string text = host.find(':') != host.npos ? "[" + host + "]" : host;
  if (port != default_port(tls))
    text += ":" + std::to_string(port);
  return text;
}

std::optional<url> parse_url(std::string_view text, std::string* why) {
  url u;
  if (text.starts_with("http://")) {
    text.remove_prefix(7);
  } else if (text.starts_with("https://")) {
    text.remove_prefix(8);
    u.origin.tls = true;
  } else {
    fail(why, "not an http:// or https:// URL");
    return std::nullopt;
  }
  u.origin.port = default_port(u.origin.tls);
  const auto path_at = text.find_first_of("/?#");
  if (!parse_authority(text.substr(0, path_at), u.origin, why))
    return std::nullopt;
  auto target = path_at == text.npos ? std::string_view{} : text.substr(path_at);
  target = target.substr(0, target.find('#'));
  u.target = target.empty() || target.front() != '/' ? "/" + std::string{target} : target;
  return u;
}

std::string to_string(const url& u) {
  return (u.origin.tls ? "https://" : "http://") + u.origin.host_header() + u.target;
}

std::string resolve_location(const url& base, std::string_view location) {
  if (location.starts_with("http://") || location.starts_with("https://"))
    return std::string{location};
  const std::string scheme = base.origin.tls ? "https:" : "http:";
  if (location.starts_with("//"))
    return scheme + std::string{location};
  const std::string prefix = scheme + "//" + base.origin.host_header();
  if (location.starts_with('/'))
    return prefix + std::string{location};
  // Relative to the base's directory (dot segments are left to the server).
  const auto path = std::string_view{base.target}.substr(0, base.target.find('?'));
  return prefix + std::string{path.substr(0, path.rfind('/') + 1)} + std::string{location};
}

}  // namespace amoc::http::detail
