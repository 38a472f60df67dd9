#include "end_log.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using amoc::exit;
using amoc::detail::end_log;

TEST(end_log, only_the_append_that_finds_it_empty_wakes_the_reader) {
  end_log log;
  int woken = 0;
  log.on_first = [&] { ++woken; };
  log.append(7, exit::normal);
  log.append(8, exit::forced_stop);
  EXPECT_EQ(woken, 1) << "the second end waits for the same take";
  std::vector<end_log::entry> taken;
  log.take(taken);
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].aid, 7u);
  EXPECT_EQ(taken[0].reason, exit::normal);
  EXPECT_EQ(taken[1].aid, 8u);
  EXPECT_EQ(taken[1].reason, exit::forced_stop);
  log.append(9, exit::scenario_error);
  EXPECT_EQ(woken, 2) << "an end after the take wakes the reader again";
  log.take(taken);
  ASSERT_EQ(taken.size(), 1u) << "the buffer is cleared first";
  EXPECT_EQ(taken[0].aid, 9u);
}

TEST(end_log, no_end_is_lost_while_users_end_and_the_reader_takes) {
  // Four threads end users while the reader takes whenever it was woken:
  // every end is taken once, and every wake-up finds something to take.
  constexpr int writers = 4, per_writer = 20000;
  end_log log;
  std::atomic<int> wakes{0};
  log.on_first = [&] { wakes.fetch_add(1); };
  std::vector<std::thread> users;
  for (int w = 0; w < writers; ++w)
    users.emplace_back([&, w] {
      for (int i = 0; i < per_writer; ++i)
        log.append(static_cast<caf::actor_id>(w * per_writer + i), exit::forced_stop);
    });
  std::vector<bool> seen(writers * per_writer, false);
  std::vector<end_log::entry> taken;
  int total = 0, takes = 0;
  while (total < writers * per_writer) {
    if (takes == wakes.load()) {
      std::this_thread::yield();
      continue;
    }
    ++takes;
    log.take(taken);
    ASSERT_FALSE(taken.empty()) << "a wake-up with nothing to take";
    for (const auto& e : taken) {
      ASSERT_FALSE(seen[e.aid]) << "user " << e.aid << " taken twice";
      seen[e.aid] = true;
    }
    total += static_cast<int>(taken.size());
  }
  for (auto& u : users)
    u.join();
  log.take(taken);
  EXPECT_TRUE(taken.empty());
  EXPECT_EQ(wakes.load(), takes) << "every wake-up was answered by one take";
}
