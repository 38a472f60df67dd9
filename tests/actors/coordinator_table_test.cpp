// The coordinator table without actors: groups, pairs, ranges, all, timeouts.

#include <gtest/gtest.h>

#include <any>
#include <string>
#include <vector>

#include "coordinator_table.hpp"

using namespace std::chrono_literals;
using namespace amoc;
using namespace amoc::coordinator;
using amoc::detail::coordinator_table;

namespace {

struct coordinator_table_test : ::testing::Test {
  using tp = coordinator_table::time_point;
  tp t0 = tp{} + 1h;
  coordinator_table table;
  std::vector<std::string> log;  // what the actions saw, in order

  coordinator_table::firing add(std::uint64_t id, tp now) {
    auto s = std::make_shared<coordinator::detail::slot>();
    s->who = member{id, std::any{}};
    auto fired = table.add("c", s, now);
    for (auto& call : fired.calls)
      call();
    return fired;
  }

  static std::vector<std::uint64_t> granted(const coordinator_table::firing& f) {
    std::vector<std::uint64_t> ids;
    for (const auto& [s, ev] : f.grants)
      ids.push_back(s->who.id);
    return ids;
  }

  action record_group(std::string tag) {
    return on_group([this, tag](event ev, std::vector<member>& ms) {
      std::string line = tag + " " + to_string(ev.type) + ":";
      for (auto& m : ms)
        line += " " + std::to_string(m.id);
      log.push_back(line);
    });
  }
};

}  // namespace

TEST_F(coordinator_table_test, sized_items_act_on_each_full_group) {
  plan p;
  p.push_back(item::of(2, record_group("two")));
  p.push_back(item::of(3, record_group("three")));
  table.start("c", std::move(p), 10s);
  for (std::uint64_t id = 1; id <= 6; ++id)
    add(id, t0);
  EXPECT_EQ(log, (std::vector<std::string>{"two coordinate: 1 2", "three coordinate: 1 2 3",
                                           "two coordinate: 3 4", "two coordinate: 5 6",
                                           "three coordinate: 4 5 6"}));
}

TEST_F(coordinator_table_test, a_user_is_released_once_every_sized_item_acted_on_it) {
  plan p;
  p.push_back(item::of(2, record_group("two")));
  p.push_back(item::of(3, record_group("three")));
  table.start("c", std::move(p), 10s);
  add(1, t0);
  EXPECT_TRUE(granted(add(2, t0)).empty()) << "paired, but its group of three is not full";
  EXPECT_EQ(granted(add(3, t0)), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(granted(add(4, t0)), (std::vector<std::uint64_t>{3}));
}

TEST_F(coordinator_table_test, pairs_are_distinct_and_a_lone_user_gets_nobody) {
  std::vector<std::string> pairs;
  auto pair_action = on_pair([&](event ev, member& a, member* b) {
    pairs.push_back(std::to_string(a.id) + "-" + (b ? std::to_string(b->id) : "none") + " "
                    + to_string(ev.type));
  });
  table.start("c", {item::of(3, pair_action)}, 10s);
  add(1, t0);
  add(2, t0);
  add(3, t0);
  add(4, t0);
  EXPECT_EQ(pairs,
            (std::vector<std::string>{"1-2 coordinate", "1-3 coordinate", "2-3 coordinate"}));
  auto fired = table.fire("c", event_type::timeout);
  for (auto& call : fired.calls)
    call();
  EXPECT_EQ(pairs.back(), "4-none timeout") << "the unfinished group acts with what it has";
  EXPECT_EQ(granted(fired), (std::vector<std::uint64_t>{4}));
}

TEST_F(coordinator_table_test, all_items_act_on_timeout_reset_and_stop) {
  plan p;
  p.push_back(item::of(2, record_group("two")));
  p.push_back(item::all(record_group("all")));
  table.start("c", std::move(p), 5s);
  add(1, t0);
  add(2, t0);
  add(3, t0 + 1s);
  EXPECT_EQ(*table.deadline("c"), t0 + 6s) << "the timeout counts from the last add";
  auto run = [&](event_type type) {
    auto fired = table.fire("c", type);
    for (auto& call : fired.calls)
      call();
  };
  run(event_type::timeout);
  EXPECT_EQ(
    log, (std::vector<std::string>{"two coordinate: 1 2", "two timeout: 3", "all timeout: 1 2 3"}));
  EXPECT_FALSE(table.deadline("c")) << "nobody is waiting after a timeout";
  add(4, t0 + 10s);
  run(event_type::reset);
  EXPECT_EQ(log.back(), "all reset: 4");
  EXPECT_TRUE(table.contains("c"));
  run(event_type::stop);
  EXPECT_FALSE(table.contains("c"));
}

TEST_F(coordinator_table_test, range_items_draw_group_sizes_within_the_range) {
  table.start("c", {item::range(2, 4, {record_group("r")})}, 10s);
  for (std::uint64_t id = 1; id <= 40; ++id)
    add(id, t0);
  ASSERT_FALSE(log.empty());
  for (const auto& line : log) {
    const auto members = std::count(line.begin(), line.end(), ' ') - 1;
    EXPECT_GE(members, 2) << line;
    EXPECT_LE(members, 4) << line;
  }
}

TEST_F(coordinator_table_test, bad_plans_are_refused_naming_the_item) {
  EXPECT_THROW(table.start("c", {}, 1s), std::invalid_argument);
  try {
    table.start(
      "c", {item::of(2, record_group("x")), item::all(on_pair([](event, member&, member*) {}))},
      1s);
    FAIL() << "a pair action on `all` must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string{e.what()}.find("plan item 2"), std::string::npos) << e.what();
  }
  table.start("c", {item::of(2, record_group("x"))}, 1s);
  EXPECT_THROW(table.start("c", {item::of(2, record_group("x"))}, 1s), std::invalid_argument);
  EXPECT_THROW(table.add("nope", std::make_shared<coordinator::detail::slot>(), t0),
               std::invalid_argument);
}
