#include "spawn_gate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using amoc::detail::spawn_gate;

TEST(spawn_gate, open_while_few_users_wait_to_run) {
  spawn_gate gate{2};
  int opened = 0;
  gate.on_open = [&] { ++opened; };
  EXPECT_TRUE(gate.try_open());
  gate.spawned();
  gate.spawned();
  EXPECT_TRUE(gate.try_open()) << "two waiting is the low-water mark: still open";
  EXPECT_EQ(opened, 0) << "nobody was blocked";
}

TEST(spawn_gate, the_user_that_reaches_low_water_opens_it_once) {
  spawn_gate gate{1};
  int opened = 0;
  gate.on_open = [&] { ++opened; };
  for (int i = 0; i < 4; ++i)
    gate.spawned();
  EXPECT_FALSE(gate.try_open());
  EXPECT_FALSE(gate.try_open()) << "asking twice is still one wake-up";
  gate.ran();
  gate.ran();
  EXPECT_EQ(opened, 0) << "two still wait to run";
  gate.ran();
  EXPECT_EQ(opened, 1);
  gate.ran();
  EXPECT_EQ(opened, 1) << "only the crossing opens it";
  EXPECT_EQ(gate.waiting_to_run(), 0);
}

TEST(spawn_gate, a_user_that_runs_while_the_supervisor_blocks_is_never_lost) {
  // Many rounds of: spawn a batch, block, let other threads run the users.
  // Every round must end with exactly one wake-up, however the threads race.
  constexpr int rounds = 2000, batch = 8;
  spawn_gate gate{0};
  std::atomic<int> opened{0};
  gate.on_open = [&] { opened.fetch_add(1); };
  int expected = 0;
  for (int r = 0; r < rounds; ++r) {
    for (int i = 0; i < batch; ++i)
      gate.spawned();
    std::vector<std::thread> users;
    for (int i = 0; i < batch; ++i)
      users.emplace_back([&] { gate.ran(); });
    const bool open_now = gate.try_open();
    for (auto& u : users)
      u.join();
    expected += open_now ? 0 : 1;
    ASSERT_EQ(opened.load(), expected) << "round " << r;
  }
}
