#pragma once

/// `amoc::xmpp::jid`: an XMPP address, "local@domain/resource" (RFC 7622 §3).
/// Parsed structurally: the parts are split and checked for emptiness, length
/// and the characters RFC 7622 forbids, but not run through PRECIS/stringprep,
/// which load tests with ASCII user names do not need.
///
///   auto me = jid::parse("user_1@localhost/amoc");
///   me.bare();                                   // "user_1@localhost"
///   me.same_bare(jid::of("User_1", "LOCALHOST"));  // true

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace amoc::xmpp {

/// An XMPP address (RFC 7622): local@domain/resource, kept as its text.
class jid {
public:
  /// The parts of an address without any check (for fast matching of
  /// received `from` attributes); `local` and `resource` may be empty.
  struct parts {
    std::string_view local;
    std::string_view domain;
    std::string_view resource;
  };

  /// An empty JID (`empty()` is true); not a valid address.
  jid() = default;

  /// Parses "[local@]domain[/resource]"; throws `std::invalid_argument` naming
  /// the problem ("empty resource in 'a@b/'").
  [[nodiscard]] static jid parse(std::string_view text);
  /// Like `parse`, but returns nullopt and sets `why` (when given) instead of throwing.
  [[nodiscard]] static std::optional<jid> try_parse(std::string_view text,
                                                    std::string* why = nullptr);
  /// Builds a JID from its parts, checked like `parse`; an empty `local` or
  /// `resource` leaves that part out.
  [[nodiscard]] static jid of(std::string_view local, std::string_view domain,
                              std::string_view resource = {});
  /// Splits text as RFC 7622 §3.2 does, without checking anything.
  [[nodiscard]] static parts split(std::string_view text) noexcept;

  /// "local@domain/resource", as given.
  [[nodiscard]] const std::string& full() const noexcept { return text_; }
  /// "local@domain" (a prefix of `full()`).
  [[nodiscard]] std::string_view bare() const noexcept;
  [[nodiscard]] std::string_view local() const noexcept;
  [[nodiscard]] std::string_view domain() const noexcept;
  [[nodiscard]] std::string_view resource() const noexcept;

  [[nodiscard]] bool empty() const noexcept { return text_.empty(); }
  [[nodiscard]] bool is_bare() const noexcept { return resource_at_ == 0; }
  /// This address without its resource.
  [[nodiscard]] jid to_bare() const;
  /// This address's bare JID with `resource` (checked like `parse`).
  [[nodiscard]] jid with_resource(std::string_view resource) const;

  /// Same account: local and domain parts equal ignoring ASCII case (servers
  /// case-fold both, RFC 7622 §3.2.2, §3.3.2); resources are ignored.
  [[nodiscard]] bool same_bare(const jid& other) const noexcept;
  /// As `same_bare`, against unchecked text (a received `from` attribute).
  [[nodiscard]] bool same_bare(std::string_view other) const noexcept;
  /// Same account and, when this JID has a resource, the same resource (case-sensitive).
  /// This is how a bare JID "matches" any of its full JIDs.
  [[nodiscard]] bool matches(std::string_view other) const noexcept;

  /// Equal when the bare parts are equal ignoring ASCII case and the resources are equal.
  friend bool operator==(const jid& a, const jid& b) noexcept;
  /// Orders by case-folded bare JID, then by resource.
  friend std::strong_ordering operator<=>(const jid& a, const jid& b) noexcept;

private:
  explicit jid(std::string text, parts p);
  // Checks `p` (split from `text`, which error messages quote) and builds the JID.
  static std::optional<jid> make(parts p, std::string_view text, bool has_at, bool has_slash,
                                 std::string* why);

  std::string text_;
  std::uint16_t domain_at_ = 0;  // offset of the domain part
  std::uint16_t domain_len_ = 0;
  std::uint16_t resource_at_ = 0;  // offset of the resource, 0 when there is none
};

std::ostream& operator<<(std::ostream& out, const jid& j);

}  // namespace amoc::xmpp
