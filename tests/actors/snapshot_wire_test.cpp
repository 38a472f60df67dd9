// Metrics snapshots between nodes: CAF serialization of amoc::metrics::snapshot.

#include <map>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <gtest/gtest.h>

#include "amoc/actors.hpp"
#include "amoc/snapshot_wire.hpp"

using namespace amoc;

// Metrics snapshots travel between nodes as a registered message type
// (amoc/snapshot_wire.hpp): what a node sends is what the master gets.
TEST(snapshot_wire, a_snapshot_survives_caf_serialization) {
  caf::actor_system_config cfg;
  add_message_types(cfg);
  caf::actor_system sys{cfg};
  metrics::snapshot sent;
  sent.counters["requests"] = 12;
  sent.gauges["users.running"] = -3;
  sent.histograms["latency"].record(1'500, 4);
  sent.histograms["latency"].record(4'000'000'000);
  sent.histograms["empty"];
  std::vector<char> bytes;
  caf::binary_serializer sink{sys, bytes};
  ASSERT_FALSE(sink(sent));
  metrics::snapshot received;
  caf::binary_deserializer source{sys, bytes};
  ASSERT_FALSE(source(received));
  EXPECT_EQ(received, sent);
}

// A peer cannot plant a histogram cell outside the histogram: the load fails.
TEST(snapshot_wire, a_cell_index_out_of_range_fails_the_load) {
  caf::actor_system_config cfg;
  add_message_types(cfg);
  caf::actor_system sys{cfg};
  // The wire form of a snapshot, written by hand: counters, gauges, and one
  // histogram as (cells, sum) with a cell past the last.
  std::map<std::string, std::uint64_t> counters;
  std::map<std::string, std::int64_t> gauges;
  using cells = std::vector<std::pair<std::uint32_t, std::uint64_t>>;
  std::map<std::string, std::pair<cells, std::uint64_t>> histograms{
    {"latency", {cells{{static_cast<std::uint32_t>(metrics::hdr_histogram::counts_size), 1}}, 7}}};
  std::vector<char> bytes;
  caf::binary_serializer sink{sys, bytes};
  ASSERT_FALSE(sink(counters, gauges, histograms));
  metrics::snapshot received;
  caf::binary_deserializer source{sys, bytes};
  EXPECT_TRUE(source(received));
}
