#include "amoc/json_input.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;
using amoc::ec;
namespace input = amoc::input;

class json_input : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("amoc-input-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path_of(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST_F(json_input, reads_a_regular_file_whole) {
  std::ofstream{path_of("a.json")} << R"({"a": 1})";
  auto text = input::read_file(path_of("a.json"), ec::bad_run_file);
  ASSERT_TRUE(text) << amoc::render(text.error());
  EXPECT_EQ(*text, R"({"a": 1})");
}

TEST_F(json_input, read_chunks_streams_a_file_within_its_own_limit) {
  std::ofstream{path_of("rows.csv")} << std::string(100000, 'x');
  std::string seen;
  auto err = input::read_chunks(path_of("rows.csv"), ec::invalid_config, 200000, "a users file",
                                [&](std::string_view bytes) {
                                  seen.append(bytes);
                                  return true;
                                });
  ASSERT_FALSE(err) << amoc::render(err);
  EXPECT_EQ(seen.size(), 100000u);
  err = input::read_chunks(path_of("rows.csv"), ec::invalid_config, 50000, "a users file",
                           [](std::string_view) { return true; });
  ASSERT_TRUE(err);
  EXPECT_NE(amoc::render(err).find("100000 bytes, more than the 50000 bytes a users file may have"),
            std::string::npos)
    << amoc::render(err);
  err = input::read_chunks(path_of("."), ec::invalid_config, 1 << 20, "a users file",
                           [](std::string_view) { return true; });
  EXPECT_NE(amoc::render(err).find("Is a directory"), std::string::npos) << amoc::render(err);
}

TEST_F(json_input, names_what_is_not_a_regular_file) {
  const auto socket_path = path_of("socket");
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  socket_path.copy(addr.sun_path, sizeof addr.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto sock = input::read_file(socket_path, ec::bad_run_file);
  ::close(fd);
  ASSERT_FALSE(sock);
  EXPECT_EQ(amoc::context_of(sock.error()),
            socket_path + ": cannot open: No such device or address");
  auto device = input::read_file("/dev/zero", ec::bad_config_file);
  ASSERT_FALSE(device);
  EXPECT_EQ(device.error().code(), static_cast<std::uint8_t>(ec::bad_config_file));
  EXPECT_EQ(amoc::context_of(device.error()), "/dev/zero: cannot read: it is a device");
  auto folder = input::read_file(dir_.string(), ec::bad_run_file);
  EXPECT_EQ(amoc::context_of(folder.error()), dir_.string() + ": cannot open: Is a directory");
}

// A FIFO could block or never end: refused before a byte is read.
TEST_F(json_input, refuses_a_fifo_without_waiting_for_a_writer) {
  const auto fifo = path_of("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto refused = input::read_file(fifo, ec::bad_run_file);
  ASSERT_FALSE(refused);
  EXPECT_EQ(amoc::context_of(refused.error()), fifo + ": cannot read: it is a FIFO");
}

TEST_F(json_input, gives_the_reason_a_file_cannot_be_opened) {
  fs::create_symlink(path_of("loop"), path_of("loop"));
  auto loop = input::read_file(path_of("loop"), ec::bad_run_file);
  ASSERT_FALSE(loop);
  EXPECT_EQ(amoc::context_of(loop.error()),
            path_of("loop") + ": cannot open: Too many levels of symbolic links");
}

TEST_F(json_input, refuses_a_file_over_the_cap) {
  std::ofstream{path_of("big")} << std::string(input::max_file_bytes + 1, ' ');
  auto big = input::read_file(path_of("big"), ec::bad_run_file);
  ASSERT_FALSE(big);
  EXPECT_NE(amoc::context_of(big.error()).find("more than the 16 MiB"), std::string::npos)
    << amoc::context_of(big.error());
}

TEST(json_depth, counts_nesting_outside_strings) {
  EXPECT_EQ(input::json_depth("1"), 0u);
  EXPECT_EQ(input::json_depth(R"({"a": [1, {"b": 2}]})"), 3u);
  EXPECT_EQ(input::json_depth(R"(["[[[\"{{"])"), 1u);
  EXPECT_EQ(input::json_depth(nested(100'000)), 100'000u);
}

TEST(parse_json, refuses_documents_nested_past_the_limit) {
  EXPECT_TRUE(input::parse_json(nested(input::max_json_depth), ec::invalid_argument));
  auto deep = input::parse_json(nested(50'000), ec::invalid_argument);
  ASSERT_FALSE(deep);
  EXPECT_EQ(amoc::context_of(deep.error()),
            "JSON nested 50000 levels deep, more than the 64 amoc accepts");
}

TEST(parse_json, gives_line_and_column_of_a_syntax_error) {
  auto bad = input::parse_json("{\n  \"a\": tru\n}", ec::invalid_argument);
  ASSERT_FALSE(bad);
  EXPECT_EQ(amoc::context_of(bad.error()).rfind("parse error at line 2, column 11: ", 0), 0u)
    << amoc::context_of(bad.error());
}

}  // namespace
