#include "amoc/net/url.hpp"

#include <gtest/gtest.h>

namespace amoc::net {
namespace {

TEST(http_url, splits_scheme_host_port_and_target) {
  auto u = parse_url("http://example.com:8080/a/b?c=d#frag");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->origin.tls);
  EXPECT_EQ(u->origin.host, "example.com");
  EXPECT_EQ(u->origin.port, 8080);
  EXPECT_EQ(u->target, "/a/b?c=d");
  EXPECT_EQ(u->origin.host_header(), "example.com:8080");
}

TEST(http_url, defaults_the_port_and_target) {
  auto u = parse_url("https://example.com");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->origin.tls);
  EXPECT_EQ(u->origin.port, 443);
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->origin.host_header(), "example.com");
  EXPECT_EQ(parse_url("http://h?q=1")->target, "/?q=1");
}

TEST(http_url, takes_ipv6_literals_and_drops_user_info) {
  auto u = parse_url("http://user:pw@[::1]:81/x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->origin.host, "::1");
  EXPECT_EQ(u->origin.port, 81);
  EXPECT_EQ(u->origin.host_header(), "[::1]:81");
}

TEST(http_url, refuses_what_it_cannot_send) {
  std::string why;
  EXPECT_FALSE(parse_url("ftp://h/", &why));
  EXPECT_NE(why.find("http"), std::string::npos);
  EXPECT_FALSE(parse_url("http://h:0/"));
  EXPECT_FALSE(parse_url("http://h:70000/"));
  EXPECT_FALSE(parse_url("http://h:8x/"));
  EXPECT_FALSE(parse_url("http:///path"));
  EXPECT_FALSE(parse_url("http://[::1/"));
}

TEST(http_url, resolves_redirect_locations) {
  const auto base = *parse_url("https://h:8443/dir/page?x=1");
  EXPECT_EQ(resolve_location(base, "http://other/p"), "http://other/p");
  EXPECT_EQ(resolve_location(base, "//other/p"), "https://other/p");
  EXPECT_EQ(resolve_location(base, "/top"), "https://h:8443/top");
  EXPECT_EQ(resolve_location(base, "next?y=2"), "https://h:8443/dir/next?y=2");
  EXPECT_EQ(to_string(base), "https://h:8443/dir/page?x=1");
}

}  // namespace
}  // namespace amoc::net
