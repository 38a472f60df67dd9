// config_memo: a value read once per thread and call site, read again once
// the config may have changed.

#include "amoc/config_memo.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "detached_user.hpp"

namespace {

int reads = 0;

std::string greeting_of(const amoc::user& u) {
  return amoc::config_memo(u, [](const amoc::user& reader) {
    ++reads;
    return reader.config<std::string>("memo_greeting", "hello");
  });
}

TEST(config_memo, reads_once_until_the_config_changes) {
  reads = 0;
  amoc::config::store s;
  EXPECT_EQ(greeting_of(detached_user{1, s}), "hello");
  EXPECT_EQ(greeting_of(detached_user{2, s}), "hello");
  EXPECT_EQ(reads, 1);  // the second user got the kept value
  s.set("memo_greeting", "hi");
  EXPECT_EQ(greeting_of(detached_user{3, s}), "hi");
  EXPECT_EQ(reads, 2);
  ::setenv("AMOC_memo_greeting", "env", 1);
  EXPECT_EQ(greeting_of(detached_user{3, s}), "env");
  ::unsetenv("AMOC_memo_greeting");
  EXPECT_EQ(greeting_of(detached_user{3, s}), "hi");
  amoc::config::store other;  // another run
  EXPECT_EQ(greeting_of(detached_user{1, other}), "hello");
  EXPECT_EQ(reads, 5);
}

TEST(config_memo, each_thread_and_each_call_site_keeps_its_own) {
  reads = 0;
  amoc::config::store s;
  s.set("memo_greeting", "hi");
  const detached_user u{1, s};
  EXPECT_EQ(greeting_of(u), "hi");
  std::thread{[&] { EXPECT_EQ(greeting_of(u), "hi"); }}.join();
  EXPECT_EQ(reads, 2);
  const auto& other_site =
    amoc::config_memo(u, [](const amoc::user& reader) { return reader.config<int>("memo_n", 7); });
  EXPECT_EQ(other_site, 7);
  EXPECT_EQ(greeting_of(u), "hi");
  EXPECT_EQ(reads, 2);
}

}  // namespace
