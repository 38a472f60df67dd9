// xmpp::options::from: the xmpp_* settings a user reads, kept per thread
// while the config is unchanged and read again once it changes.

#include <gtest/gtest.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "../libamoc/detached_user.hpp"
#include "amoc/config.hpp"
#include "amoc/xmpp/client.hpp"

namespace {

namespace xmpp = amoc::xmpp;
using amoc::config::json;

TEST(xmpp_options, each_user_gets_its_account_and_source_address) {
  amoc::config::store s;
  s.set("xmpp_host", "127.0.0.9");
  s.set("xmpp_source_addresses", json::array({"127.0.0.2", "127.0.0.3"}));
  s.set("xmpp_password_prefix", "pw");
  const auto seven = xmpp::options::from(detached_user{7, s});
  const auto eight = xmpp::options::from(detached_user{8, s});
  EXPECT_EQ(seven.host, "127.0.0.9");
  EXPECT_EQ(seven.username, "user_7");
  EXPECT_EQ(seven.password, "pw7");
  EXPECT_EQ(seven.source_address, "127.0.0.3");
  EXPECT_EQ(eight.username, "user_8");
  EXPECT_EQ(eight.password, "pw8");
  EXPECT_EQ(eight.source_address, "127.0.0.2");
}

TEST(xmpp_options, a_changed_setting_reaches_the_next_user) {
  amoc::config::store s;
  detached_user u{1, s};
  EXPECT_EQ(xmpp::options::from(u).domain, "localhost");
  s.set("xmpp_domain", "example.org");  // a live update during the run
  EXPECT_EQ(xmpp::options::from(u).domain, "example.org");
  ::setenv("AMOC_xmpp_domain", "env.example", 1);  // the environment wins
  EXPECT_EQ(xmpp::options::from(u).domain, "env.example");
  ::unsetenv("AMOC_xmpp_domain");
  EXPECT_EQ(xmpp::options::from(u).domain, "example.org");
  amoc::config::store other;  // another run's store
  EXPECT_EQ(xmpp::options::from(detached_user{1, other}).domain, "localhost");
}

TEST(xmpp_options, a_bad_value_is_refused_every_time_it_is_read) {
  amoc::config::store s;
  s.set("xmpp_port", 70000);
  for (int i = 0; i < 2; ++i)
    EXPECT_THROW((void)xmpp::options::from(detached_user{1, s}), amoc::config::error);
  s.set("xmpp_port", 5299);
  EXPECT_EQ(xmpp::options::from(detached_user{1, s}).port, 5299);
}

}  // namespace
