#include "amoc/scenario.hpp"

#include <gtest/gtest.h>

namespace {

class registry_probe final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user&) override { co_return; }
};

}  // namespace

AMOC_REGISTER_SCENARIO(registry_probe, "registry_probe", "a scenario for the registry test",
                       {{"probe_var", "a declared variable", "3", amoc::config::type::integer,
                         amoc::config::rules::positive()}});

TEST(scenario_registry, finds_scenarios_by_name_with_their_variables) {
  const auto* info = amoc::find_scenario("registry_probe");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->description, "a scenario for the registry test");
  ASSERT_EQ(info->variables.size(), 1u);
  EXPECT_EQ(info->variables[0].name, "probe_var");
  EXPECT_NE(info->make(), nullptr);
  EXPECT_EQ(amoc::find_scenario("nope"), nullptr);
}

TEST(scenario_registry, lists_names_sorted) {
  amoc::register_scenario({"aaa_probe", "", {}, [] { return std::make_unique<registry_probe>(); }});
  auto names = amoc::scenario_names();
  ASSERT_GE(names.size(), 2u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(names.front(), "aaa_probe");
}
