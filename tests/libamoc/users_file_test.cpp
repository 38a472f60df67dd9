// Users files: loading and checking (header, short file, repeated usernames,
// malformed quoting with its line), the rows kept, blocks split for shipping,
// and the table a node's users read.

#include "amoc/users_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "amoc/config.hpp"
#include "amoc/error.hpp"
#include "amoc/user.hpp"
#include "detached_user.hpp"

namespace {

namespace fs = std::filesystem;
namespace users = amoc::users;

class users_file : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("amoc-users-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& text) {
    const auto path = (dir_ / "users.csv").string();
    std::ofstream{path, std::ios::binary} << text;
    return path;
  }
  // The error text of loading `text`, "" when it loads.
  std::string problem_of(const std::string& text, std::uint64_t keep_from = 1) {
    auto f = users::load(write(text), keep_from);
    return f ? "" : amoc::render(f.error());
  }
  fs::path dir_;
};

#define EXPECT_MENTIONS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST_F(users_file, loads_rows_with_quoting_and_crlf) {
  auto f = users::load(write("username,password,email\r\n"
                             "alice,\"p,1\",a@x\r\n"
                             "bob,\"say \"\"hi\"\"\",\"b\r\n@x\"\r\n"),
                       1);
  ASSERT_TRUE(f) << amoc::render(f.error());
  EXPECT_EQ(f->rows, 2u);
  EXPECT_EQ(f->header, (std::vector<std::string>{"username", "password", "email"}));
  const auto& b = f->kept;
  EXPECT_EQ(b.ids, (amoc::id_range{1, 2, 1}));
  EXPECT_EQ(b.field(0, 1), "p,1");
  EXPECT_EQ(b.field(1, 1), "say \"hi\"");
  EXPECT_EQ(b.field(1, 2), "b\r\n@x");
}

TEST_F(users_file, keeps_rows_from_the_first_id_on) {
  auto f = users::load(write("username,password\nu1,p1\nu2,p2\nu3,p3\n"), 2);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->rows, 3u);
  EXPECT_EQ(f->kept.ids, (amoc::id_range{2, 2, 1}));
  EXPECT_EQ(f->kept.field(0, 0), "u2");
  auto none = users::load(write("username,password\nu1,p1\n"), 5);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->kept.rows(), 0u);
}

TEST_F(users_file, a_missing_file_is_named) {
  auto f = users::load((dir_ / "nope.csv").string(), 1);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error(), amoc::make_error(amoc::ec::invalid_config));
  const auto text = amoc::render(f.error());
  EXPECT_MENTIONS(text, "users_file");
  EXPECT_MENTIONS(text, "nope.csv: cannot open: No such file or directory");
}

TEST_F(users_file, a_directory_is_refused) {
  EXPECT_MENTIONS(amoc::render(users::load(dir_.string(), 1).error()), "Is a directory");
}

TEST_F(users_file, the_header_needs_username_and_password) {
  EXPECT_MENTIONS(problem_of("user,password\na,b\n"), "no column `username`");
  const auto text = problem_of("username,pass\na,b\n");
  EXPECT_MENTIONS(text, "no column `password`");
  EXPECT_MENTIONS(text, "this one has: username, pass");
  EXPECT_MENTIONS(problem_of("username,password,username\na,b,c\n"), "column `username` twice");
}

TEST_F(users_file, a_byte_order_mark_is_skipped) {
  auto f = users::load(write("\xEF\xBB\xBFusername,password\na,1\n"), 1);
  ASSERT_TRUE(f) << amoc::render(f.error());
  EXPECT_EQ(f->header[0], "username");
}

TEST_F(users_file, an_empty_file_or_one_without_rows_is_refused) {
  EXPECT_MENTIONS(problem_of(""), "it is empty");
  EXPECT_MENTIONS(problem_of("username,password\n"), "no rows");
}

TEST_F(users_file, a_row_with_the_wrong_field_count_names_its_line_and_row) {
  EXPECT_MENTIONS(problem_of("username,password\na,1\nb,2,3\n"),
                  "line 3 (row 2) has 3 fields, the header 2");
}

TEST_F(users_file, malformed_quoting_names_the_line) {
  EXPECT_MENTIONS(problem_of("username,password\na,1\nb,\"2\nc,3\n"),
                  "line 3: a quoted field opened on line 3 is never closed");
  EXPECT_MENTIONS(problem_of("username,password\na,1\nb,2\"x\n"), "line 3: a quote inside");
}

TEST_F(users_file, repeated_usernames_name_their_rows) {
  const auto text = problem_of("username,password\nalice,1\nbob,2\nalice,3\ncarol,4\nbob,5\n");
  EXPECT_MENTIONS(text, "usernames repeat");
  EXPECT_MENTIONS(text, "`alice` in rows 1 and 3");
  EXPECT_MENTIONS(text, "`bob` in rows 2 and 5");
}

TEST_F(users_file, repeats_before_the_kept_rows_count_too) {
  EXPECT_MENTIONS(problem_of("username,password\nalice,1\nbob,2\nalice,3\n", 3),
                  "`alice` in rows 1 and 3");
}

TEST_F(users_file, an_empty_username_is_refused) {
  EXPECT_MENTIONS(problem_of("username,password\na,1\n,2\n"),
                  "line 3 (row 2) has an empty username");
}

TEST_F(users_file, blank_lines_only_at_the_end) {
  EXPECT_EQ(problem_of("username,password\na,1\n\n\n"), "");
  EXPECT_MENTIONS(problem_of("username,password\na,1\n\nb,2\n"), "line 3 is empty");
}

TEST_F(users_file, a_short_file_says_how_many_users_and_rows) {
  EXPECT_FALSE(users::check_covers("f.csv", 10, 1, 10));
  const auto text = amoc::render(users::check_covers("f.csv", 10, 1, 12));
  EXPECT_MENTIONS(text, "it has 10 rows, and users 1..12 need 12");
  EXPECT_MENTIONS(amoc::render(users::check_covers("f.csv", 10, 5, 11)), "users 5..11 need 11");
}

TEST_F(users_file, split_ships_a_share_in_blocks_of_bounded_size) {
  std::string text = "username,password,extra\n";
  for (int i = 1; i <= 100; ++i)
    text += "user" + std::to_string(i) + ",pw" + std::to_string(i) + ",x\n";
  auto f = users::load(write(text), 1);
  ASSERT_TRUE(f);
  std::vector<users::block> parts;
  // Node 2 of 3 of ids 1..100: 2, 5, 8, ...
  users::split(f->kept, {2, 33, 3}, f->header, 64, [&](users::block b) { parts.push_back(b); });
  ASSERT_GT(parts.size(), 1u) << "64 bytes hold a few rows only";
  std::uint64_t rows = 0;
  for (const auto& b : parts) {
    EXPECT_LE(b.text.size(), 64u + 20u);
    EXPECT_EQ(b.ids.stride, 3u);
    rows += b.ids.count;
  }
  EXPECT_EQ(rows, 33u);
  users::table t{f->path, f->header};
  for (auto& b : parts)
    t.add(std::move(b));
  EXPECT_EQ(t.field(2, "password"), "pw2");
  EXPECT_EQ(t.field(98, "username"), "user98");
  EXPECT_FALSE(t.field(3, "username")) << "another node's user";
  EXPECT_FALSE(t.field(101, "username"));
}

TEST_F(users_file, a_table_of_own_rows_and_everyones_usernames) {
  auto f = users::load(write("username,password\na,1\nb,2\nc,3\nd,4\n"), 1);
  ASSERT_TRUE(f);
  users::table t{f->path, f->header};
  users::split(f->kept, f->kept.ids, {"username"}, 1 << 20, [&](users::block b) { t.add(b); });
  users::split(f->kept, {1, 2, 2}, f->header, 1 << 20, [&](users::block b) { t.add(b); });
  EXPECT_EQ(t.field(3, "password"), "3");
  EXPECT_EQ(t.field(4, "username"), "d") << "another node's user's username";
  EXPECT_FALSE(t.field(4, "password")) << "only own users' other columns";
  EXPECT_TRUE(t.has_column("password"));
  EXPECT_FALSE(t.has_column("email"));
  EXPECT_EQ(t.columns_text(), "username, password");
}

TEST_F(users_file, a_block_survives_its_wire_form_fields) {
  users::block b{"f.csv", {"username", "password"}, {1, 0, 1}, {"username", "password"}, {}, {}};
  b.push_row({"alice", "secret"});
  ++b.ids.count;
  b.push_row({"", "x"});
  ++b.ids.count;
  EXPECT_EQ(b.rows(), 2u);
  EXPECT_EQ(b.field(0, 1), "secret");
  EXPECT_EQ(b.field(1, 0), "");
  EXPECT_EQ(b.index_of(2), 1u);
  EXPECT_FALSE(b.index_of(3));
}

std::string what_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const amoc::config::error& e) {
    return e.what();
  }
  return "no error";
}

TEST_F(users_file, user_param_reads_the_row_or_names_the_column_and_file) {
  auto f = users::load(write("username,password\nalice,pa\nbob,pb\n"), 1);
  ASSERT_TRUE(f);
  users::table t{"accounts.csv", f->header};
  t.add(f->kept);
  const amoc::config::store settings;
  detached_user bob{2, settings, &t};
  EXPECT_TRUE(bob.has_users_file());
  EXPECT_EQ(bob.param("password"), "pb");
  EXPECT_EQ(bob.username_of(1), "alice");
  EXPECT_EQ(bob.param("email", "none"), "none");
  const auto missing = what_of([&] {
    (void)bob.param("email"); });
  EXPECT_MENTIONS(missing, "accounts.csv has no column `email` (its columns: username, password)");
  EXPECT_MENTIONS(what_of([&] {
    (void)bob.username_of(7); }), "no row for user 7");
  detached_user nobody{1, settings};
  EXPECT_FALSE(nobody.has_users_file());
  EXPECT_MENTIONS(what_of([&] {
    (void)nobody.param("password"); }), "no users_file is set");
  EXPECT_EQ(nobody.param("password", "x"), "x");
}

}  // namespace
