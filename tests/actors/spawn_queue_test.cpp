#include "spawn_queue.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace std::chrono_literals;
using amoc::detail::spawn_queue;

namespace {

std::vector<std::uint64_t> pop(spawn_queue& q, spawn_queue::time_point now,
                               std::uint64_t max = 1000) {
  std::vector<std::uint64_t> ids;
  q.pop_due(now, max, [&](std::uint64_t id) { ids.push_back(id); });
  return ids;
}

const spawn_queue::time_point t0{1s};

}  // namespace

TEST(spawn_queue, spaces_ids_one_interarrival_apart) {
  spawn_queue q{10ms};
  q.push(amoc::id_range::between(1, 5), t0);
  EXPECT_EQ(pop(q, t0), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(*q.next_due(), t0 + 10ms);
  EXPECT_TRUE(pop(q, t0 + 9ms).empty());
  EXPECT_EQ(pop(q, t0 + 10ms), (std::vector<std::uint64_t>{2}));
  // A late tick catches up, so the average rate holds.
  EXPECT_EQ(pop(q, t0 + 35ms), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(pop(q, t0 + 100ms), (std::vector<std::uint64_t>{5}));
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.next_due());
}

TEST(spawn_queue, zero_interarrival_releases_everything_in_batches) {
  spawn_queue q;
  q.push(amoc::id_range::between(1, 10), t0);
  EXPECT_EQ(pop(q, t0, 4).size(), 4u);
  EXPECT_EQ(pop(q, t0, 4).size(), 4u);
  EXPECT_EQ(pop(q, t0, 4), (std::vector<std::uint64_t>{9, 10}));
}

TEST(spawn_queue, later_ranges_continue_the_pacing) {
  spawn_queue q{10ms};
  q.push(amoc::id_range::between(1, 2), t0);
  q.push(amoc::id_range::between(10, 11), t0 + 1ms);
  EXPECT_EQ(q.size(), 4u);
  EXPECT_EQ(pop(q, t0 + 30ms), (std::vector<std::uint64_t>{1, 2, 10, 11}));
  // After a pause the next id is due when it is pushed, not in the past.
  q.push(amoc::id_range::between(20, 20), t0 + 500ms);
  EXPECT_EQ(*q.next_due(), t0 + 500ms);
}

TEST(spawn_queue, drops_newest_ids_first) {
  spawn_queue q{10ms};
  q.push(amoc::id_range::between(1, 3), t0);
  q.push(amoc::id_range::between(7, 8), t0);
  EXPECT_EQ(q.drop_newest(3), 3u);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(pop(q, t0 + 1s), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(q.drop_newest(5), 0u);
}

TEST(spawn_queue, ignores_empty_ranges) {
  spawn_queue q;
  q.push(amoc::id_range::between(5, 4), t0);
  EXPECT_TRUE(q.empty());
}

TEST(spawn_queue, strided_ranges_yield_every_stride_th_id) {
  spawn_queue q;
  q.push({3, 4, 3}, t0);  // 3, 6, 9, 12: node 3 of 3
  EXPECT_EQ(q.size(), 4u);
  EXPECT_EQ(q.drop_newest(1), 1u);
  EXPECT_EQ(pop(q, t0, 10), (std::vector<std::uint64_t>{3, 6, 9}));
  EXPECT_TRUE(q.empty());
}
