#include "round_robin.hpp"

#include <gtest/gtest.h>

using namespace amoc::detail;
using amoc::id_range;

TEST(round_robin, shares_follow_the_original_order) {
  // 10 users over 3 nodes: 1,4,7,10 / 2,5,8 / 3,6,9.
  EXPECT_EQ(share_of(1, 10, 0, 3), (id_range{1, 4, 3}));
  EXPECT_EQ(share_of(1, 10, 1, 3), (id_range{2, 3, 3}));
  EXPECT_EQ(share_of(1, 10, 2, 3), (id_range{3, 3, 3}));
  // More nodes than users: the last ones get none.
  EXPECT_TRUE(share_of(5, 2, 2, 3).empty());
}

TEST(round_robin, newest_shares_walk_back_over_batches) {
  // do 1..10 on nodes {0,1}, then add 3 (11..13) on nodes {0,1,2}.
  std::vector<placement_batch> batches{{1, 10, {0, 1}}, {11, 3, {0, 1, 2}}};
  // Newest 4: 13 (node 2), 12 (node 1), 11 (node 0), 10 (node 1).
  auto shares = newest_shares(batches, 0, 4);
  EXPECT_EQ(shares[0], 1u);
  EXPECT_EQ(shares[1], 2u);
  EXPECT_EQ(shares[2], 1u);
  // Skipping those 4, the next 3: 9 (node 0), 8 (node 1), 7 (node 0).
  shares = newest_shares(batches, 4, 3);
  EXPECT_EQ(shares[0], 2u);
  EXPECT_EQ(shares[1], 1u);
  EXPECT_EQ(shares[2], 0u);
  // Asking for more than exist stops at the first id.
  shares = newest_shares(batches, 0, 100);
  EXPECT_EQ(shares[0] + shares[1] + shares[2], 13u);
}

TEST(round_robin, spread_shares_evenly_and_passes_on_what_a_node_cannot_take) {
  using v = std::vector<std::uint64_t>;
  EXPECT_EQ(spread(7, v{10, 10, 10}), (v{3, 2, 2}));
  // The first node holds only one user: the others take the rest.
  EXPECT_EQ(spread(7, v{1, 10, 10}), (v{1, 3, 3}));
  // More than all hold: everything, no more.
  EXPECT_EQ(spread(100, v{1, 4, 0}), (v{1, 4, 0}));
  EXPECT_EQ(spread(0, v{5, 5}), (v{0, 0}));
  EXPECT_TRUE(spread(3, v{}).empty());
}

TEST(round_robin, ports_must_be_numbers_in_range) {
  EXPECT_EQ(parse_port("127.0.0.1:4100"), 4100);
  EXPECT_EQ(parse_port("[::1]:80"), 80);
  EXPECT_FALSE(parse_port("127.0.0.1"));
  EXPECT_FALSE(parse_port("host:0"));
  EXPECT_FALSE(parse_port("host:65536"));
  EXPECT_FALSE(parse_port("host:12ab"));
  EXPECT_FALSE(parse_port(":80"));
}
