// A cluster-wide throttle with real `amoc node` processes: the master owns the
// throttle, each node lets its share through, and the shares are recomputed
// when a node dies, so the cluster's rate stays the one given.

#include <chrono>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "amoc/error.hpp"
#include "amoc/runtime.hpp"
#include "node_process.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using amoc::test::node_process;

class cluster_throttle : public ::testing::Test {
protected:
  cluster_throttle() {
    for (int i = 1; i <= 3; ++i)
      nodes.push_back(std::make_unique<node_process>("t" + std::to_string(i)));
    store.set_text("interarrival", "0");
    store.set_text("repeat_interval", "0");
    store.set_text("throttled_rate", "300");
    store.set_text("throttled_interval", "1s");
    amoc::runtime::options opts;
    opts.store = &store;
    opts.threads = 1;
    for (const auto& n : nodes)
      opts.nodes.push_back(n->address());
    opts.security.insecure = true;
    master = std::make_unique<amoc::runtime>(opts);
  }

  std::uint64_t actions() {
    auto snap = master->metrics_snapshot();
    EXPECT_TRUE(snap) << amoc::render(snap.error());
    if (!snap)
      return 0;
    auto it = snap->counters.find("throttled.actions");
    return it == snap->counters.end() ? 0 : it->second;
  }

  // Whether the master reports a node down within `limit`.
  bool node_seen_down(std::chrono::milliseconds limit) {
    const auto deadline = clock_type::now() + limit;
    for (;;) {
      if (auto st = master->status())
        for (const auto& n : st->nodes)
          if (!n.up)
            return true;
      if (clock_type::now() >= deadline)
        return false;
      std::this_thread::sleep_for(20ms);
    }
  }

  // Actions per second over the next `span`, all nodes together.
  double rate_over(std::chrono::milliseconds span) {
    const auto c0 = actions();
    const auto t0 = clock_type::now();
    std::this_thread::sleep_for(span);
    const auto c1 = actions();
    const auto elapsed = std::chrono::duration<double>(clock_type::now() - t0).count();
    return static_cast<double>(c1 - c0) / elapsed;
  }

  amoc::config::store store;
  std::vector<std::unique_ptr<node_process>> nodes;
  std::unique_ptr<amoc::runtime> master;
};

}  // namespace

TEST_F(cluster_throttle, the_rate_holds_across_nodes_and_after_one_dies) {
  auto st = master->await_nodes(10s);
  ASSERT_TRUE(st);
  ASSERT_FALSE(master->start("throttled", 1, 60));
  std::this_thread::sleep_for(1500ms);  // the master's definition reaches every node
  // The faults these catch are far off (no re-split after the loss: 200/s;
  // shares that miss a node: 100/s off). The margins are for the machine: a
  // node's tick makes up at most 50 ms of missed slots, so a longer stall in
  // a loaded test run loses actions (290.6/s, and 277.6/s with two nodes, in
  // local full runs).
  const auto three = rate_over(6s);
  EXPECT_NEAR(three, 300.0, 300.0 * 0.1) << "three nodes, 100/s each";

  nodes[2]->kill_hard();
  // Measured from a second after the master saw the node go and re-split
  // (how soon it sees that is tested elsewhere): a fixed 1.5 s was once too
  // short under the sanitizer suite's load (287/s, a re-split ~0.25 s late).
  ASSERT_TRUE(node_seen_down(5s)) << "the master did not see t3 go";
  std::this_thread::sleep_for(1s);
  const auto two = rate_over(4s);
  EXPECT_NEAR(two, 300.0, 300.0 * 0.1) << "two nodes, 150/s each";
  EXPECT_FALSE(master->stop(true));
}
