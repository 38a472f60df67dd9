// The registry side of plugin loading, without dlopen: registrations held
// back while a plugin loads, added all or none, name clashes refused.
#include "scenario_registry.hpp"

#include <gtest/gtest.h>

#include "amoc/error.hpp"

namespace {

class nothing final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user&) override { co_return; }
};

amoc::scenario_info info(std::string name) {
  return {std::move(name), "", {}, [] { return std::make_unique<nothing>(); }};
}

}  // namespace

TEST(registry_capture, holds_registrations_back_until_added) {
  std::vector<amoc::scenario_info> captured;
  {
    amoc::detail::registration_capture capture;
    amoc::register_scenario(info("held_back"), "/src/held_back.cpp");
    captured = capture.take();
  }
  ASSERT_EQ(captured.size(), 1u);
  EXPECT_EQ(captured[0].source, "held_back.cpp");
  EXPECT_EQ(amoc::find_scenario("held_back"), nullptr);
  EXPECT_FALSE(amoc::detail::add_plugin_scenarios(std::move(captured), "/p/held_back.so"));
  ASSERT_NE(amoc::find_scenario("held_back"), nullptr);
  EXPECT_EQ(amoc::find_scenario("held_back")->origin, "/p/held_back.so");
}

TEST(registry_capture, a_taken_name_refuses_the_whole_plugin) {
  EXPECT_FALSE(amoc::detail::add_plugin_scenarios({info("taken")}, "/p/first.so"));
  std::vector<amoc::scenario_info> second;
  second.push_back(info("fresh_name"));
  second.push_back(info("taken"));
  auto err = amoc::detail::add_plugin_scenarios(std::move(second), "/p/second.so");
  EXPECT_EQ(amoc::render(err), "plugin_load_failed: /p/second.so: scenario 'taken' is already "
                               "registered by /p/first.so");
  EXPECT_EQ(amoc::find_scenario("fresh_name"), nullptr);
}

TEST(registry_capture, the_same_source_replaces_a_built_in) {
  amoc::register_scenario(info("builtin_probe"), "/tree/scenarios/builtin_probe.cpp");
  std::vector<amoc::scenario_info> copy;
  copy.push_back(info("builtin_probe"));
  copy.back().source = "builtin_probe.cpp";
  EXPECT_FALSE(amoc::detail::add_plugin_scenarios(std::move(copy), "/p/builtin_probe.so"));
  EXPECT_EQ(amoc::find_scenario("builtin_probe")->origin, "/p/builtin_probe.so");
  std::vector<amoc::scenario_info> other;
  other.push_back(info("builtin_probe"));
  other.back().source = "builtin_probe.cpp";
  EXPECT_TRUE(amoc::detail::add_plugin_scenarios(std::move(other), "/p/again.so"));
}
