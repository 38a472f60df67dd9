#include "amoc/xmpp/jid.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

using amoc::xmpp::jid;

namespace {

// The message `jid::parse(text)` throws, or "" when it parses.
std::string parse_error(std::string_view text) {
  try {
    (void)jid::parse(text);
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

}  // namespace

TEST(jid, splits_a_full_jid) {
  const auto j = jid::parse("user_1@localhost/amoc");
  EXPECT_EQ(j.local(), "user_1");
  EXPECT_EQ(j.domain(), "localhost");
  EXPECT_EQ(j.resource(), "amoc");
  EXPECT_EQ(j.bare(), "user_1@localhost");
  EXPECT_EQ(j.full(), "user_1@localhost/amoc");
  EXPECT_FALSE(j.is_bare());
}

TEST(jid, parts_are_optional_but_the_domain) {
  const auto domain = jid::parse("localhost");
  EXPECT_EQ(domain.local(), "");
  EXPECT_EQ(domain.domain(), "localhost");
  EXPECT_EQ(domain.bare(), "localhost");
  EXPECT_TRUE(domain.is_bare());
  const auto service = jid::parse("muc.localhost/room");
  EXPECT_EQ(service.local(), "");
  EXPECT_EQ(service.domain(), "muc.localhost");
  EXPECT_EQ(service.resource(), "room");
  EXPECT_EQ(service.bare(), "muc.localhost");
}

TEST(jid, the_resource_takes_everything_after_the_first_slash) {
  // RFC 7622 §3.2: '@' and '/' are fine inside the resource.
  const auto j = jid::parse("room@muc.localhost/nick@home/desk");
  EXPECT_EQ(j.local(), "room");
  EXPECT_EQ(j.domain(), "muc.localhost");
  EXPECT_EQ(j.resource(), "nick@home/desk");
  const auto no_local = jid::parse("localhost/a@b");
  EXPECT_EQ(no_local.local(), "");
  EXPECT_EQ(no_local.resource(), "a@b");
}

TEST(jid, drops_the_trailing_dot_of_the_domain) {
  EXPECT_EQ(jid::parse("a@example.com./r").full(), "a@example.com/r");
}

TEST(jid, rejects_empty_parts_with_a_clear_message) {
  EXPECT_EQ(parse_error(""), "invalid JID: empty domain in ''");
  EXPECT_EQ(parse_error("@localhost"), "invalid JID: empty local part in '@localhost'");
  EXPECT_EQ(parse_error("user@"), "invalid JID: empty domain in 'user@'");
  EXPECT_EQ(parse_error("user@localhost/"), "invalid JID: empty resource in 'user@localhost/'");
  EXPECT_EQ(parse_error("/res"), "invalid JID: empty domain in '/res'");
}

TEST(jid, rejects_forbidden_characters) {
  EXPECT_NE(parse_error("a b@localhost").find("local part must not contain ' '"),
            std::string::npos);
  EXPECT_NE(parse_error("a<b@localhost").find("'<'"), std::string::npos);
  EXPECT_NE(parse_error("a:b@localhost").find("':'"), std::string::npos);
  EXPECT_NE(parse_error("a@b@localhost").find("domain must not contain '@'"), std::string::npos);
  EXPECT_NE(parse_error("a@local host").find("domain"), std::string::npos);
  EXPECT_NE(parse_error(std::string_view{"a@localhost/r\x01", 15}).find("\\x01"),
            std::string::npos);
  EXPECT_EQ(parse_error("a@localhost/with space"), "");  // resources may hold spaces
}

TEST(jid, rejects_parts_longer_than_1023_bytes) {
  EXPECT_NE(parse_error(std::string(1024, 'a') + "@localhost").find("longer than 1023"),
            std::string::npos);
  EXPECT_EQ(parse_error(std::string(1023, 'a') + "@localhost"), "");
}

TEST(jid, try_parse_reports_without_throwing) {
  std::string why;
  EXPECT_FALSE(jid::try_parse("a@", &why));
  EXPECT_EQ(why, "invalid JID: empty domain in 'a@'");
  EXPECT_FALSE(jid::try_parse("a@"));
  EXPECT_TRUE(jid::try_parse("a@b"));
}

TEST(jid, of_builds_and_checks_parts) {
  EXPECT_EQ(jid::of("user_1", "localhost").full(), "user_1@localhost");
  EXPECT_EQ(jid::of("user_1", "localhost", "r/1").full(), "user_1@localhost/r/1");
  EXPECT_EQ(jid::of("", "localhost").full(), "localhost");
  EXPECT_THROW((void)jid::of("a@b", "localhost"), std::invalid_argument);
  EXPECT_THROW((void)jid::of("a", "local/host"), std::invalid_argument);
  EXPECT_THROW((void)jid::of("a", ""), std::invalid_argument);
}

TEST(jid, bare_and_resource_changes) {
  const auto j = jid::parse("a@b/c");
  EXPECT_EQ(j.to_bare().full(), "a@b");
  EXPECT_TRUE(j.to_bare().is_bare());
  EXPECT_EQ(j.to_bare().domain(), "b");
  EXPECT_EQ(j.with_resource("d").full(), "a@b/d");
  EXPECT_EQ(jid::parse("b").with_resource("d").full(), "b/d");
}

TEST(jid, bare_comparison_ignores_ascii_case) {
  const auto a = jid::parse("User_1@LocalHost/Res");
  EXPECT_TRUE(a.same_bare(jid::parse("user_1@localhost")));
  EXPECT_TRUE(a.same_bare(std::string_view{"USER_1@localhost/other"}));
  EXPECT_FALSE(a.same_bare(jid::parse("user_2@localhost")));
  EXPECT_FALSE(a.same_bare(std::string_view{"localhost"}));
  EXPECT_EQ(a, jid::parse("user_1@localhost/Res"));
  EXPECT_NE(a, jid::parse("user_1@localhost/res"));  // resources are case-sensitive
  EXPECT_NE(a, jid::parse("user_1@localhost"));
}

TEST(jid, a_bare_jid_matches_every_resource) {
  const auto bare = jid::parse("a@b");
  EXPECT_TRUE(bare.matches("a@b"));
  EXPECT_TRUE(bare.matches("A@b/phone"));
  EXPECT_FALSE(bare.matches("a@c/phone"));
  const auto full = jid::parse("a@b/phone");
  EXPECT_TRUE(full.matches("a@B/phone"));
  EXPECT_FALSE(full.matches("a@b/desk"));
  EXPECT_FALSE(full.matches("a@b"));
}

TEST(jid, orders_by_folded_bare_then_resource) {
  EXPECT_LT(jid::parse("a@b"), jid::parse("B@b"));
  EXPECT_LT(jid::parse("a@b/1"), jid::parse("a@b/2"));
  EXPECT_EQ(jid::parse("A@B/1") <=> jid::parse("a@b/1"), std::strong_ordering::equal);
}

TEST(jid, split_does_not_check) {
  const auto p = jid::split("@/");
  EXPECT_EQ(p.local, "");
  EXPECT_EQ(p.domain, "");
  EXPECT_EQ(p.resource, "");
  const auto q = jid::split("x@y/z/w");
  EXPECT_EQ(q.local, "x");
  EXPECT_EQ(q.domain, "y");
  EXPECT_EQ(q.resource, "z/w");
}

TEST(jid, prints_the_full_jid) {
  std::ostringstream out;
  out << jid::parse("a@b/c");
  EXPECT_EQ(out.str(), "a@b/c");
}
