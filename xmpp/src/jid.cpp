#include "amoc/xmpp/jid.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

namespace amoc::xmpp {

namespace {

// RFC 7622 §3.1: each part is at most 1023 octets.
constexpr std::size_t max_part_bytes = 1023;

char fold(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool equal_folded(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return fold(x) == fold(y);
         });
}

std::strong_ordering compare_folded(std::string_view a, std::string_view b) noexcept {
  return std::lexicographical_compare_three_way(
    a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return static_cast<unsigned char>(fold(x)) <=> static_cast<unsigned char>(fold(y));
    });
}

bool is_control(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// RFC 7622 §3.3.1: characters a localpart must not contain.
bool forbidden_in_local(char c) noexcept {
  return is_control(c) || c == ' ' || c == '"' || c == '&' || c == '\'' || c == '/' || c == ':'
         || c == '<' || c == '>' || c == '@';
}

// A domainpart is a DNS name or an IP literal (RFC 7622 §3.2): none of these fit.
bool forbidden_in_domain(char c) noexcept {
  return is_control(c) || c == ' ' || c == '"' || c == '&' || c == '\'' || c == '<' || c == '>'
         || c == '\\' || c == '@' || c == '/';
}

// Why `part` is not acceptable, or "" when it is.
std::string check_part(std::string_view what, std::string_view part, std::string_view text,
                       bool (*forbidden)(char)) {
  auto in = [&] { return " in '" + std::string{text} + "'"; };
  if (part.empty())
    return "empty " + std::string{what} + in();
  if (part.size() > max_part_bytes)
    return std::string{what} + " longer than 1023 bytes" + in();
  auto bad = std::find_if(part.begin(), part.end(), forbidden);
  if (bad != part.end()) {
    static constexpr char hex[] = "0123456789abcdef";
    const auto u = static_cast<unsigned char>(*bad);
    std::string shown =
      is_control(*bad) ? std::string{"\\x"} + hex[u >> 4] + hex[u & 15] : std::string(1, *bad);
    return std::string{what} + " must not contain '" + shown + "'" + in();
  }
  return {};
}

bool forbidden_in_resource(char c) noexcept { return is_control(c); }

// Why `p` (split from `text`) is not a valid JID, or "" when it is.
std::string check(const jid::parts& p, std::string_view text, bool has_at, bool has_slash) {
  if (has_at || !p.local.empty())
    if (auto why = check_part("local part", p.local, text, forbidden_in_local); !why.empty())
      return why;
  if (auto why = check_part("domain", p.domain, text, forbidden_in_domain); !why.empty())
    return why;
  if (has_slash || !p.resource.empty())
    if (auto why = check_part("resource", p.resource, text, forbidden_in_resource); !why.empty())
      return why;
  return {};
}

std::string compose(const jid::parts& p) {
  std::string text;
  text.reserve(p.local.size() + p.domain.size() + p.resource.size() + 2);
  if (!p.local.empty())
    (text += p.local) += '@';
  text += p.domain;
  if (!p.resource.empty())
    (text += '/') += p.resource;
  return text;
}

}  // namespace

jid::parts jid::split(std::string_view text) noexcept {
  // RFC 7622 §3.2: the resource starts at the first '/', the local part ends at
  // the first '@' before it; '@' and '/' may appear inside the resource.
  parts p;
  const auto slash = text.find('/');
  if (slash != std::string_view::npos) {
    p.resource = text.substr(slash + 1);
    text = text.substr(0, slash);
  }
  const auto at = text.find('@');
  if (at != std::string_view::npos) {
    p.local = text.substr(0, at);
    text = text.substr(at + 1);
  }
  p.domain = text;
  return p;
}

std::optional<jid> jid::make(parts p, std::string_view text, bool has_at, bool has_slash,
                             std::string* why) {
  // RFC 7622 §3.2: a trailing dot of a domain name is not part of the address.
  if (p.domain.size() > 1 && p.domain.back() == '.')
    p.domain.remove_suffix(1);
  auto problem = check(p, text, has_at, has_slash);
  if (!problem.empty()) {
    if (why)
      *why = "invalid JID: " + problem;
    return std::nullopt;
  }
  return jid{compose(p), p};
}

std::optional<jid> jid::try_parse(std::string_view text, std::string* why) {
  const auto slash = text.find('/');
  const bool has_at = text.substr(0, slash).find('@') != std::string_view::npos;
  return make(split(text), text, has_at, slash != std::string_view::npos, why);
}

jid jid::parse(std::string_view text) {
  std::string why;
  auto j = try_parse(text, &why);
  if (!j)
    throw std::invalid_argument(why);
  return std::move(*j);
}

jid jid::of(std::string_view local, std::string_view domain, std::string_view resource) {
  const parts p{local, domain, resource};
  std::string why;
  auto j = make(p, compose(p), false, false, &why);
  if (!j)
    throw std::invalid_argument(why);
  return std::move(*j);
}

jid::jid(std::string text, parts p) : text_(std::move(text)) {
  // Offsets into our own copy, from the sizes of the checked parts.
  domain_at_ = static_cast<std::uint16_t>(p.local.empty() ? 0 : p.local.size() + 1);
  domain_len_ = static_cast<std::uint16_t>(p.domain.size());
  resource_at_ = static_cast<std::uint16_t>(p.resource.empty() ? 0 : domain_at_ + domain_len_ + 1);
}

std::string_view jid::bare() const noexcept {
  return std::string_view{text_}.substr(0, domain_at_ + domain_len_);
}

std::string_view jid::local() const noexcept {
  return domain_at_ == 0 ? std::string_view{} : std::string_view{text_}.substr(0, domain_at_ - 1);
}

std::string_view jid::domain() const noexcept {
  return std::string_view{text_}.substr(domain_at_, domain_len_);
}

std::string_view jid::resource() const noexcept {
  return resource_at_ == 0 ? std::string_view{} : std::string_view{text_}.substr(resource_at_);
}

jid jid::to_bare() const {
  if (is_bare())
    return *this;
  return jid{std::string{bare()}, parts{local(), domain(), {}}};
}

jid jid::with_resource(std::string_view resource) const { return of(local(), domain(), resource); }

bool jid::same_bare(const jid& other) const noexcept { return equal_folded(bare(), other.bare()); }

bool jid::same_bare(std::string_view other) const noexcept {
  const auto p = split(other);
  return equal_folded(local(), p.local) && equal_folded(domain(), p.domain);
}

bool jid::matches(std::string_view other) const noexcept {
  return same_bare(other) && (is_bare() || resource() == split(other).resource);
}

bool operator==(const jid& a, const jid& b) noexcept {
  return a.same_bare(b) && a.resource() == b.resource();
}

std::strong_ordering operator<=>(const jid& a, const jid& b) noexcept {
  if (auto c = compare_folded(a.bare(), b.bare()); c != 0)
    return c;
  return a.resource() <=> b.resource();
}

std::ostream& operator<<(std::ostream& out, const jid& j) { return out << j.full(); }

}  // namespace amoc::xmpp
