// A local node with a users file: the supervisor reads it before init(), its
// users read their rows (user::param), a short file stops the run before any
// user starts, and an add past the last row is refused.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "fixture.hpp"
#include "shipped_users.hpp"
#include "test_scenarios.hpp"

using namespace std::chrono_literals;
using namespace amoc;
using namespace amoc::test;

namespace {

namespace fs = std::filesystem;

struct users_file_test : node_test {
  users_file_test() {
    recorder::get().reset();
    store.set_text("interarrival", "0");
    store.set_text("repeat_num", "1");
  }
  ~users_file_test() override { fs::remove(path); }
  void write(const std::string& text) {
    std::ofstream{path, std::ios::binary} << text;
    store.set_text("users_file", path);
  }
  std::vector<std::string> params() {
    auto all = recorder::get().params;
    std::sort(all.begin(), all.end());
    return all;
  }
  std::string path =
    (fs::temp_directory_path() / ("amoc-users-" + std::to_string(getpid()) + ".csv")).string();
};

const char* accounts = "username,password,email\n"
                       "alice_1,\"pw,1\",a@x\n"
                       "bob_2,pw2,\n"
                       "carol_3,\"pw \"\"3\"\"\",c@x\n"
                       "dave_4,pw4,d@x\n";

TEST_F(users_file_test, users_read_their_own_rows_and_their_partners_username) {
  write(accounts);
  ASSERT_FALSE(start("t_params", 1, 4));
  advance(5ms);
  EXPECT_EQ(params(), (std::vector<std::string>{"1 alice_1 pw,1 bob_2 a@x", "2 bob_2 pw2 alice_1 ",
                                                "3 carol_3 pw \"3\" dave_4 c@x",
                                                "4 dave_4 pw4 carol_3 d@x"}));
  EXPECT_EQ(ended(amoc::exit::normal), 4u);
}

TEST_F(users_file_test, a_short_file_stops_the_run_before_init) {
  write(accounts);
  auto err = start("t_params", 1, 6);
  ASSERT_TRUE(err);
  EXPECT_EQ(err, make_error(ec::invalid_config));
  const auto text = render(err);
  EXPECT_NE(text.find("it has 4 rows, and users 1..6 need 6"), std::string::npos) << text;
  EXPECT_EQ(current().users.started, 0u);
}

TEST_F(users_file_test, an_add_past_the_last_row_is_refused_and_takes_no_ids) {
  write(accounts);
  store.set_text("repeat_num", "infinity");
  store.set_text("repeat_interval", "1h");
  ASSERT_FALSE(start("t_params", 1, 3));
  auto refused = call<caf::ok_atom>(node, atom::add_v, std::uint64_t{2});
  ASSERT_FALSE(refused);
  EXPECT_NE(render(refused.error()).find("users 4..5 need 5"), std::string::npos)
    << render(refused.error());
  ASSERT_TRUE(call<caf::ok_atom>(node, atom::add_v, std::uint64_t{1}));
  advance(5ms);
  EXPECT_EQ(current().users.started, 4u);
  EXPECT_EQ(current().next_id, 5u);
}

TEST_F(users_file_test, param_with_a_fallback_covers_a_column_the_file_lacks) {
  write("username,password\nu1,p1\nu2,p2\n");
  ASSERT_FALSE(start("t_params", 1, 2));
  advance(5ms);
  EXPECT_EQ(params().size(), 2u) << "param(name, fallback) falls back";
  EXPECT_EQ(params()[0], "1 u1 p1 u2 -");
}

TEST_F(users_file_test, without_a_users_file_param_is_an_error) {
  auto err = start("t_params", 1, 2);
  ASSERT_FALSE(err) << render(err);
  advance(5ms);
  EXPECT_TRUE(params().empty());
  EXPECT_EQ(ended(amoc::exit::scenario_error), 2u);
}

// A worker node's box: rows for the next run wait until its `run`, rows for
// an `add` join the current run's table.
TEST(shipped_users, rows_for_the_next_run_wait_for_it) {
  auto rows = [](amoc::id_range ids, std::vector<std::string> columns) {
    users::block b{"f.csv", {"username", "password"}, {ids.first, 0, ids.stride}, columns, {}, {}};
    for (std::uint64_t k = 0; k < ids.count; ++k) {
      const auto id = std::to_string(ids.first + k * ids.stride);
      if (columns.size() == 2)
        b.push_row({"u" + id, "p" + id});
      else
        b.push_row({"u" + id});
      ++b.ids.count;
    }
    return b;
  };
  detail::shipped_users box;
  box.receive(true, rows({1, 4, 1}, {"username"}));
  box.receive(true, rows({1, 2, 2}, {"username", "password"}));
  EXPECT_FALSE(box.current()) << "not before the run";
  box.begin_run();
  auto table = box.current();
  ASSERT_TRUE(table);
  EXPECT_EQ(table->field(3, "password"), "p3");
  EXPECT_EQ(table->field(4, "username"), "u4");
  EXPECT_FALSE(table->field(4, "password")) << "another node's user";
  EXPECT_EQ(box.take_news(), "rows of 2 users (1..3/2), usernames of 4");
  box.receive(false, rows({5, 1, 1}, {"username", "password"}));
  EXPECT_EQ(table->field(5, "password"), "p5") << "an add's rows join the running table";
  EXPECT_EQ(box.take_news(), "rows of 1 users (5..5), usernames of 0");
  EXPECT_EQ(box.take_news(), "");
  box.begin_run();
  EXPECT_FALSE(box.current()) << "a next run without rows has no users file";
}

}  // namespace
