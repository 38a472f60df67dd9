#include "amoc/config_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "amoc/did_you_mean.hpp"
#include "amoc/error.hpp"

using namespace std::chrono_literals;
namespace config = amoc::config;
namespace fs = std::filesystem;

namespace {

// A scratch directory per test, removed afterwards.
class config_file : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path()
           / ("amoc_config_file_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) {
    const auto path = (dir_ / name).string();
    std::ofstream{path} << content;
    return path;
  }

  std::string path_of(const std::string& name) const { return (dir_ / name).string(); }
  std::string dir() const { return dir_.string(); }

private:
  fs::path dir_;
};

bool is_ec(const caf::error& err, amoc::ec code) {
  return err.category() == amoc::ec_category && err.code() == static_cast<std::uint8_t>(code);
}

}  // namespace

TEST_F(config_file, loads_an_object_as_file_values) {
  const auto path = write("good.json", R"({"interarrival": "20ms", "repeat_num": 3,
                                           "hosts": ["a", "b"]})");
  config::store s;
  s.set("repeat_num", 5);
  EXPECT_FALSE(config::load_file(s, path));
  EXPECT_EQ(s.get<amoc::duration>("interarrival"), amoc::duration{20ms});
  EXPECT_EQ(s.get<std::vector<std::string>>("hosts"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.get<int>("repeat_num"), 5);  // run-time values still win
  s.unset("repeat_num");
  config::source from{};
  EXPECT_EQ(s.lookup("repeat_num", &from), nlohmann::json(3));
  EXPECT_EQ(from, config::source::file);
}

TEST_F(config_file, a_new_file_replaces_the_old_values) {
  config::store s;
  ASSERT_FALSE(config::load_file(s, write("first.json", R"({"a": 1, "b": 2})")));
  ASSERT_FALSE(config::load_file(s, write("second.json", R"({"a": 3})")));
  EXPECT_EQ(s.get<int>("a"), 3);
  EXPECT_EQ(s.lookup("b"), std::nullopt);
}

TEST_F(config_file, missing_file_is_an_error) {
  config::store s;
  const auto path = path_of("absent.json");
  auto err = config::load_file(s, path);
  EXPECT_TRUE(is_ec(err, amoc::ec::bad_config_file));
  EXPECT_EQ(amoc::context_of(err), path + ": cannot open: No such file or directory");
}

TEST_F(config_file, directory_is_an_error) {
  config::store s;
  auto err = config::load_file(s, dir());
  EXPECT_TRUE(is_ec(err, amoc::ec::bad_config_file));
  EXPECT_EQ(amoc::context_of(err), dir() + ": cannot open: Is a directory");
}

TEST_F(config_file, malformed_json_reports_line_and_column) {
  config::store s;
  const auto path = write("bad.json", "{\n  \"a\": 1,\n  \"b\": tru\n}\n");
  auto err = config::load_file(s, path);
  EXPECT_TRUE(is_ec(err, amoc::ec::bad_config_file));
  const auto context = amoc::context_of(err);
  EXPECT_EQ(context.rfind(path + ": parse error at line 3, column 11: ", 0), 0u) << context;
  EXPECT_NE(context.find("invalid literal"), std::string::npos) << context;
  EXPECT_EQ(s.lookup("a"), std::nullopt);
}

TEST_F(config_file, truncated_json_reports_end_position) {
  config::store s;
  auto err = config::load_file(s, write("short.json", "{\"a\": 1,\n"));
  EXPECT_NE(amoc::context_of(err).find("parse error at line 2, column 1: "), std::string::npos)
    << amoc::context_of(err);
}

TEST_F(config_file, top_level_must_be_an_object) {
  config::store s;
  const auto path = write("array.json", "[1, 2]");
  auto err = config::load_file(s, path);
  EXPECT_TRUE(is_ec(err, amoc::ec::bad_config_file));
  EXPECT_EQ(amoc::context_of(err), path + ": top level must be a JSON object");
}

TEST_F(config_file, check_joins_all_problems) {
  config::store s;
  ASSERT_FALSE(config::load_file(s, write("vals.json", R"({"c_num": "abc", "c_mode": "x"})")));
  const std::vector<config::variable> vars{
    {"c_num", "iterations", "1", config::type::count, config::rules::positive()},
    {"c_mode", "mode", "a", config::type::string, config::rules::one_of({"a", "b"})},
    {"c_fine", "fine", "1s", config::type::duration, config::rules::positive()},
  };
  auto err = config::check(s, vars);
  EXPECT_TRUE(is_ec(err, amoc::ec::invalid_config));
  EXPECT_EQ(amoc::context_of(err), "c_num: value \"abc\" is not a count (an integer or infinity); "
                                   "c_mode: value \"x\" breaks rule: one of [a, b]");
  s.set("c_num", 2);
  s.set("c_mode", "b");
  EXPECT_FALSE(config::check(s, vars));
}

TEST(setting_names, unknown_keys_are_named_with_the_closest_known_one) {
  const std::vector<std::string> known{"dummy_sleep", "interarrival", "repeat_num"};
  EXPECT_TRUE(config::unknown_settings(nlohmann::json{{"dummy_sleep", 1}}, known).empty());
  const auto unknown = config::unknown_settings(
    nlohmann::json{{"dumy_sleep", 1}, {"interarival", 0}, {"colour", "red"}}, known);
  EXPECT_EQ(unknown, (std::vector<std::string>{
                       "unknown setting `colour`",
                       "unknown setting `dumy_sleep` (did you mean `dummy_sleep`?)",
                       "unknown setting `interarival` (did you mean `interarrival`?)"}));
}

TEST(setting_names, environment_variables_that_name_no_setting_are_warned_about) {
  const std::vector<std::string> known{"dummy_sleep", "interarrival", "repeat_num"};
  const auto warnings = config::unknown_environment_settings(
    {"AMOC_dummy_sleep=1", "AMOC_REPEAT_NUM=2", "AMOC_dumy_sleep=1", "AMOC_INTERARIVAL=0",
     "AMOC_colour=red", "AMOC_PLUGIN_DIR=/x", "HOME=/root", "AMOC_=x"},
    known);
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
              "AMOC_dumy_sleep: no setting has this name (did you mean `AMOC_dummy_sleep`?)",
              "AMOC_INTERARIVAL: no setting has this name (did you mean `AMOC_interarrival`?)",
              "AMOC_colour: no setting has this name"}))
    << "AMOC_PLUGIN_DIR: capitals and far from every setting, so not meant as one";
}

TEST(setting_names, closest_name_suggests_only_likely_typos) {
  EXPECT_EQ(amoc::edit_distance("stauts", "status"), 2u);
  EXPECT_EQ(amoc::edit_distance("", "abc"), 3u);
  const std::vector<std::string> names{"metrics_interval", "interarrival"};
  EXPECT_EQ(amoc::closest_name("interval", names), std::nullopt) << "8 edits away";
  EXPECT_EQ(amoc::closest_name("metric_interval", names), "metrics_interval");
  EXPECT_EQ(amoc::closest_name("x", {}), std::nullopt);
}
