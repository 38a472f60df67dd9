// Config: conversions, rules, precedence and errors; over 400 lines because
// every value type and source gets its own cases.

#include "amoc/config.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

using namespace std::chrono_literals;
using amoc::count;
using amoc::duration;
namespace config = amoc::config;
using config::json;
using strings = std::vector<std::string>;

namespace {

// Sets an environment variable for the lifetime of the guard.
class env_guard {
public:
  env_guard(std::string name, const std::string& value) : name_(std::move(name)) {
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~env_guard() { ::unsetenv(name_.c_str()); }
  env_guard(const env_guard&) = delete;
  env_guard& operator=(const env_guard&) = delete;

private:
  std::string name_;
};

// The message of the config::error thrown by `f`, checking that it names `key`.
template <class F>
std::string error_of(F f, const std::string& key) {
  try {
    f();
  } catch (const config::error& e) {
    EXPECT_EQ(e.key(), key);
    return e.what();
  }
  ADD_FAILURE() << "no config::error for " << key;
  return {};
}

config::variable var(std::string name, std::string default_text, config::type t,
                     std::optional<config::rule> check = std::nullopt) {
  auto description = "what " + name + " means";
  return {std::move(name), std::move(description), std::move(default_text), t, std::move(check)};
}

}  // namespace

TEST(config, precedence_env_runtime_file_fallback_declared) {
  const std::string key = "cfgt_precedence";
  config::store s;
  config::source from{};
  s.declare({var(key, "1", config::type::integer)});
  EXPECT_EQ(s.get<int>(key), 1);
  EXPECT_EQ(s.get<int>(key, 7), 7);  // the fallback beats the declared default
  EXPECT_EQ(s.lookup(key, &from), json("1"));
  EXPECT_EQ(from, config::source::declared);

  s.set_file_values({{key, 2}});
  EXPECT_EQ(s.get<int>(key), 2);
  EXPECT_EQ(s.get<int>(key, 7), 2);
  EXPECT_EQ(s.lookup(key, &from), json(2));
  EXPECT_EQ(from, config::source::file);

  s.set(key, 3);
  EXPECT_EQ(s.get<int>(key, 7), 3);
  EXPECT_EQ(s.lookup(key, &from), json(3));
  EXPECT_EQ(from, config::source::runtime);

  {
    env_guard env{"AMOC_" + key, "4"};
    EXPECT_EQ(s.get<int>(key, 7), 4);
    EXPECT_EQ(s.lookup(key, &from), json("4"));
    EXPECT_EQ(from, config::source::environment);
  }
  EXPECT_EQ(s.get<int>(key), 3);
  s.unset(key);
  EXPECT_EQ(s.get<int>(key), 2);
  s.set_file_values(json::object());
  EXPECT_EQ(s.get<int>(key), 1);
}

TEST(config, fallback_applies_only_without_value) {
  config::store s;
  EXPECT_EQ(s.get<std::string>("cfgt_fallback", "dflt"), "dflt");
  EXPECT_EQ(s.get<duration>("cfgt_fallback", 5s), duration{5s});
  s.set_text("cfgt_fallback", "20ms");
  EXPECT_EQ(s.get<duration>("cfgt_fallback", 5s), duration{20ms});
  s.set_text("cfgt_fallback", "soon");
  EXPECT_THROW((void)s.get<duration>("cfgt_fallback", 5s), config::error);
}

TEST(config, reads_both_env_spellings) {
  config::store s;
  {
    env_guard lower{"AMOC_cfgt_spelling", "exact"};
    EXPECT_EQ(s.get<std::string>("cfgt_spelling"), "exact");
    env_guard upper{"AMOC_CFGT_SPELLING", "upper"};
    EXPECT_EQ(s.get<std::string>("cfgt_spelling"), "exact");  // the exact spelling wins
  }
  env_guard upper{"AMOC_CFGT_SPELLING", "upper"};
  EXPECT_EQ(s.get<std::string>("cfgt_spelling"), "upper");
}

TEST(config, reads_environment_at_every_lookup) {
  config::store s;
  EXPECT_EQ(s.lookup("cfgt_env_live"), std::nullopt);
  {
    env_guard env{"AMOC_cfgt_env_live", "1"};
    EXPECT_EQ(s.get<int>("cfgt_env_live"), 1);
    ::setenv("AMOC_cfgt_env_live", "2", 1);
    EXPECT_EQ(s.get<int>("cfgt_env_live"), 2);
  }
  EXPECT_EQ(s.lookup("cfgt_env_live"), std::nullopt);
}

TEST(config, stamp_changes_with_every_source_a_lookup_reads) {
  config::store s;
  config::store other;
  auto stamp = s.current_stamp();
  EXPECT_EQ(s.current_stamp(), stamp);  // nothing changed
  EXPECT_NE(other.current_stamp(), stamp);
  (void)s.get<int>("cfgt_stamp", 1);  // reading changes nothing
  EXPECT_EQ(s.current_stamp(), stamp);
  auto changed = [&](auto change) {
    change();
    const auto now = s.current_stamp();
    const bool differs = now != stamp;
    stamp = now;
    return differs;
  };
  EXPECT_TRUE(changed([&] { s.set("cfgt_stamp", 2); }));
  EXPECT_TRUE(changed([&] { s.set("cfgt_stamp", 2); }));  // even to the same value
  EXPECT_TRUE(changed([&] { s.unset("cfgt_stamp"); }));
  EXPECT_TRUE(changed([&] { s.set_file_values(json{{"cfgt_stamp", 3}}); }));
  EXPECT_TRUE(changed([&] { s.declare({var("cfgt_stamp", "4", config::type::integer)}); }));
  EXPECT_TRUE(changed([] { ::setenv("AMOC_cfgt_stamp", "5", 1); }));
  EXPECT_TRUE(changed([] { ::setenv("AMOC_cfgt_stamp", "6", 1); }));
  EXPECT_TRUE(changed([] { ::unsetenv("AMOC_cfgt_stamp"); }));
  EXPECT_FALSE(changed([] {}));
}

TEST(config, missing_key_error_names_the_key) {
  config::store s;
  config::source from = config::source::runtime;
  EXPECT_EQ(s.lookup("cfgt_missing", &from), std::nullopt);
  EXPECT_EQ(from, config::source::missing);
  auto what = error_of([&] { (void)s.get<int>("cfgt_missing"); }, "cfgt_missing");
  EXPECT_EQ(what, "config key 'cfgt_missing': missing: no value in AMOC_cfgt_missing, "
                  "run-time settings, config file, and no default");
}

TEST(config, empty_declared_default_means_no_default) {
  config::store s;
  s.declare({var("cfgt_no_default", "", config::type::string)});
  EXPECT_EQ(s.lookup("cfgt_no_default"), std::nullopt);
  EXPECT_THROW((void)s.get<std::string>("cfgt_no_default"), config::error);
  ASSERT_TRUE(s.declared("cfgt_no_default"));
  EXPECT_EQ(s.declared("cfgt_no_default")->description, "what cfgt_no_default means");
  EXPECT_EQ(s.declared("cfgt_undeclared"), std::nullopt);
}

TEST(config, converts_json_values) {
  config::store s;
  s.set_file_values({{"b", true},
                     {"b1", 1},
                     {"i", -42},
                     {"u", 18446744073709551615ull},
                     {"d", 2.5},
                     {"d_int", 3},
                     {"str", "text"},
                     {"str_num", 12},
                     {"str_bool", false},
                     {"dur_ms", 1500},
                     {"dur_frac", 1.5},
                     {"cnt", 5},
                     {"cnt_inf", "infinity"},
                     {"list", {"a", 1, true}},
                     {"obj", {{"x", 1}}}});
  EXPECT_TRUE(s.get<bool>("b"));
  EXPECT_TRUE(s.get<bool>("b1"));
  EXPECT_EQ(s.get<std::int64_t>("i"), -42);
  EXPECT_EQ(s.get<int>("i"), -42);
  EXPECT_EQ(s.get<std::uint64_t>("u"), 18446744073709551615ull);
  EXPECT_DOUBLE_EQ(s.get<double>("d"), 2.5);
  EXPECT_DOUBLE_EQ(s.get<double>("d_int"), 3.0);
  EXPECT_EQ(s.get<std::string>("str"), "text");
  EXPECT_EQ(s.get<std::string>("str_num"), "12");
  EXPECT_EQ(s.get<std::string>("str_bool"), "false");
  EXPECT_EQ(s.get<duration>("dur_ms"), duration{1500ms});
  EXPECT_EQ(s.get<duration>("dur_frac"), duration{1500us});
  EXPECT_EQ(s.get<count>("cnt"), count{5});
  EXPECT_EQ(s.get<count>("cnt_inf"), count::infinity());
  EXPECT_EQ(s.get<strings>("list"), (strings{"a", "1", "true"}));
  EXPECT_EQ(s.get<json>("obj"), (json{{"x", 1}}));
  EXPECT_EQ(s.get<json>("i"), json(-42));
}

TEST(config, converts_text_values) {
  config::store s;
  auto text = [&](std::string_view name, std::string_view value) {
    s.set_text(name, value);
    return name;
  };
  EXPECT_EQ(s.get<int>(text("int", " 42 ")), 42);
  EXPECT_EQ(s.get<std::int64_t>(text("i64", "-3000000000")), -3'000'000'000);
  EXPECT_EQ(s.get<std::uint64_t>(text("u64", "18446744073709551615")), 18446744073709551615ull);
  EXPECT_DOUBLE_EQ(s.get<double>(text("dbl", "2.5")), 2.5);
  for (const char* yes : {"true", "TRUE", "1", "yes", "on"})
    EXPECT_TRUE(s.get<bool>(text("flag", yes))) << yes;
  for (const char* no : {"false", "0", "no", "Off"})
    EXPECT_FALSE(s.get<bool>(text("flag", no))) << no;
  EXPECT_EQ(s.get<std::string>(text("str", "42")), "42");
  EXPECT_EQ(s.get<duration>(text("dur", "1.5s")), duration{1500ms});
  EXPECT_EQ(s.get<duration>(text("dur", "250")), duration{250ms});
  EXPECT_EQ(s.get<count>(text("cnt", "infinity")), count::infinity());
  EXPECT_EQ(s.get<count>(text("cnt", "7")), count{7});
  EXPECT_EQ(s.get<strings>(text("list", R"(["a", "b c"])")), (strings{"a", "b c"}));
  EXPECT_EQ(s.get<strings>(text("list", R"([1, "x"])")), (strings{"1", "x"}));
  EXPECT_EQ(s.get<strings>(text("list", " a, b ,c ")), (strings{"a", "b", "c"}));
  EXPECT_EQ(s.get<strings>(text("list", "single")), (strings{"single"}));
  EXPECT_EQ(s.get<strings>(text("list", "")), strings{});
  EXPECT_EQ(s.get<json>(text("js", R"({"x": [1, 2]})")), (json{{"x", {1, 2}}}));
  EXPECT_EQ(s.get<json>(text("js", "17")), json(17));
  EXPECT_EQ(s.get<json>(text("js", "hello")), json("hello"));
  EXPECT_EQ(s.runtime_values()["js"], json("hello"));  // kept as text until read
}

TEST(config, environment_text_is_parsed_by_type) {
  config::store s;
  env_guard dur{"AMOC_cfgt_env_dur", "2m"};
  env_guard cnt{"AMOC_cfgt_env_cnt", "infinity"};
  env_guard list{"AMOC_cfgt_env_list", "x,y"};
  EXPECT_EQ(s.get<duration>("cfgt_env_dur"), duration{2min});
  EXPECT_EQ(s.get<count>("cfgt_env_cnt"), count::infinity());
  EXPECT_EQ(s.get<strings>("cfgt_env_list"), (strings{"x", "y"}));
}

TEST(config, bad_conversions_name_key_and_value) {
  config::store s;
  s.set_text("k", "abc");
  EXPECT_EQ(error_of([&] { (void)s.get<std::int64_t>("k"); }, "k"),
            "config key 'k': value \"abc\" is not an integer");
  EXPECT_NE(error_of([&] { (void)s.get<int>("k"); }, "k").find("value \"abc\" is not an integer"),
            std::string::npos);
  EXPECT_NE(error_of([&] { (void)s.get<count>("k"); }, "k")
              .find("value \"abc\" is not a count (an integer or infinity)"),
            std::string::npos);
  EXPECT_NE(error_of([&] { (void)s.get<duration>("k"); }, "k").find("is not a duration"),
            std::string::npos);
  EXPECT_NE(error_of([&] { (void)s.get<bool>("k"); }, "k").find("is not a boolean"),
            std::string::npos);
  EXPECT_NE(error_of([&] { (void)s.get<double>("k"); }, "k").find("is not a number"),
            std::string::npos);

  auto fails = [&](std::string_view name, const json& value, auto as) {
    s.set(name, value);
    EXPECT_THROW((void)s.get<decltype(as)>(name), config::error) << name << " = " << value;
  };
  fails("int_trailing", "12abc", int{});
  fails("int_range", "3000000000", int{});
  fails("int_float", "1.5", std::int64_t{});
  fails("u64_negative", -1, std::uint64_t{});
  fails("u64_text_negative", "-1", std::uint64_t{});
  fails("bool_maybe", "maybe", bool{});
  fails("bool_two", 2, bool{});
  fails("count_negative", "-5", count{});
  fails("count_float", 1.5, count{});
  fails("dur_negative", -5, duration{});
  fails("dur_garbage", "5 parsecs", duration{});
  fails("dbl_inf", "1e999", double{});
  fails("str_object", json{{"a", 1}}, std::string{});
  fails("list_number", 5, strings{});
  fails("list_bad_json", "[1, 2", strings{});
}

TEST(config, convert_to_returns_normalized_json) {
  using config::type;
  EXPECT_EQ(config::convert_to(type::duration, "1.5s"), json(1'500'000'000));
  EXPECT_EQ(config::convert_to(type::duration, 2), json(2'000'000));
  EXPECT_EQ(config::convert_to(type::count, "infinity"), json("infinity"));
  EXPECT_EQ(config::convert_to(type::count, "12"), json(12));
  EXPECT_EQ(config::convert_to(type::integer, "-7"), json(-7));
  EXPECT_EQ(config::convert_to(type::number, "0.5"), json(0.5));
  EXPECT_EQ(config::convert_to(type::boolean, "on"), json(true));
  EXPECT_EQ(config::convert_to(type::string, 3), json("3"));
  EXPECT_EQ(config::convert_to(type::list, "a,b"), (json{"a", "b"}));
  EXPECT_EQ(config::convert_to(type::json, "[1]"), (json{1}));
  EXPECT_EQ(config::convert_to(type::integer, "x"), std::nullopt);
  EXPECT_EQ(config::convert_to(type::duration, "-5ms"), std::nullopt);
}

TEST(config, rules_check_and_describe) {
  namespace rules = config::rules;
  EXPECT_EQ(rules::positive().description, "a positive number");
  EXPECT_TRUE(rules::positive().check(1));
  EXPECT_TRUE(rules::positive().check("infinity"));
  EXPECT_FALSE(rules::positive().check(0));
  EXPECT_FALSE(rules::positive().check("5"));

  EXPECT_EQ(rules::non_negative().description, "a non-negative number");
  EXPECT_TRUE(rules::non_negative().check(0));
  EXPECT_FALSE(rules::non_negative().check(-0.5));

  auto choice = rules::one_of({"a", "b"});
  EXPECT_EQ(choice.description, "one of [a, b]");
  EXPECT_TRUE(choice.check("b"));
  EXPECT_FALSE(choice.check("c"));

  auto range = rules::in_range(1, 10);
  EXPECT_EQ(range.description, "between 1 and 10");
  EXPECT_EQ(rules::in_range(0.5, 2.5).description, "between 0.5 and 2.5");
  EXPECT_TRUE(range.check(1));
  EXPECT_TRUE(range.check(10.0));
  EXPECT_FALSE(range.check(10.5));
  EXPECT_FALSE(range.check("5"));
}

TEST(config, validate_names_key_value_and_rule) {
  using config::type;
  namespace rules = config::rules;
  config::store s;
  s.set_text("v_interarrival", "0ms");
  s.set_text("v_repeat_num", "abc");
  s.set_text("v_mode", "c");
  s.set("v_level", 11);
  s.set("v_offset", -1);
  s.set_text("v_ok", "3");
  const std::vector<config::variable> vars{
    var("v_interarrival", "50ms", type::duration, rules::positive()),
    var("v_repeat_num", "infinity", type::count, rules::positive()),
    var("v_mode", "a", type::string, rules::one_of({"a", "b"})),
    var("v_level", "", type::integer, rules::in_range(1, 10)),
    var("v_offset", "0", type::integer, rules::non_negative()),
    var("v_ok", "", type::integer, rules::in_range(1, 10)),
    var("v_defaulted", "infinity", type::count, rules::positive()),
    var("v_missing", "", type::string),
  };
  EXPECT_EQ(s.validate(vars),
            (strings{
              "v_interarrival: value \"0ms\" breaks rule: a positive number",
              "v_repeat_num: value \"abc\" is not a count (an integer or infinity)",
              "v_mode: value \"c\" breaks rule: one of [a, b]",
              "v_level: value 11 breaks rule: between 1 and 10",
              "v_offset: value -1 breaks rule: a non-negative number",
              "v_missing: missing (what v_missing means)",
            }));
  s.set_text("v_interarrival", "5ms");
  s.set_text("v_repeat_num", "infinity");
  s.set_text("v_mode", "b");
  s.set("v_level", 10);
  s.unset("v_offset");
  s.set("v_missing", "here");
  EXPECT_EQ(s.validate(vars), strings{});
}

TEST(config, validate_reports_bad_declared_default) {
  config::store s;
  EXPECT_EQ(s.validate({var("v_bad_default", "soon", config::type::duration)}),
            (strings{"v_bad_default: value \"soon\" is not a duration (like 50ms, 1.5s, 2m; a "
                     "bare number is ms)"}));
}

TEST(config, runtime_values_is_a_copy) {
  config::store s;
  s.set("a", 1);
  s.set_text("b", "2");
  s.set("c", json::array({1}));
  s.unset("c");
  auto values = s.runtime_values();
  EXPECT_EQ(values, (json{{"a", 1}, {"b", "2"}}));
  values["a"] = 5;
  EXPECT_EQ(s.get<int>("a"), 1);
}

TEST(config, rejects_non_object_file_values) {
  config::store s;
  EXPECT_THROW(s.set_file_values(json::array({1})), std::invalid_argument);
}

TEST(config, free_functions_use_the_global_store) {
  config::set("cfgt_global_json", 5);
  config::set_text("cfgt_global_text", "2s");
  EXPECT_EQ(config::get<int>("cfgt_global_json"), 5);
  EXPECT_EQ(config::get<duration>("cfgt_global_text"), duration{2s});
  EXPECT_EQ(config::get<int>("cfgt_global_absent", 9), 9);
  EXPECT_EQ(&config::global(), &config::global());
  config::global().unset("cfgt_global_json");
  config::global().unset("cfgt_global_text");
  EXPECT_EQ(config::global().lookup("cfgt_global_json"), std::nullopt);
}

TEST(config, concurrent_reads_and_writes) {
  config::store s;
  s.set("shared", 0);
  constexpr int writes = 2000;
  constexpr int reads_per_thread = 2000;
  std::atomic<int> bad_reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r)
    readers.emplace_back([&] {
      for (int i = 0; i < reads_per_thread; ++i) {
        const auto value = s.get<int>("shared");
        if (value < 0 || value >= writes)
          ++bad_reads;
        if (s.get<int>("declared" + std::to_string(i % 10), 1) != 1)
          ++bad_reads;
        if (i % 100 == 0)
          (void)s.runtime_values();
      }
    });
  for (int i = 0; i < writes; ++i) {
    s.set("shared", i);
    s.set_text("other" + std::to_string(i % 10), std::to_string(i));
    s.declare({var("declared" + std::to_string(i % 10), "1", config::type::integer)});
  }
  for (auto& t : readers)
    t.join();
  EXPECT_EQ(bad_reads.load(), 0);
  EXPECT_EQ(s.get<int>("shared"), writes - 1);
  EXPECT_EQ(s.get<int>("other9"), writes - 1);
}

TEST(config, an_optional_variable_is_checked_only_when_set) {
  config::store s;
  config::variable ca{"t_ca_file",  "CA file",
                      "",           config::type::string,
                      std::nullopt, config::update_policy::read_only(),
                      true};
  EXPECT_TRUE(s.validate({ca}).empty());
  EXPECT_EQ(s.validate({var("t_required", "", config::type::string)}).size(), 1u);
  ca.check = config::rules::one_of({"a.pem"});
  s.set("t_ca_file", "b.pem");
  EXPECT_EQ(s.validate({ca}).size(), 1u);
}

TEST(config, environment_json_nested_too_deep_stays_text) {
  const std::string deep(100000, '[');
  env_guard guard{"AMOC_t_deep", deep + std::string(100000, ']')};
  config::store s;
  const auto value = s.get<json>("t_deep");
  EXPECT_TRUE(value.is_string()) << "parsed, it could not even be printed safely";
  EXPECT_THROW((void)s.get<strings>("t_deep"), config::error);
}
