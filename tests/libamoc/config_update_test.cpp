// Live settings: which updates a store accepts during a run and outside one.

#include "amoc/config_update.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "amoc/error.hpp"

using namespace amoc;
using json = nlohmann::json;

namespace {

struct config_update_test : ::testing::Test {
  config::store store;
  json applied;  // what the rate callback last saw

  config_update_test() {
    store.declare({
      {"rate", "actions per second", "10", config::type::integer, config::rules::positive(),
       config::update_policy::call([this](const json& v) {
         if (v.get<std::int64_t>() == 13)
           throw std::invalid_argument("13 brings bad luck");
         applied = v;
       })},
      {"think", "think time", "1s", config::type::duration, std::nullopt,
       config::update_policy::accept()},
      {"host", "server host", "127.0.0.1", config::type::string, std::nullopt},
    });
  }

  caf::error update(const json& values, bool during_run = true) {
    return config::update(store, values, during_run);
  }
};

bool is(const caf::error& err, ec code) { return err.code() == static_cast<std::uint8_t>(code); }

}  // namespace

TEST_F(config_update_test, updatable_values_are_applied_and_stored) {
  ASSERT_FALSE(update({{"rate", 20}, {"think", "250ms"}}));
  EXPECT_EQ(applied, 20);
  EXPECT_EQ(store.get<std::int64_t>("rate"), 20);
  EXPECT_EQ(store.get<duration>("think"), std::chrono::milliseconds{250});
}

TEST_F(config_update_test, read_only_values_are_refused_by_name) {
  auto err = update({{"host", "10.0.0.1"}});
  EXPECT_TRUE(is(err, ec::read_only_setting));
  EXPECT_NE(render(err).find("host is read-only during a run"), std::string::npos);
  EXPECT_EQ(store.get<std::string>("host"), "127.0.0.1");
}

TEST_F(config_update_test, nothing_changes_when_one_value_is_bad) {
  auto err = update({{"think", "2s"}, {"rate", -1}});
  EXPECT_TRUE(is(err, ec::invalid_config));
  EXPECT_NE(render(err).find("rate: value -1 breaks rule"), std::string::npos);
  EXPECT_EQ(store.get<duration>("think"), std::chrono::seconds{1});
  EXPECT_TRUE(applied.is_null());
}

TEST_F(config_update_test, undeclared_names_are_refused_during_a_run) {
  auto err = update({{"nosuch", 1}});
  EXPECT_TRUE(is(err, ec::invalid_config));
  EXPECT_NE(render(err).find("nosuch is not a setting of the running scenario"), std::string::npos);
}

TEST_F(config_update_test, outside_a_run_only_names_amoc_knows_are_kept) {
  // Unknown anywhere: refused by name, and nothing of the update is kept.
  auto err = update({{"host", "10.0.0.9"}, {"nosuch", 1}}, false);
  EXPECT_TRUE(is(err, ec::invalid_config));
  EXPECT_NE(render(err).find("nosuch is not a setting of amoc or of any scenario"),
            std::string::npos)
    << render(err);
  EXPECT_EQ(store.get<std::string>("host"), "127.0.0.1");
  // Declared in the store, built in, a metrics setting, or a node setting.
  ASSERT_FALSE(update({{"host", "10.0.0.1"},
                       {"interarrival", "5ms"},
                       {"metrics_interval", "1s"},
                       {"nodes", json::array({"127.0.0.1:4100"})}},
                      false));
  EXPECT_EQ(store.get<std::string>("host"), "10.0.0.1");
  EXPECT_EQ(store.get<duration>("interarrival"), std::chrono::milliseconds{5});
  // A built-in setting's value is checked against its declaration too.
  EXPECT_TRUE(is(update({{"repeat_interval", "soon"}}, false), ec::invalid_config));
}

TEST_F(config_update_test, values_outside_a_run_still_fit_their_declaration) {
  EXPECT_TRUE(is(update({{"think", "soon"}}, false), ec::invalid_config));
}

TEST_F(config_update_test, a_refusing_callback_is_reported) {
  auto err = update({{"rate", 13}});
  EXPECT_TRUE(is(err, ec::invalid_config));
  EXPECT_NE(render(err).find("rate: update refused: 13 brings bad luck"), std::string::npos);
  EXPECT_EQ(store.get<std::int64_t>("rate"), 10);
}

TEST_F(config_update_test, values_fixed_by_the_environment_are_refused) {
  ::setenv("AMOC_think", "5s", 1);
  auto err = update({{"think", "2s"}});
  ::unsetenv("AMOC_think");
  EXPECT_TRUE(is(err, ec::read_only_setting));
  EXPECT_NE(render(err).find("fixed by the environment variable AMOC_think"), std::string::npos);
}

TEST_F(config_update_test, the_update_must_be_an_object) {
  EXPECT_TRUE(is(update(json::array()), ec::invalid_argument));
  EXPECT_TRUE(is(update(json::object()), ec::invalid_argument));
}
