#include "user_table.hpp"

#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

using amoc::detail::user_table;

namespace {

struct sharing_config : caf::actor_system_config {
  sharing_config() { set("scheduler.policy", caf::atom("sharing")); }
};

struct user_table_test : ::testing::Test {
  sharing_config cfg;
  caf::actor_system sys{cfg};
  std::vector<caf::actor> actors;

  caf::actor make() {
    // An argument, because CAF 0.17 dereferences a null tuple for argument-less
    // function actors (harmless, but UBSan rightly complains).
    actors.push_back(sys.spawn([](int) -> caf::behavior { return {[](int) {}}; }, 0));
    return actors.back();
  }
  ~user_table_test() override {
    for (auto& a : actors)
      caf::anon_send_exit(a, caf::exit_reason::kill);
  }
};

}  // namespace

TEST_F(user_table_test, finds_users_by_actor_id) {
  user_table t;
  auto a = make(), b = make(), c = make();
  t.add(a);
  t.add(b);
  t.add(c);
  EXPECT_EQ(t.size(), 3u);
  EXPECT_TRUE(t.remove(b.id()));
  EXPECT_FALSE(t.remove(b.id())) << "a tombstone is not found twice";
  EXPECT_TRUE(t.remove(c.id()));
  EXPECT_FALSE(t.remove(c.id() + 1000)) << "unknown actor";
  EXPECT_EQ(t.size(), 1u);
}

TEST_F(user_table_test, takes_the_newest_unmarked_users) {
  user_table t;
  std::vector<caf::actor> users;
  for (std::uint64_t id = 1; id <= 5; ++id) {
    users.push_back(make());
    t.add(users.back());
  }
  std::vector<caf::actor_id> visited;
  auto visit = [&](const caf::actor& a) { visited.push_back(a.id()); };
  auto newest = [&](std::uint64_t n, user_table::mark m) {
    return t.take_newest(n, m, user_table::newest, visit).first;
  };
  EXPECT_EQ(t.count_below(user_table::mark::stopping), 5u);
  EXPECT_EQ(newest(2, user_table::mark::stopping), 2u);
  EXPECT_EQ(t.count_below(user_table::mark::stopping), 3u);
  EXPECT_EQ(t.count_below(user_table::mark::killed), 5u);
  EXPECT_EQ(visited, (std::vector<caf::actor_id>{users[4].id(), users[3].id()}));
  visited.clear();
  // A second graceful request skips users already stopping...
  EXPECT_EQ(newest(1, user_table::mark::stopping), 1u);
  EXPECT_EQ(visited, (std::vector<caf::actor_id>{users[2].id()}));
  visited.clear();
  // ...but a forced one escalates them.
  EXPECT_EQ(newest(10, user_table::mark::killed), 5u);
  EXPECT_EQ(newest(10, user_table::mark::killed), 0u);
  EXPECT_EQ(t.count_below(user_table::mark::killed), 0u);
}

TEST_F(user_table_test, continues_a_removal_in_batches) {
  user_table t;
  std::vector<caf::actor> users;
  for (int i = 0; i < 6; ++i) {
    users.push_back(make());
    t.add(users.back());
  }
  std::vector<caf::actor_id> visited;
  auto visit = [&](const caf::actor& a) { visited.push_back(a.id()); };
  auto [taken, below] = t.take_newest(2, user_table::mark::killed, user_table::newest, visit);
  EXPECT_EQ(taken, 2u);
  // A user spawned meanwhile is newer than the request and is left alone.
  users.push_back(make());
  t.add(users.back());
  ASSERT_TRUE(t.remove(users[3].id())) << "one ended meanwhile";
  std::tie(taken, below) = t.take_newest(10, user_table::mark::killed, below, visit);
  EXPECT_EQ(taken, 3u);
  EXPECT_EQ(below, 0u) << "nothing left below";
  EXPECT_EQ(visited, (std::vector<caf::actor_id>{users[5].id(), users[4].id(), users[2].id(),
                                                 users[1].id(), users[0].id()}));
}

TEST_F(user_table_test, compacts_tombstones_and_keeps_order) {
  user_table t;
  std::vector<caf::actor> users;
  for (std::uint64_t id = 1; id <= 3000; ++id) {
    users.push_back(make());
    t.add(users.back());
  }
  for (std::size_t i = 0; i < 2500; ++i)
    ASSERT_TRUE(t.remove(users[i].id()));
  EXPECT_EQ(t.size(), 500u);
  // Lookups still work after compaction moved the entries.
  EXPECT_TRUE(t.remove(users[2999].id()));
  EXPECT_TRUE(t.remove(users[2500].id()));
  EXPECT_FALSE(t.remove(users[10].id())) << "compacted away";
  EXPECT_EQ(t.size(), 498u);
}
